import Testing
@testable import PromiseProgress

/// Survey results are protected as groups of respondents: no group of fewer than 10 is published,
/// and the answers inside a withheld group go with it; counts of answers are not withheld on their own size.
@Suite("Disclosure control for survey groups")
struct SurveyDisclosureTests {
    typealias Cell = TableStructure.Cell

    static func cell(_ geography: String, _ part: String, code: String = "total") -> Cell {
        Cell("survey-listened.\(part)", CellKey(period: "sw2025", geography: geography, breakdownType: code == "total" ? "total" : "age_group", breakdownCode: code))
    }

    static let declarations = [
        TableStructure.Declaration(measure: "survey-listened.denominator", population: "survey_answers_listened", unit: .respondents),
        TableStructure.Declaration(measure: "survey-listened.numerator", population: "survey_answers_listened", conditions: ["answer": ["favourable"]], unit: .answers),
    ]

    static func protect(_ counts: [Cell: Int]) throws -> ([Cell: DisclosureControl.Reason], [TableStructure.Relation]) {
        let byMeasure = Dictionary(uniqueKeysWithValues: declarations.map { ($0.measure, $0) })
        let relations = TableStructure.relations(cells: Set(counts.keys), declarations: byMeasure,
                                                 domains: [TableStructure.placementAttribute: [TableStructure.noPlacement]])
        var rules = DisclosureControl.Rules(largestSuppressedCount: 4, smallestRespondentGroup: 10)
        for declaration in declarations { rules.measureLimits[declaration.measure] = .some(rules.largest(for: declaration.unit)) }
        var report = DisclosureControl.Report()
        return (try DisclosureControl.suppress(counts, relations: relations, rules: rules, report: &report), relations)
    }

    /// Orkney: 7 answered, 6 favourably. Scotland minus Shetland would give Orkney's 7 away.
    @Test("a group of 7 respondents is withheld with its answers, and a second group so that Scotland minus the rest cannot give it away")
    func smallGroup() throws {
        let counts: [Cell: Int] = [
            Self.cell("S92000003", "denominator"): 7 + 40 + 200, Self.cell("S92000003", "numerator"): 6 + 3 + 170,
            Self.cell("A", "denominator"): 7, Self.cell("A", "numerator"): 6,
            Self.cell("B", "denominator"): 40, Self.cell("B", "numerator"): 3,
            Self.cell("C", "denominator"): 200, Self.cell("C", "numerator"): 170,
        ]
        let (hidden, relations) = try Self.protect(counts)
        #expect(hidden[Self.cell("A", "denominator")] == .primary, "7 respondents is below 10")
        #expect(hidden[Self.cell("A", "numerator")] != nil, "the answers inside a withheld group go with it")
        // Scotland's answers less B's and C's would give Orkney's 6 away: one more count of answers goes too.
        #expect(hidden[Self.cell("B", "numerator")] != nil || hidden[Self.cell("C", "numerator")] != nil)
        #expect(hidden[Self.cell("B", "denominator")] != nil || hidden[Self.cell("C", "denominator")] != nil, "a second group hides Orkney from Scotland minus the rest")
        #expect(hidden[Self.cell("S92000003", "denominator")] == nil)

        // The attacker's range for Orkney's 7, over everything published, must reach 0 and 10.
        let ranges = try DisclosureControlTests.attack(counts, hidden: Set(hidden.keys), relations: relations)
        let (lower, upper) = try #require(ranges[Self.cell("A", "denominator")])
        #expect(lower <= 1e-6)
        #expect(upper.map { $0 >= 10 - 1e-6 } ?? true, "proven at most \(upper!)")
    }

    @Test("a group of exactly 10 is published, with a numerator of 1")
    func groupOfTen() throws {
        let counts: [Cell: Int] = [
            Self.cell("S92000003", "denominator"): 10 + 50, Self.cell("S92000003", "numerator"): 1 + 30,
            Self.cell("A", "denominator"): 10, Self.cell("A", "numerator"): 1,
            Self.cell("B", "denominator"): 50, Self.cell("B", "numerator"): 30,
        ]
        let (hidden, _) = try Self.protect(counts)
        #expect(hidden.isEmpty)
    }
}
