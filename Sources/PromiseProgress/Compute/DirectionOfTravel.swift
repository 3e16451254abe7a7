import Foundation

/// Direction of travel for one indicator and area, with everything needed to reproduce it
/// (DOMAIN.md section 5). Pure: `assess` takes the series and returns the status.
public struct DirectionOfTravel: Sendable, Equatable {
    public enum Rule: String, Sendable, CaseIterable {
        /// National Performance Framework style: the change between the last two points against the indicator's threshold.
        case npfChange = "npf_change"
        /// Chi-squared test for linear trend over the latest five points (Cochran-Armitage for percentages, the Poisson score test for rates).
        case linearTrend = "linear_trend"
    }

    public enum Status: String, Sendable {
        case improving, worsening, maintaining
        /// For indicators with no judgement on which way is better.
        case increasing, decreasing
        case cannotBeCalculated = "cannot_be_calculated"
    }

    /// One point of the series: a value with the numerator and denominator behind it (nil when withheld).
    public struct Point: Sendable, Equatable {
        public var period: String
        public var value: Double?
        public var numerator: Int?
        public var denominator: Double?

        public init(period: String, value: Double?, numerator: Int?, denominator: Double?) {
            self.period = period
            self.value = value
            self.numerator = numerator
            self.denominator = denominator
        }
    }

    public var rule: Rule
    public var status: Status
    public var reason: String?
    public var fromPeriod: String?
    public var toPeriod: String?
    public var points: Int
    /// The inputs used, written `period=numerator/denominator` or `period=value`, joined by `;`.
    public var inputs: String
    public var statistic: Double?
    public var threshold: Double?
    public var pValue: Double?

    public static let significanceLevel = 0.05
    public static let trendPoints = 5

    static func status(up: Bool, polarity: IndicatorDefinition.Polarity) -> Status {
        switch polarity {
        case .higherIsBetter: up ? .improving : .worsening
        case .lowerIsBetter: up ? .worsening : .improving
        case .noJudgement: up ? .increasing : .decreasing
        }
    }

    /// The change between the last two points; percentage points or percent, as the definition says.
    public static func npfChange(_ series: [Point], threshold: Double, unit: IndicatorDefinition.ThresholdUnit, polarity: IndicatorDefinition.Polarity) -> DirectionOfTravel {
        var result = DirectionOfTravel(rule: .npfChange, status: .cannotBeCalculated, reason: nil, fromPeriod: nil, toPeriod: nil, points: 0, inputs: "", statistic: nil, threshold: threshold, pValue: nil)
        guard series.count >= 2 else {
            result.reason = "needs two periods; \(series.count) available"
            return result
        }
        let last = Array(series.suffix(2))
        result.fromPeriod = last[0].period
        result.toPeriod = last[1].period
        result.points = 2
        result.inputs = last.map { "\($0.period)=\($0.value.map { String($0) } ?? "withheld")" }.joined(separator: ";")
        guard let before = last[0].value, let after = last[1].value else {
            result.reason = "a value in the last two periods is suppressed or not available"
            return result
        }
        let change: Double
        switch unit {
        case .percentagePoints: change = after - before
        case .percent:
            guard before != 0 else {
                result.reason = "the earlier value is zero, so a percentage change is undefined"
                return result
            }
            change = 100 * (after - before) / before
        }
        result.statistic = change
        result.status = abs(change) < threshold ? .maintaining : status(up: change > 0, polarity: polarity)
        return result
    }

    /// Chi-squared test for linear trend over the latest five points, scores 1 to 5.
    public static func linearTrend(_ series: [Point], valueType: IndicatorDefinition.ValueType, polarity: IndicatorDefinition.Polarity) -> DirectionOfTravel {
        var result = DirectionOfTravel(rule: .linearTrend, status: .cannotBeCalculated, reason: nil, fromPeriod: nil, toPeriod: nil, points: 0, inputs: "", statistic: nil, threshold: significanceLevel, pValue: nil)
        guard valueType != .count else {
            result.reason = "a count has no denominator to test a trend against"
            return result
        }
        guard valueType == .percentage || valueType == .ratePer1000 else {
            result.reason = "the chi-squared test for trend applies to percentages and rates, not to a \(valueType.rawValue)"
            return result
        }
        guard series.count >= trendPoints else {
            result.reason = "needs \(trendPoints) periods; \(series.count) available"
            return result
        }
        let latest = Array(series.suffix(trendPoints))
        result.fromPeriod = latest.first?.period
        result.toPeriod = latest.last?.period
        result.points = latest.count
        result.inputs = latest.map { "\($0.period)=\($0.numerator.map(String.init) ?? "withheld")/\($0.denominator.map { String(Int($0)) } ?? "withheld")" }.joined(separator: ";")
        if latest.allSatisfy({ $0.numerator == nil && $0.denominator == nil && $0.value != nil }) {
            result.reason = "the source publishes values without numerators and denominators"
            return result
        }
        let observed = latest.compactMap(\.numerator).map(Double.init)
        let totals = latest.compactMap(\.denominator)
        guard observed.count == trendPoints, totals.count == trendPoints, totals.allSatisfy({ $0 > 0 }) else {
            result.reason = "a value in the latest \(trendPoints) periods is suppressed or not available"
            return result
        }
        guard let test = chiSquaredForTrend(observed: observed, totals: totals, binomial: valueType == .percentage) else {
            result.reason = "no variation to test (every period is 0% or 100%)"
            return result
        }
        result.statistic = test.chiSquared
        result.pValue = test.pValue
        result.status = test.pValue < significanceLevel ? status(up: test.score > 0, polarity: polarity) : .maintaining
        return result
    }

    /// Score test for a linear trend with scores 1...k: Cochran-Armitage for proportions
    /// (`binomial`), the Poisson score test for rates. Returns chi-squared on 1 df, its p-value and the signed score.
    public static func chiSquaredForTrend(observed: [Double], totals: [Double], binomial: Bool) -> (chiSquared: Double, pValue: Double, score: Double)? {
        let scores = (1...observed.count).map(Double.init)
        let n = totals.reduce(0, +)
        let p = observed.reduce(0, +) / n
        let score = zip(scores, zip(observed, totals)).reduce(0) { $0 + $1.0 * ($1.1.0 - $1.1.1 * p) }
        let spread = zip(scores, totals).reduce(0) { $0 + $1.1 * $1.0 * $1.0 } - pow(zip(scores, totals).reduce(0) { $0 + $1.1 * $1.0 }, 2) / n
        let variance = (binomial ? p * (1 - p) : p) * spread
        guard variance > 0 else { return nil }
        let chiSquared = score * score / variance
        return (chiSquared, erfc(sqrt(chiSquared / 2)), score)
    }
}
