import Testing
@testable import PromiseProgress

/// Survey results are protected as groups of respondents: no group of fewer than 10 is published,
/// and the answers inside a withheld group go with it; a count of answers, and of those not giving
/// the answer, is a count of children, withheld from 1 to 4.
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

    /// Protection as `apply` runs it: with the respondents not giving the answer beside each count of answers.
    static func protectWithComplements(_ counts: [Cell: Int]) throws -> ([Cell: DisclosureControl.Reason], [TableStructure.Relation], [Cell: Int]) {
        let byMeasure = Dictionary(uniqueKeysWithValues: declarations.map { ($0.measure, $0) })
        let groups = ["survey-listened.numerator": "survey-listened.denominator"]
        let all = DisclosureControl.withComplements(counts, answerGroups: groups)
        let relations = TableStructure.relations(cells: Set(all.keys), declarations: byMeasure,
                                                 domains: [TableStructure.placementAttribute: [TableStructure.noPlacement]], answerGroups: groups)
        var rules = DisclosureControl.Rules(largestSuppressedCount: 4, smallestRespondentGroup: 10)
        for declaration in declarations { rules.measureLimits[declaration.measure] = .some(rules.largest(for: declaration.unit)) }
        rules.answerGroups = groups
        var report = DisclosureControl.Report()
        return (try DisclosureControl.suppress(all, relations: relations, rules: rules, report: &report), relations, all)
    }

    /// Answers are children: "1 of 10" and "21 of 23" (so 2 did not) each single children out.
    @Test("no published result rests on 1 to 4 giving the answer, or 1 to 4 not giving it", arguments: [(10, 1), (23, 21), (23, 2), (30, 26)])
    func answersCountAsChildren(group: Int, favourable: Int) throws {
        let counts: [Cell: Int] = [
            Self.cell("S92000003", "denominator"): group + 50 + 60, Self.cell("S92000003", "numerator"): favourable + 30 + 25,
            Self.cell("A", "denominator"): group, Self.cell("A", "numerator"): favourable,
            Self.cell("B", "denominator"): 50, Self.cell("B", "numerator"): 30,
            Self.cell("C", "denominator"): 60, Self.cell("C", "numerator"): 25,
        ]
        let (hidden, relations, all) = try Self.protectWithComplements(counts)
        #expect(hidden[Self.cell("A", "numerator")] != nil, "\(favourable) of \(group) may not be published")
        #expect(hidden[Self.cell("A", "denominator")] == nil, "a group of \(group) is large enough to publish")
        // An attacker's range for both sides of the answer must reach 0 and 5.
        let others = Cell(TableStructure.complementMeasure(of: "survey-listened.numerator"), Self.cell("A", "numerator").key)
        let ranges = try DisclosureControlTests.attack(all, hidden: Set(hidden.keys), relations: relations)
        let small = favourable <= 4 ? Self.cell("A", "numerator") : others
        let (lower, upper) = try #require(ranges[small])
        #expect(lower <= 1e-6, "proven at least \(lower)")
        #expect(upper.map { $0 >= 5 - 1e-6 } ?? true, "proven at most \(upper!)")
    }

    @Test("a group of exactly 10 with 5 giving the answer is published")
    func groupOfTen() throws {
        let counts: [Cell: Int] = [
            Self.cell("S92000003", "denominator"): 10 + 50, Self.cell("S92000003", "numerator"): 5 + 30,
            Self.cell("A", "denominator"): 10, Self.cell("A", "numerator"): 5,
            Self.cell("B", "denominator"): 50, Self.cell("B", "numerator"): 30,
        ]
        let (hidden, _, _) = try Self.protectWithComplements(counts)
        #expect(hidden.isEmpty)
    }

    // MARK: - A topic's respondents are among the response rate's respondents, who are among those invited

    static let linked = [
        TableStructure.Declaration(measure: "survey-know-advocate.denominator", population: "survey_answers_know_advocate", unit: .respondents,
                                   within: "survey-response-rate.numerator"),
        TableStructure.Declaration(measure: "survey-know-advocate.numerator", population: "survey_answers_know_advocate", conditions: ["answer": ["favourable"]], unit: .answers),
        TableStructure.Declaration(measure: "survey-response-rate.numerator", population: "survey_invited", conditions: ["responded": ["yes"]], unit: .respondents),
        TableStructure.Declaration(measure: "survey-response-rate.denominator", population: "survey_invited", unit: .children),
    ]

    /// Three councils, one age group (8 to 11) each; council A: 20 invited, 12 answered, 5 answered the
    /// topic, 5 favourably. Council B: 41 answered, 40 of them the topic. Withholding A's topic group and
    /// B's (the smallest other) is not enough once B's group is known to be at most its 41 respondents:
    /// Scotland less C less 41 proves A's group is at least 4.
    static var linkedCounts: [Cell: Int] {
        var counts: [Cell: Int] = [:]
        let figures: [(String, topic: Int, favourable: Int, respondents: Int, invited: Int)] = [("A", 5, 5, 12, 20), ("B", 40, 30, 41, 60), ("C", 120, 80, 130, 200)]
        for breakdown in [("total", "total"), ("age_group", "age_8_11")] {
            func put(_ geography: String, _ values: (Int, Int, Int, Int)) {
                let key = CellKey(period: "sw2025", geography: geography, breakdownType: breakdown.0, breakdownCode: breakdown.1)
                counts[Cell("survey-know-advocate.denominator", key)] = values.0
                counts[Cell("survey-know-advocate.numerator", key)] = values.1
                counts[Cell("survey-response-rate.numerator", key)] = values.2
                counts[Cell("survey-response-rate.denominator", key)] = values.3
            }
            for f in figures { put(f.0, (f.topic, f.favourable, f.respondents, f.invited)) }
            put("S92000003", figures.reduce((0, 0, 0, 0)) { ($0.0 + $1.topic, $0.1 + $1.favourable, $0.2 + $1.respondents, $0.3 + $1.invited) })
        }
        return counts
    }

    static func protectLinked(_ declarations: [TableStructure.Declaration]) throws -> [Cell: DisclosureControl.Reason] {
        let byMeasure = Dictionary(uniqueKeysWithValues: declarations.map { ($0.measure, $0) })
        let counts = linkedCounts
        let relations = TableStructure.relations(cells: Set(counts.keys), declarations: byMeasure, domains: [TableStructure.placementAttribute: [TableStructure.noPlacement]])
        var rules = DisclosureControl.Rules(largestSuppressedCount: 4, smallestRespondentGroup: 10)
        for declaration in declarations { rules.measureLimits[declaration.measure] = .some(rules.largest(for: declaration.unit)) }
        rules.answerGroups = ["survey-know-advocate.numerator": "survey-know-advocate.denominator"]
        var report = DisclosureControl.Report()
        return try DisclosureControl.suppress(counts, relations: relations, rules: rules, report: &report)
    }

    @Test("a topic's group is at most the response rate's respondents in the same cell, and protection holds against that")
    func topicWithinRespondents() throws {
        let byMeasure = Dictionary(uniqueKeysWithValues: Self.linked.map { ($0.measure, $0) })
        let counts = Self.linkedCounts
        let relations = TableStructure.relations(cells: Set(counts.keys), declarations: byMeasure, domains: [TableStructure.placementAttribute: [TableStructure.noPlacement]])
        let within = relations.filter { $0.total.measure == "survey-response-rate.numerator" && $0.cells.contains { $0.measure == "survey-know-advocate.denominator" } }
        // Every cell where both are stated: 3 councils and Scotland, total and age group.
        #expect(within.count == 8)
        #expect(within.allSatisfy { $0.kind == .atMost })

        let hidden = try Self.protectLinked(Self.linked)
        let a = CellKey(period: "sw2025", geography: "A", breakdownType: "age_group", breakdownCode: "age_8_11")
        #expect(hidden[Cell("survey-know-advocate.denominator", a)] == .primary)
        #expect(hidden[Cell("survey-know-advocate.numerator", a)] != nil)
        // Answers go with their group whatever the group is withheld for (secondary or protection too).
        for (cell, _) in hidden where cell.measure == "survey-know-advocate.denominator" {
            #expect(hidden[Cell("survey-know-advocate.numerator", cell.key)] != nil, "answers published in a withheld group: \(cell)")
        }
        #expect(hidden.contains { $0.key.measure == "survey-know-advocate.denominator" && $0.value != .primary }, "the example has a group withheld for another reason")
        let ranges = try DisclosureControlTests.attack(counts, hidden: Set(hidden.keys), relations: relations)
        for measure in ["survey-know-advocate.denominator"] {
            let (lower, upper) = try #require(ranges[Cell(measure, a)])
            #expect(lower <= 1e-6, "\(measure) proven at least \(lower)")
            #expect(upper.map { $0 >= 10 - 1e-6 } ?? true, "\(measure) proven at most \(upper!)")
        }
    }

    @Test("without the relation, protection would leave the topic's group provably below 10 (the attack that found it)")
    func relationMatters() throws {
        let unlinked = Self.linked.map { var d = $0; d.within = nil; return d }
        let hidden = try Self.protectLinked(unlinked)
        let byMeasure = Dictionary(uniqueKeysWithValues: Self.linked.map { ($0.measure, $0) })
        let relations = TableStructure.relations(cells: Set(Self.linkedCounts.keys), declarations: byMeasure, domains: [TableStructure.placementAttribute: [TableStructure.noPlacement]])
        let ranges = try DisclosureControlTests.attack(Self.linkedCounts, hidden: Set(hidden.keys), relations: relations)
        let a = CellKey(period: "sw2025", geography: "A", breakdownType: "age_group", breakdownCode: "age_8_11")
        let (lower, _) = try #require(ranges[Cell("survey-know-advocate.denominator", a)])
        #expect(lower > 1e-6, "an attacker who knows the relation proves the group is not 0")
    }

    @Test("where a council's age group has no recorded invitations, no relation is stated for it or above it")
    func missingInvitations() throws {
        var counts = Self.linkedCounts
        let b = CellKey(period: "sw2025", geography: "B", breakdownType: "age_group", breakdownCode: "age_8_11")
        counts[Cell("survey-response-rate.numerator", b)] = nil
        counts[Cell("survey-response-rate.denominator", b)] = nil
        let byMeasure = Dictionary(uniqueKeysWithValues: Self.linked.map { ($0.measure, $0) })
        let relations = TableStructure.relations(cells: Set(counts.keys), declarations: byMeasure, domains: [TableStructure.placementAttribute: [TableStructure.noPlacement]])
        let within = Set(relations.filter { $0.total.measure == "survey-response-rate.numerator" && $0.cells.contains { $0.measure == "survey-know-advocate.denominator" } }.map { "\($0.total.key.geography) \($0.total.key.breakdownType)" })
        #expect(within == ["A age_group", "A total", "C age_group", "C total"])
    }
}
