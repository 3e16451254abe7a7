import Foundation

/// Direction of travel for one indicator and area, with everything needed to reproduce it
/// (README, "Benchmarking and direction of travel"). Pure: `assess` takes the series and returns the status.
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
        /// Means only: the standard deviation of what is averaged.
        public var standardDeviation: Double?

        public init(period: String, value: Double?, numerator: Int?, denominator: Double?, standardDeviation: Double? = nil) {
            self.period = period
            self.value = value
            self.numerator = numerator
            self.denominator = denominator
            self.standardDeviation = standardDeviation
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
    /// npf_change: the test of the change between the two periods, its p-value, and whether the change
    /// passed the threshold. In a council area a change is called only when both say so.
    public var significanceTest: String?
    public var significancePValue: Double?
    public var thresholdMet: Bool?

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
    /// In a council area (`requireSignificance`), the change must also be statistically significant
    /// (p below 0.05) by ``changeTest(_:_:valueType:)``; both results are kept.
    public static func npfChange(_ series: [Point], threshold: Double, unit: IndicatorDefinition.ThresholdUnit, polarity: IndicatorDefinition.Polarity,
                                 valueType: IndicatorDefinition.ValueType = .count, requireSignificance: Bool = false) -> DirectionOfTravel {
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
        result.thresholdMet = abs(change) >= threshold
        if let test = changeTest(last[0], last[1], valueType: valueType) {
            result.significanceTest = test.name
            result.significancePValue = test.pValue
        }
        result.status = abs(change) < threshold ? .maintaining : status(up: change > 0, polarity: polarity)
        if requireSignificance, result.status != .maintaining {
            if let p = result.significancePValue {
                if p >= significanceLevel { result.status = .maintaining }
            } else {
                // Published values come without counts: kept on the threshold alone, and recorded as untested.
                result.significanceTest = "none"
            }
        }
        return result
    }

    /// A test of the difference between two periods, from published counts: two-proportion z test
    /// (percentages), the z test for two Poisson rates (rates per 1,000), the z test for two Poisson
    /// counts conditional on their sum (counts), Welch's z from standard deviations (means). Two-sided p.
    public static func changeTest(_ before: Point, _ after: Point, valueType: IndicatorDefinition.ValueType) -> (name: String, z: Double, pValue: Double)? {
        func result(_ name: String, _ difference: Double, _ variance: Double) -> (String, Double, Double)? {
            guard variance > 0 else { return nil }
            let z = difference / variance.squareRoot()
            return (name, z, erfc(abs(z) / 2.0.squareRoot()))
        }
        switch valueType {
        case .count:
            guard let n1 = before.numerator, let n2 = after.numerator else { return nil }
            return result("poisson_counts_z", Double(n2 - n1), Double(n1 + n2))
        case .percentage:
            guard let n1 = before.numerator, let n2 = after.numerator, let d1 = before.denominator, let d2 = after.denominator, d1 > 0, d2 > 0 else { return nil }
            let pooled = Double(n1 + n2) / (d1 + d2)
            return result("two_proportion_z", Double(n2) / d2 - Double(n1) / d1, pooled * (1 - pooled) * (1 / d1 + 1 / d2))
        case .ratePer1000:
            guard let n1 = before.numerator, let n2 = after.numerator, let d1 = before.denominator, let d2 = after.denominator, d1 > 0, d2 > 0 else { return nil }
            let rate = Double(n1 + n2) / (d1 + d2)
            return result("poisson_rates_z", Double(n2) / d2 - Double(n1) / d1, rate * (1 / d1 + 1 / d2))
        case .mean:
            guard let m1 = before.value, let m2 = after.value, let s1 = before.standardDeviation, let s2 = after.standardDeviation,
                  let d1 = before.denominator, let d2 = after.denominator, d1 > 0, d2 > 0 else { return nil }
            return result("welch_z", m2 - m1, s1 * s1 / d1 + s2 * s2 / d2)
        case .median, .ratio:
            return nil
        }
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
        if latest.allSatisfy({ $0.numerator == nil && $0.denominator == nil && $0.value != nil }) {
            // Nothing is withheld here: the source has no counts to show.
            result.inputs = latest.map { "\($0.period)=\($0.value.map { String($0) } ?? "not available")" }.joined(separator: ";")
            result.reason = "the source publishes values without numerators and denominators"
            return result
        }
        result.inputs = latest.map { "\($0.period)=\($0.numerator.map(String.init) ?? "withheld")/\($0.denominator.map { String(Int($0)) } ?? "withheld")" }.joined(separator: ";")
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
