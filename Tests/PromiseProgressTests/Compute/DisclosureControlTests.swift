import Testing
@testable import PromiseProgress

@Suite("Disclosure control")
struct DisclosureControlTests {
    typealias Cell = DisclosureControl.Cell
    static let looked = MeasureReference(indicator: "looked-after", part: .numerator)

    static func cell(_ geography: String, _ measure: MeasureReference = looked, type: String = "total", code: String = "total") -> Cell {
        Cell(measure, CellKey(period: "2023-24", geography: geography, breakdownType: type, breakdownCode: code))
    }

    /// Naive primary suppression of Orkney's 3 leaks through the Scotland total: 113 - 50 - 60 = 3.
    @Test("a suppressed council area cannot be recovered from Scotland minus the others")
    func scotlandMinusOthers() {
        let counts: [Cell: Int] = [Self.cell("S92000003"): 113, Self.cell("A"): 3, Self.cell("B"): 50, Self.cell("C"): 60]
        let equations = DisclosureControl.equations(for: counts, groups: [], canonical: [:])
        let hidden = DisclosureControl.suppress(counts, equations: equations, rules: .init())
        #expect(hidden[Self.cell("A")]?.hasPrefix("primary") == true)
        #expect(hidden[Self.cell("B")]?.hasPrefix("secondary") == true, "the smallest other area must be hidden too")
        #expect(hidden[Self.cell("C")] == nil)
        #expect(hidden[Self.cell("S92000003")] == nil, "Scotland stays published")
    }

    /// Naive suppression of 2 boys leaks through the total: 42 - 40 - 0 = 2.
    @Test("a suppressed category cannot be recovered from its total")
    func breakdownTotal() {
        let counts: [Cell: Int] = [
            Self.cell("A"): 42,
            Self.cell("A", type: "sex", code: "male"): 2,
            Self.cell("A", type: "sex", code: "female"): 40,
            Self.cell("A", type: "sex", code: "not_known"): 0,
        ]
        let hidden = DisclosureControl.suppress(counts, equations: DisclosureControl.equations(for: counts, groups: [], canonical: [:]), rules: .init())
        #expect(hidden[Self.cell("A", type: "sex", code: "male")] != nil)
        #expect(hidden[Self.cell("A", type: "sex", code: "female")] != nil, "the only non-zero complement must be hidden")
        #expect(hidden[Self.cell("A", type: "sex", code: "not_known")] == nil, "zero stays 0")
    }

    /// Community = at home + kinship + foster + an unpublished remainder of 3 (prospective adopters):
    /// with every part published the 3 is recoverable, so one part must be hidden.
    @Test("an unpublished remainder from 1 to 4 is protected too")
    func remainder() {
        let community = MeasureReference(indicator: "community", part: .numerator)
        let home = MeasureReference(indicator: "at-home", part: .numerator)
        let kinship = MeasureReference(indicator: "kinship", part: .numerator)
        let foster = MeasureReference(indicator: "foster", part: .numerator)
        let counts: [Cell: Int] = [Self.cell("A", community): 30, Self.cell("A", home): 10, Self.cell("A", kinship): 8, Self.cell("A", foster): 9]
        let group = DisclosureControl.Group(name: "community", total: community, parts: [home, kinship, foster], complete: false)
        let canonical = Dictionary(uniqueKeysWithValues: [community, home, kinship, foster].map { ($0, $0) })
        let hidden = DisclosureControl.suppress(counts, equations: DisclosureControl.equations(for: counts, groups: [group], canonical: canonical), rules: .init())
        #expect(hidden[Self.cell("A", kinship)]?.contains("group 'community'") == true)
        #expect(hidden.count == 1)

        // A remainder of 5 or more, or 0, needs nothing.
        var safe = counts
        safe[Self.cell("A", community)] = 27
        #expect(DisclosureControl.suppress(safe, equations: DisclosureControl.equations(for: safe, groups: [group], canonical: canonical), rules: .init()).isEmpty)
    }

    @Test("suppression carries across linked tables until no equation has a single hidden member")
    func cascades() {
        // Area A has 2 girls; hiding the complement (boys) in A then needs a second area in the Scotland equation for boys.
        var counts: [Cell: Int] = [:]
        let areas = ["A": (2, 30), "B": (20, 25), "C": (40, 35)]
        var girls = 0, boys = 0
        for (area, (g, b)) in areas {
            counts[Self.cell(area, type: "sex", code: "female")] = g
            counts[Self.cell(area, type: "sex", code: "male")] = b
            counts[Self.cell(area)] = g + b
            girls += g; boys += b
        }
        counts[Self.cell("S92000003", type: "sex", code: "female")] = girls
        counts[Self.cell("S92000003", type: "sex", code: "male")] = boys
        counts[Self.cell("S92000003")] = girls + boys
        let equations = DisclosureControl.equations(for: counts, groups: [], canonical: [:])
        let hidden = DisclosureControl.suppress(counts, equations: equations, rules: .init())
        for equation in equations {
            let members = [equation.total] + equation.parts
            #expect(members.filter { hidden[$0] != nil }.count != 1, "\(equation.name) leaks")
        }
        #expect(hidden[Self.cell("A", type: "sex", code: "female")] != nil)
    }

    @Test("no equation is left with exactly one hidden member, on many random tables")
    func randomTables() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            var counts: [Cell: Int] = [:]
            let areas = (0..<rng.int(2...6)).map { "A\($0)" }
            let codes = ["x", "y", "z"]
            var scotland: [String: Int] = [:]
            for area in areas {
                var total = 0
                for code in codes {
                    let value = rng.bernoulli(0.3) ? rng.int(0...4) : rng.int(0...60)
                    counts[Self.cell(area, type: "kind", code: code)] = value
                    scotland[code, default: 0] += value
                    total += value
                }
                counts[Self.cell(area)] = total
            }
            for code in codes { counts[Self.cell("S92000003", type: "kind", code: code)] = scotland[code] }
            counts[Self.cell("S92000003")] = scotland.values.reduce(0, +)
            let equations = DisclosureControl.equations(for: counts, groups: [], canonical: [:])
            let hidden = DisclosureControl.suppress(counts, equations: equations, rules: .init())
            for (cell, value) in counts where (1...4).contains(value) {
                #expect(hidden[cell] != nil, "a count from 1 to 4 was published: \(cell)")
            }
            for equation in equations {
                let members = [equation.total] + equation.parts
                let hiddenCount = members.filter { hidden[$0] != nil }.count
                #expect(hiddenCount != 1, "\(equation.name): one hidden member can be recovered by subtraction")
            }
            for (cell, value) in counts where value == 0 && hidden[cell]?.hasPrefix("primary") == true {
                Issue.record("zero suppressed as primary: \(cell)")
            }
        }
    }

    @Test("percentages and rates: suppressed with their numerator, or when the denominator is below 10")
    func derivedValues() throws {
        func definition(_ id: String, _ type: IndicatorDefinition.ValueType) -> IndicatorDefinition {
            IndicatorDefinition(id: id, title: id, shortTitle: id, shortDefinition: "", definition: "", outcome: "", confidenceMethod: .wilson, frequency: .annual, publisher: "", lastUpdated: "2026-01-01", nextUpdateDue: "2027-01-01", headlineRule: "linear_trend", valueSource: .computed, rationale: "", foundation: "family", visionStatement: 1,
                                role: .core, valueType: type, unit: "", polarity: .noJudgement, periodType: "reporting_year",
                                periodBasis: .snapshot, source: "", breakdowns: [], caveats: "",
                                numerator: .init(description: "", sql: "", sqlLine: 1, sameAs: nil),
                                denominator: type == .count ? nil : .init(description: "", sql: "", sqlLine: 1, sameAs: nil),
                                directionThreshold: 1, directionThresholdUnit: .percentagePoints,
                                file: "\(id).yml", sha256: "")
        }
        let share = definition("share", .percentage)
        func value(_ geography: String, _ n: Int, _ d: Double) -> IndicatorValue {
            var v = IndicatorValue(indicatorID: "share", key: CellKey(period: "2023-24", geography: geography), numerator: n, denominator: d)
            IndicatorEngine.fill(&v, numerator: n, denominator: d, valueType: .percentage)
            return v
        }
        // Scotland 15 of 99 = A 3 of 40 + B 5 of 50 + C 7 of 9.
        let values = [value("S92000003", 15, 99), value("A", 3, 40), value("B", 5, 50), value("C", 7, 9)]
        let published = DisclosureControl.apply(values, definitions: [share], rules: .init())
        let byArea = Dictionary(uniqueKeysWithValues: published.map { ($0.key.geography, $0) })
        let a = try #require(byArea["A"]), b = try #require(byArea["B"]), c = try #require(byArea["C"])
        #expect(a.numerator == nil && a.value == nil && a.marker == .confidential && a.lower95 == nil)
        #expect(a.suppressionRule?.hasPrefix("primary") == true)
        // B's 5 is the smallest other count in the Scotland equation (15 = 3 + 5 + 7), so it goes too.
        #expect(b.numerator == nil && b.value == nil && b.suppressionRule?.hasPrefix("secondary") == true)
        // C: 7 of 9. The count is published; the percentage is not, because 9 is below 10.
        #expect(c.numerator == 7 && c.denominator == 9)
        #expect(c.value == nil && c.marker == .confidential && c.suppressionRule == "derived: denominator below 10")
        #expect(byArea["S92000003"]?.value != nil)
    }
}
