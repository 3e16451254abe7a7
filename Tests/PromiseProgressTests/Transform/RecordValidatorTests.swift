import Testing
@testable import PromiseProgress

@Suite("Record validation")
struct RecordValidatorTests {
    static let reference = ReferenceData(
        councilAreas: [
            "s12000047": "S12000047", "fife": "S12000047", "s12000015": "S12000047",
            "s12000048": "S12000048", "perth and kinross": "S12000048", "perth & kinross": "S12000048",
        ],
        placementTypes: ["kinship", "foster_la", "home_parents"],
        codelists: [
            "sex": ["male", "female", "not_known"], "ethnic_group": ["white_scottish", "not_known"], "disability": ["yes", "no", "not_known"],
            "legal_reason": ["cso_away"], "destination": ["home_parents", "not_known"],
            "siblings_looked_after": ["yes", "no", "not_known"], "living_with_siblings": ["all", "some", "none", "not_applicable"],
            "separation_reason": ["other"],
        ])
    let validator = RecordValidator(reference: reference)

    @Test("superseded codes and name variants become the current code", arguments: [
        ("S12000015", "S12000047"), ("Fife", "S12000047"), ("  fife ", "S12000047"), ("Perth & Kinross", "S12000048"), ("PERTH  AND KINROSS", "S12000048"),
    ])
    func councilAreas(_ input: String, _ expected: String) throws {
        let result = validator.validate(["C1", input, "2015-03-02", "Male", "white_scottish", "no"], file: ChildLevelStream.children)
        let values = try result.get()
        #expect(values[1] == expected)
        #expect(values[3] == "male", "codes are matched without regard to case and stored as listed")
    }

    @Test("every problem in a row is reported with its column and rule")
    func allProblems() throws {
        let result = validator.validate(["", "Atlantis", "2015-02-30", "boy", "white_scottish", "no"], file: ChildLevelStream.children)
        guard case .failure(let failure) = result else { Issue.record("expected problems"); return }
        #expect(failure.problems.map(\.column) == ["child_id", "la_code", "date_of_birth", "sex"])
        #expect(failure.problems.map(\.rule) == ["missing_value", "unknown_council_area", "invalid_date", "unknown_code"])
        #expect(failure.problems[1].reason.contains("found 'Atlantis'"))
        #expect(failure.problems[3].reason.contains("expected one of female, male, not_known"))
    }

    @Test("spaces around an identifier, the no-break space too, are removed; a zero-width character is rejected, named")
    func identifierEdges() throws {
        for raw in [" C1", "C1\t", "\u{00A0}C1\u{00A0}", "C1\u{2007}"] {
            let values = try validator.validate([raw, "Fife", "2015-03-02", "male", "white_scottish", "no"], file: ChildLevelStream.children).get()
            #expect(values[0] == "C1", "\(raw.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        for raw in ["C1\u{200B}", "\u{FEFF}C1", "C\u{200D}1"] {
            let result = validator.validate([raw, "Fife", "2015-03-02", "male", "white_scottish", "no"], file: ChildLevelStream.children)
            guard case .failure(let failure) = result else { Issue.record("\(raw.unicodeScalars.map { String($0.value, radix: 16) }) was accepted"); continue }
            #expect(failure.problems.map(\.rule) == ["invalid_identifier"])
            #expect(failure.problems[0].reason.contains("found U+"), "\(failure.problems[0].reason)")
        }
    }

    @Test("an end date before the start date is rejected")
    func endBeforeStart() {
        let result = validator.validate(["P1", "E1", "2020-05-01", "2020-04-30", "kinship", "no", "not_applicable", ""], file: ChildLevelStream.placements)
        guard case .failure(let failure) = result else { Issue.record("expected a problem"); return }
        #expect(failure.problems.map(\.rule) == ["end_before_start"])
        #expect(failure.problems[0].reason == "end_date 2020-04-30 is before start_date 2020-05-01")
    }

    @Test("sibling items must agree with each other", arguments: [
        (["no", "all", ""], "siblings_inconsistent"),
        (["yes", "not_applicable", ""], "siblings_inconsistent"),
        (["yes", "all", "other"], "siblings_inconsistent"),
    ])
    func siblings(_ fields: [String], _ rule: String) {
        let result = validator.validate(["P1", "E1", "2020-05-01", "", "kinship"] + fields, file: ChildLevelStream.placements)
        guard case .failure(let failure) = result else { Issue.record("expected a problem for \(fields)"); return }
        #expect(failure.problems.map(\.rule) == [rule])
    }

    @Test("an open episode has no destination; an ended one needs one")
    func destination() {
        let open = validator.validate(["E1", "C1", "Fife", "2020-05-01", "", "cso_away", "home_parents"], file: ChildLevelStream.episodes)
        let ended = validator.validate(["E1", "C1", "Fife", "2020-05-01", "2021-01-01", "cso_away", ""], file: ChildLevelStream.episodes)
        let good = validator.validate(["E1", "C1", "Fife", "2020-05-01", "2021-01-01", "cso_away", "not_known"], file: ChildLevelStream.episodes)
        guard case .failure = open, case .failure = ended, case .success(let values) = good else {
            Issue.record("unexpected results"); return
        }
        #expect(values[2] == "S12000047")
    }
}
