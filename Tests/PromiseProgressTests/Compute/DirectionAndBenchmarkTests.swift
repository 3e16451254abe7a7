import Testing
@testable import PromiseProgress

/// Reference values computed outside the project with Python 3.11, NumPy 2.4 and SciPy 1.17:
/// the score statistic T = sum t_i (O_i - N_i p), its variance p(1-p)[sum N_i t_i^2 - (sum N_i t_i)^2 / N]
/// (Poisson: p in place of p(1-p)), chi2 = T^2 / V and p = scipy.stats.chi2.sf(chi2, 1). The binomial
/// case was confirmed a second way: N r^2, with r the correlation of the individual 0/1 outcomes with t.
@Suite("Direction of travel and benchmarking")
struct DirectionAndBenchmarkTests {
    struct TrendCase: Sendable, CustomTestStringConvertible {
        let observed: [Double], totals: [Double], binomial: Bool, chiSquared: Double, pValue: Double, score: Double
        var testDescription: String { "\(binomial ? "proportion" : "rate") \(observed)" }
    }

    static let trendCases: [TrendCase] = [
        TrendCase(observed: [2572, 2481, 2349, 2295, 2210], totals: [13317, 12893, 12487, 12110, 11709], binomial: true,
                  chiSquared: 1.1430400666508829, pValue: 0.28501086145032695, score: -148.33749760061482),
        TrendCase(observed: [10, 12, 15, 18, 22], totals: [100, 100, 100, 100, 100], binomial: true,
                  chiSquared: 6.907985631389885, pValue: 0.00858116122358658, score: 30),
        TrendCase(observed: [30, 29, 31, 30, 30], totals: [100, 100, 100, 100, 100], binomial: true,
                  chiSquared: 0.004761904761904762, pValue: 0.9449844010606654, score: 1),
        TrendCase(observed: [13317, 12893, 12487, 12110, 11709], totals: [1026220, 1021080, 1016010, 1010950, 1005860], binomial: false,
                  chiSquared: 91.0102322322352, pValue: 1.4293108060223698e-21, score: -3373.239466784251),
        TrendCase(observed: [5, 7, 6, 9, 12], totals: [20000, 20000, 20000, 20000, 20000], binomial: false,
                  chiSquared: 3.282051282051282, pValue: 0.07004133687461638, score: 16),
    ]

    @Test("chi-squared test for linear trend matches the reference", arguments: trendCases)
    func trendTest(_ c: TrendCase) throws {
        let test = try #require(DirectionOfTravel.chiSquaredForTrend(observed: c.observed, totals: c.totals, binomial: c.binomial))
        #expect(abs(test.chiSquared - c.chiSquared) < 1e-9 * max(1, c.chiSquared))
        #expect(abs(test.pValue - c.pValue) < 1e-9 * max(1e-12, c.pValue) || abs(test.pValue - c.pValue) < 1e-15)
        #expect(abs(test.score - c.score) < 1e-6)
    }

    static func series(_ values: [(Int?, Double?)], percentage: Bool = true) -> [DirectionOfTravel.Point] {
        values.enumerated().map { index, pair in
            let value: Double? = pair.0.flatMap { n in pair.1.map { d in (percentage ? 100 : 1000) * Double(n) / d } }
            return DirectionOfTravel.Point(period: "20\(19 + index)", value: value, numerator: pair.0, denominator: pair.1)
        }
    }

    @Test("a significant rise in a higher-is-better percentage is improving; the same for lower-is-better is worsening")
    func statuses() {
        let rising = Self.series([(10, 100), (12, 100), (15, 100), (18, 100), (22, 100)])
        #expect(DirectionOfTravel.linearTrend(rising, valueType: .percentage, polarity: .higherIsBetter).status == .improving)
        #expect(DirectionOfTravel.linearTrend(rising, valueType: .percentage, polarity: .lowerIsBetter).status == .worsening)
        #expect(DirectionOfTravel.linearTrend(rising, valueType: .percentage, polarity: .noJudgement).status == .increasing)
        let flat = Self.series([(30, 100), (29, 100), (31, 100), (30, 100), (30, 100)])
        let result = DirectionOfTravel.linearTrend(flat, valueType: .percentage, polarity: .higherIsBetter)
        #expect(result.status == .maintaining)
        #expect(result.inputs == "2019=30/100;2020=29/100;2021=31/100;2022=30/100;2023=30/100")
        #expect(result.threshold == 0.05)
    }

    @Test("cannot be calculated always says why")
    func cannotBeCalculated() {
        let short = Self.series([(10, 100), (12, 100), (15, 100)])
        #expect(DirectionOfTravel.linearTrend(short, valueType: .percentage, polarity: .higherIsBetter).reason == "needs 5 periods; 3 available")
        let withheld = Self.series([(10, 100), (nil, 100), (15, 100), (18, 100), (22, 100)])
        let trend = DirectionOfTravel.linearTrend(withheld, valueType: .percentage, polarity: .higherIsBetter)
        #expect(trend.status == .cannotBeCalculated)
        #expect(trend.reason == "a value in the latest 5 periods is suppressed or not available")
        let count = DirectionOfTravel.linearTrend(short, valueType: .count, polarity: .noJudgement)
        #expect(count.reason == "a count has no denominator to test a trend against")
        let lastTwo = Self.series([(10, 100), (nil, 100)])
        #expect(DirectionOfTravel.npfChange(lastTwo, threshold: 1, unit: .percentagePoints, polarity: .higherIsBetter).status == .cannotBeCalculated)
    }

    @Test("the NPF rule compares the last change with the threshold", arguments: [
        (20.0, 20.9, IndicatorDefinition.ThresholdUnit.percentagePoints, 1.0, DirectionOfTravel.Status.maintaining),
        (20.0, 21.0, .percentagePoints, 1.0, .improving),
        (20.0, 18.5, .percentagePoints, 1.0, .worsening),
        (1000.0, 1030.0, .percent, 2.0, .improving),
        (1000.0, 1015.0, .percent, 2.0, .maintaining),
    ])
    func npf(_ before: Double, _ after: Double, _ unit: IndicatorDefinition.ThresholdUnit, _ threshold: Double, _ expected: DirectionOfTravel.Status) {
        let points = [DirectionOfTravel.Point(period: "a", value: before, numerator: nil, denominator: nil),
                      DirectionOfTravel.Point(period: "b", value: after, numerator: nil, denominator: nil)]
        let result = DirectionOfTravel.npfChange(points, threshold: threshold, unit: unit, polarity: .higherIsBetter)
        #expect(result.status == expected)
        #expect(result.fromPeriod == "a" && result.toPeriod == "b")
    }

    @Test("benchmark: the area's interval against Scotland's value, read by polarity", arguments: [
        (12.0, 15.0, 10.0, IndicatorDefinition.Polarity.higherIsBetter, "better"),
        (12.0, 15.0, 10.0, .lowerIsBetter, "worse"),
        (12.0, 15.0, 10.0, .noJudgement, "higher"),
        (5.0, 8.0, 10.0, .higherIsBetter, "worse"),
        (5.0, 8.0, 10.0, .noJudgement, "lower"),
        (8.0, 12.0, 10.0, .higherIsBetter, "similar"),
        (10.0, 12.0, 10.0, .higherIsBetter, "similar"),
    ])
    func benchmarkCall(_ lower: Double, _ upper: Double, _ scotland: Double, _ polarity: IndicatorDefinition.Polarity, _ expected: String) {
        #expect(Benchmarking.call(lower: lower, upper: upper, scotland: scotland, polarity: polarity) == expected)
    }

    @Test("ranks and quintiles are among areas with a published value; ties share the lower rank")
    func ranks() {
        let definition = IndicatorDefinition(
            id: "share", title: "", shortTitle: "", shortDefinition: "", definition: "", outcome: "", confidenceMethod: .wilson, frequency: .annual, publisher: "", lastUpdated: "2026-01-01", nextUpdateDue: "2027-01-01", headlineRule: "linear_trend", valueSource: .computed, rationale: "", foundation: "care", visionStatement: 1, role: .core,
            valueType: .percentage, unit: "", polarity: .higherIsBetter, periodType: "reporting_year", periodBasis: .snapshot, source: "",
            breakdowns: [], caveats: "", numerator: .init(description: "", sql: "", sqlLine: 1),
            denominator: .init(description: "", sql: "", sqlLine: 1), directionThreshold: 1, directionThresholdUnit: .percentagePoints,
            file: "", sha256: "")
        func row(_ area: String, _ value: Double?) -> IndicatorValue {
            var v = IndicatorValue(indicatorID: "share", key: CellKey(period: "p", geography: area), numerator: 1, denominator: 1, value: value)
            v.lower95 = value.map { $0 - 1 }; v.upper95 = value.map { $0 + 1 }
            return v
        }
        let values = [row("S92000003", 20), row("A", 30), row("B", 25), row("C", 25), row("D", nil), row("E", 10)]
        let ranked = Dictionary(uniqueKeysWithValues: Benchmarking.apply(values, definitions: [definition]).map { ($0.key.geography, $0) })
        #expect(ranked["A"]?.rank == 1 && ranked["B"]?.rank == 2 && ranked["C"]?.rank == 2 && ranked["E"]?.rank == 4)
        #expect(ranked["D"]?.rank == nil && ranked["D"]?.benchmark == nil)
        #expect(ranked["A"]?.quintile == 1 && ranked["E"]?.quintile == 4)
        #expect(ranked["A"]?.benchmark == "better" && ranked["E"]?.benchmark == "worse")
        #expect(ranked["S92000003"]?.rank == nil)
    }

    /// References from SciPy 1.17: chi2_contingency([[30, 70], [45, 55]], correction=False) for two
    /// proportions, chisquare([100, 130]) for two counts, chisquare([50, 70], f_exp proportional to
    /// 20,000 and 21,000) for two rates; each equals the two-sided p of the z test used here.
    @Test("council changes: called only when past the threshold and significant; both stored", arguments: [
        (IndicatorDefinition.ValueType.percentage, 30, 100.0, 45, 100.0, "two_proportion_z", 0.028459736916310638),
        (.count, 100, 0.0, 130, 0.0, "poisson_counts_z", 0.04791275500844781),
        (.ratePer1000, 50, 20_000.0, 70, 21_000.0, "poisson_rates_z", 0.11899072089312371),
    ])
    func significantChange(type: IndicatorDefinition.ValueType, n1: Int, d1: Double, n2: Int, d2: Double, test: String, reference: Double) {
        func point(_ period: String, _ n: Int, _ d: Double) -> DirectionOfTravel.Point {
            let value = type == .percentage ? 100 * Double(n) / d : type == .ratePer1000 ? 1000 * Double(n) / d : Double(n)
            return DirectionOfTravel.Point(period: period, value: value, numerator: n, denominator: type == .count ? nil : d)
        }
        let series = [point("a", n1, d1), point("b", n2, d2)]
        let unit: IndicatorDefinition.ThresholdUnit = type == .percentage ? .percentagePoints : .percent
        let council = DirectionOfTravel.npfChange(series, threshold: 1, unit: unit, polarity: .higherIsBetter, valueType: type, requireSignificance: true)
        #expect(council.significanceTest == test)
        #expect(abs((council.significancePValue ?? -1) - reference) < 1e-9)
        #expect(council.thresholdMet == true)
        // Past the threshold: improving only if p < 0.05.
        #expect(council.status == (reference < 0.05 ? .improving : .maintaining))
        // Scotland keeps the NPF rule on the threshold alone, with the test stored beside it.
        let scotland = DirectionOfTravel.npfChange(series, threshold: 1, unit: unit, polarity: .higherIsBetter, valueType: type)
        #expect(scotland.status == .improving && scotland.significancePValue != nil)
    }
}
