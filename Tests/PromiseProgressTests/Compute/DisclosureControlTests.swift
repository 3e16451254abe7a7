import Testing
@testable import PromiseProgress

@Suite("Disclosure control")
struct DisclosureControlTests {
    typealias Cell = TableStructure.Cell

    static func cell(_ geography: String, _ measure: String = "looked-after.numerator", type: String = "total", code: String = "total", period: String = "2023-24") -> Cell {
        Cell(measure, CellKey(period: period, geography: geography, breakdownType: type, breakdownCode: code))
    }

    /// Withholds cells from `counts` under the relations derived from `declarations`.
    static func protect(_ counts: [Cell: Int], _ declarations: [TableStructure.Declaration] = [], placementTypes: Set<String> = []) throws -> ([Cell: DisclosureControl.Reason], [TableStructure.Relation]) {
        let byMeasure = Dictionary(uniqueKeysWithValues: declarations.map { ($0.measure, $0) })
        let relations = TableStructure.relations(cells: Set(counts.keys), declarations: byMeasure,
                                                 domains: [TableStructure.placementAttribute: placementTypes.union([TableStructure.noPlacement])])
        var report = DisclosureControl.Report()
        return (try DisclosureControl.suppress(counts, relations: relations, rules: .init(), report: &report), relations)
    }

    /// The attacker's range for every withheld cell, worked out directly with GLPK: every relation as an
    /// equation or inequality over non-negative unknowns, each withheld cell minimised and maximised alone.
    static func attack(_ counts: [Cell: Int], hidden: Set<Cell>, relations: [TableStructure.Relation]) throws -> [Cell: (Double, Double?)] {
        var index: [TableStructure.Term: Int] = [:]
        for relation in relations {
            for term in [TableStructure.Term.cell(relation.total)] + relation.parts where index[term] == nil {
                if case .cell(let c) = term, !hidden.contains(c) { continue }
                index[term] = index.count
            }
        }
        var result: [Cell: (Double, Double?)] = [:]
        for target in hidden.sorted() {
            guard let variable = index[.cell(target)] else { result[target] = (0, nil); continue }
            var bounds: [Double?] = []
            for maximize in [false, true] {
                let program = LinearProgram(variableCount: index.count)
                for relation in relations {
                    for (terms, equal) in relation.constraints {
                        var constant = 0.0
                        var unknown: [(variable: Int, coefficient: Double)] = []
                        for (term, coefficient) in terms {
                            if let v = index[term] { unknown.append((v, coefficient)) } else if case .cell(let c) = term { constant -= coefficient * Double(counts[c]!) }
                        }
                        if !unknown.isEmpty { program.add(unknown, equal ? .equal : .atMost, constant) }
                    }
                }
                switch try program.solve([(variable, 1)], maximize: maximize) {
                case .optimal(let value): bounds.append(value)
                case .unbounded: bounds.append(nil)
                case .infeasible: Issue.record("infeasible attack on \(target)"); bounds.append(nil)
                }
            }
            result[target] = (bounds[0] ?? 0, bounds[1])
        }
        return result
    }

    /// Every withheld count from 1 to 4 must be able to be 0 and to reach 5.
    static func expectProtected(_ counts: [Cell: Int], _ hidden: [Cell: DisclosureControl.Reason], _ relations: [TableStructure.Relation],
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        let ranges = try attack(counts, hidden: Set(hidden.keys), relations: relations)
        for (cell, count) in counts where (1...4).contains(count) {
            #expect(hidden[cell] != nil, "\(cell) is a count of \(count) and is published", sourceLocation: sourceLocation)
            guard let (lower, upper) = ranges[cell] else { continue }
            #expect(lower <= 1e-6, "\(cell) = \(count) is proven at least \(lower)", sourceLocation: sourceLocation)
            #expect(upper.map { $0 >= 5 - 1e-6 } ?? true, "\(cell) = \(count) is proven at most \(upper!)", sourceLocation: sourceLocation)
        }
    }

    /// Naive primary suppression of Orkney's 3 leaks through the Scotland total: 113 - 50 - 60 = 3.
    @Test("a withheld council area cannot be recovered from Scotland minus the others")
    func scotlandMinusOthers() throws {
        let counts: [Cell: Int] = [Self.cell("S92000003"): 113, Self.cell("A"): 3, Self.cell("B"): 50, Self.cell("C"): 60]
        let (hidden, relations) = try Self.protect(counts)
        #expect(hidden[Self.cell("A")] == .primary)
        #expect(hidden[Self.cell("B")] == .secondary, "the smallest other area must be hidden too")
        #expect(hidden[Self.cell("C")] == nil)
        #expect(hidden[Self.cell("S92000003")] == nil, "Scotland stays published")
        try Self.expectProtected(counts, hidden, relations)
    }

    /// 2 boys: hiding the boys and girls is not enough when the girls' count is itself tied down.
    @Test("a withheld category cannot be recovered from its total; zero stays 0")
    func breakdownTotal() throws {
        let counts: [Cell: Int] = [
            Self.cell("A"): 42,
            Self.cell("A", type: "sex", code: "male"): 2,
            Self.cell("A", type: "sex", code: "female"): 40,
            Self.cell("A", type: "sex", code: "not_known"): 0,
        ]
        let (hidden, relations) = try Self.protect(counts)
        #expect(hidden[Self.cell("A", type: "sex", code: "male")] == .primary)
        #expect(hidden[Self.cell("A", type: "sex", code: "female")] != nil, "the only non-zero complement must be hidden")
        #expect(hidden[Self.cell("A", type: "sex", code: "not_known")] == nil, "zero stays 0")
        try Self.expectProtected(counts, hidden, relations)
    }

    /// Fife, 2022-23: residential 90, and its published residential placement types added to 89, so
    /// secure care was 1. The link comes from the definitions: residential counts the same children as
    /// the residential placement types of looked after.
    @Test("linked tables: a placement type cannot be recovered through the setting indicator")
    func placementTypesAndSetting() throws {
        let types: [String: (Int, String)] = ["home_parents": (40, "community"), "kinship": (60, "community"), "foster_la": (70, "community"),
                                              "residential_la_home": (50, "residential"), "residential_school": (39, "residential"), "secure": (1, "residential")]
        let declarations = [
            TableStructure.Declaration(measure: "looked-after.numerator", population: "looked_after_on_31_july"),
            TableStructure.Declaration(measure: "residential.numerator", population: "looked_after_on_31_july",
                                       conditions: [TableStructure.placementAttribute: Set(types.filter { $0.value.1 == "residential" }.keys)]),
        ]
        var counts: [Cell: Int] = [Self.cell("A"): types.values.reduce(0) { $0 + $1.0 }, Self.cell("A", "residential.numerator"): 90]
        for (code, (count, _)) in types { counts[Self.cell("A", type: "placement_type", code: code)] = count }
        let (hidden, relations) = try Self.protect(counts, declarations, placementTypes: Set(types.keys))
        #expect(relations.contains { $0.total == Self.cell("A", "residential.numerator") && $0.kind == .sum && $0.parts.count == 3 },
                "residential = the sum of its three placement types, derived from the definitions")
        #expect(hidden[Self.cell("A", type: "placement_type", code: "secure")] == .primary)
        try Self.expectProtected(counts, hidden, relations)
        // Published zero next to nothing small, and the setting total survives when it can.
        #expect(hidden[Self.cell("A")] == nil)
    }

    /// Orkney, 2019-20: 2 children aged 16-17 looked after, and a published residential = 0 for them would
    /// say both are in the community. Inside a withheld total of 1 to 4 nothing is published, zeros included.
    @Test("zeros inside a withheld small total are withheld too")
    func zerosBesideHiddenGroup() throws {
        let declarations = [
            TableStructure.Declaration(measure: "looked-after.numerator", population: "looked_after_on_31_july"),
            TableStructure.Declaration(measure: "residential.numerator", population: "looked_after_on_31_july", conditions: [TableStructure.placementAttribute: ["secure"]]),
            TableStructure.Declaration(measure: "community.numerator", population: "looked_after_on_31_july", conditions: [TableStructure.placementAttribute: ["kinship"]]),
        ]
        var counts: [Cell: Int] = [:]
        for (area, (la, res, com)) in ["A": (2, 0, 2), "B": (40, 10, 30), "S92000003": (42, 10, 32)] {
            counts[Self.cell(area)] = la
            counts[Self.cell(area, "residential.numerator")] = res
            counts[Self.cell(area, "community.numerator")] = com
        }
        let (hidden, relations) = try Self.protect(counts, declarations, placementTypes: ["secure", "kinship"])
        #expect(hidden[Self.cell("A")] == .primary)
        #expect(hidden[Self.cell("A", "residential.numerator")] != nil, "the 0 beside a withheld 2 would say where both children live")
        try Self.expectProtected(counts, hidden, relations)
    }

    /// Random linked tables: areas x categories with Scotland and totals, plus a second measure counting
    /// a subset of the same children. After suppression, an attacker solving linear programmes over every
    /// relation never narrows a count from 1 to 4 away from 0 or 5.
    @Test("property: random linked tables, suppressed, then attacked, leak nothing", arguments: 0..<12)
    func randomLinkedTables(seed: UInt64) throws {
        var random = SplitMix64(seed: 1000 + seed)
        let areas = (0..<(2 + Int(random.next() % 4))).map { "A\($0)" }
        let codes = ["home_parents", "kinship", "secure", "residential_school"]
        let declarations = [
            TableStructure.Declaration(measure: "looked-after.numerator", population: "looked_after_on_31_july"),
            TableStructure.Declaration(measure: "residential.numerator", population: "looked_after_on_31_july",
                                       conditions: [TableStructure.placementAttribute: ["secure", "residential_school"]]),
        ]
        var counts: [Cell: Int] = [:]
        var scotland: [String: Int] = [:]
        for area in areas {
            var total = 0, residential = 0
            for code in codes {
                // Mostly small counts, so many cells are sensitive and patterns interact.
                let count = Int(random.next() % 3 == 0 ? random.next() % 30 : random.next() % 6)
                counts[Self.cell(area, type: "placement_type", code: code)] = count
                scotland[code, default: 0] += count
                total += count
                if code == "secure" || code == "residential_school" { residential += count }
            }
            counts[Self.cell(area)] = total
            counts[Self.cell(area, "residential.numerator")] = residential
        }
        for (code, count) in scotland { counts[Self.cell("S92000003", type: "placement_type", code: code)] = count }
        counts[Self.cell("S92000003")] = scotland.values.reduce(0, +)
        counts[Self.cell("S92000003", "residential.numerator")] = scotland["secure"]! + scotland["residential_school"]!
        let (hidden, relations) = try Self.protect(counts, declarations, placementTypes: Set(codes))
        try Self.expectProtected(counts, hidden, relations)
        for (cell, value) in counts where value == 0 && hidden[cell] == .primary {
            Issue.record("zero withheld as primary: \(cell)")
        }
    }

    @Test("a declared relation that does not hold on the data stops the build")
    func relationMustHold() throws {
        // "residential" declared as secure care, but its count exceeds the secure placements.
        let declarations = [
            TableStructure.Declaration(measure: "looked-after.numerator", population: "looked_after_on_31_july"),
            TableStructure.Declaration(measure: "residential.numerator", population: "looked_after_on_31_july", conditions: [TableStructure.placementAttribute: ["secure"]]),
        ]
        let counts: [Cell: Int] = [Self.cell("A"): 30, Self.cell("A", type: "placement_type", code: "secure"): 6,
                                   Self.cell("A", type: "placement_type", code: "kinship"): 24, Self.cell("A", "residential.numerator"): 9]
        let relations = TableStructure.relations(cells: Set(counts.keys), declarations: Dictionary(uniqueKeysWithValues: declarations.map { ($0.measure, $0) }),
                                                 domains: [TableStructure.placementAttribute: ["secure", "kinship", TableStructure.noPlacement]])
        #expect(throws: DisclosureControl.Failure.self) { try DisclosureControl.checkRelationsHold(relations, counts: counts) }
    }

    @Test("the attacker's range by linear programming: x + y = 5 with y at most 3 puts x between 2 and 5")
    func provableRange() throws {
        // Unknowns x (0) and y (1): x + y = 5; y - 3 <= 0.
        var ranges = ProvableRanges(unknownCount: 2, constraints: [.init(terms: [(0, 1), (1, 1)], equal: true, constant: 5),
                                                                 .init(terms: [(1, 1)], equal: false, constant: 3)])
        let result = try ranges.bound(lowerQueries: [0, 1], upperQueries: [0, 1], target: 5)
        #expect(abs((result[0]?.lower ?? 0) - 2) < 1e-9, "x is at least 2")
        #expect(result[0]?.upper == nil, "x can reach 5")
        #expect(result[1]?.lower == nil, "y can be 0")
        #expect(abs((result[1]?.upper ?? 0) - 3) < 1e-9, "y is at most 3")
    }

    @Test("percentages: withheld with their numerator; on a denominator below 10, published marked [u] with their counts")
    func derivedValues() throws {
        let definition = IndicatorDefinition(id: "share", title: "share", shortTitle: "share", shortDefinition: "", definition: "", outcome: "", confidenceMethod: .wilson, frequency: .annual, publisher: "", lastUpdated: "2026-01-01", nextUpdateDue: "2027-01-01", headlineRule: "linear_trend", valueSource: .computed, rationale: "", foundation: "family", visionStatement: 1,
                                             role: .core, valueType: .percentage, unit: "", polarity: .noJudgement, periodType: "reporting_year",
                                             periodBasis: .snapshot, source: "", breakdowns: [], caveats: "",
                                             numerator: .init(description: "", sql: "", sqlLine: 1, population: .init(name: "p", conditions: ["x": ["y"]])),
                                             denominator: .init(description: "", sql: "", sqlLine: 1, population: .init(name: "p")),
                                             directionThreshold: 1, directionThresholdUnit: .percentagePoints, file: "share.yml", sha256: "")
        func value(_ geography: String, _ n: Int, _ d: Double) -> IndicatorValue {
            var v = IndicatorValue(indicatorID: "share", key: CellKey(period: "2023-24", geography: geography), numerator: n, denominator: d)
            IndicatorEngine.fill(&v, numerator: n, denominator: d, valueType: .percentage)
            return v
        }
        // Scotland 17 of 99 = A 3 of 40 + B 5 of 50 + C 9 of 9.
        let values = [value("S92000003", 17, 99), value("A", 3, 40), value("B", 5, 50), value("C", 9, 9)]
        var report = DisclosureControl.Report()
        let published = try DisclosureControl.apply(values, definitions: [definition], rules: .init(), placementTypes: [], report: &report)
        let byArea = Dictionary(uniqueKeysWithValues: published.map { ($0.key.geography, $0) })
        let a = try #require(byArea["A"]), b = try #require(byArea["B"]), c = try #require(byArea["C"])
        #expect(a.numerator == nil && a.value == nil && a.marker == .confidential && a.lower95 == nil)
        #expect(a.suppressionRule?.hasPrefix("primary") == true)
        #expect(b.numerator == nil && b.value == nil && b.marker == .confidential, "B's 5 goes too, or Scotland minus B and C gives A")
        // C: 9 of 9. Everything the value is computed from is published, so the value is too, marked [u].
        #expect(c.numerator == 9 && c.denominator == 9 && c.value != nil && c.marker == .lowReliability && c.lower95 != nil)
        #expect(byArea["S92000003"]?.value != nil)
        #expect(report.withheld[.primary] == 1 && report.withheldTotal >= 2 && report.totalCount > 0)

        // 7 of 9 would leave 2 children outside the percentage, worked out as 9 - 7: a count from 1 to 4 too.
        let leaky = [value("S92000003", 15, 99), value("A", 3, 40), value("B", 5, 50), value("C", 7, 9)]
        let withheld = try DisclosureControl.apply(leaky, definitions: [definition], rules: .init(), placementTypes: [], report: &report)
        #expect(withheld.first { $0.key.geography == "C" }?.value == nil, "the 2 outside is protected")
    }
}
