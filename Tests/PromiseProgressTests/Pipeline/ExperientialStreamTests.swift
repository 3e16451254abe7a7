import Foundation
import GRDB
import Testing
@testable import PromiseProgress

/// The survey stream end to end on a small hand-made wave: every kind of bad row is rejected with its
/// reason and no valid row is lost; groups under 10 are withheld; a comment is published only with
/// consent, from a large enough group, and redacted.
@Suite("Experiential evidence: survey answers, comments and response rates", .removesTemporaryFiles)
struct ExperientialStreamTests {
    struct Built {
        var output: URL
        var validAnswers: Int
        var badLines: [Int: String]
    }

    static let built: Result<Built, any Error> = Fixture.shared { Result {
        let input = try Fixture.copyOfInputs()
        let folder = input.appendingPathComponent("experiential")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var lines = ["survey_id,wave,respondent_id,la_code,age_group,sex,placement_type,question_id,answer"]
        var valid = 0
        // 11 to 17: Glasgow 30, Edinburgh 25, Highland 40, Fife 35, Orkney 4 and four more areas 40 to 55
        // respondents; 4 to 7: Glasgow 12; 8 to 11: Highland 5.
        let listened = ["always", "always", "always", "sometimes", "never", "dont_know", "always", "prefer_not", "always", "sometimes"]
        let areas = [("S12000049", 30), ("S12000036", 25), ("S12000017", 40), ("S12000047", 35), ("S12000023", 4),
                     ("S12000033", 50), ("S12000042", 45), ("S12000050", 40), ("S12000029", 55)]
        for (area, count) in areas {
            for n in 1...count {
                let id = "\(area)-\(n)"
                let sex = n % 2 == 0 ? "female" : "male"
                lines.append("ylyc_11_17,sw2025,\(id),\(area),age_11_17,\(sex),kinship,q1117_listened,\(listened[n % listened.count])")
                lines.append("ylyc_11_17,sw2025,\(id),\(area),age_11_17,\(sex),kinship,q1117_feel_safe,\(n % 4 == 0 ? "sometimes" : "always")")
                valid += 2
            }
        }
        for n in 1...12 {
            lines.append("ylyc_4_7,sw2025,young-\(n),S12000049,age_4_7,male,foster_la,q47_listened,yes")
            valid += 1
        }
        // 8 to 11: only 5 answered this version in this wave, in Highland.
        for n in 1...5 {
            lines.append("ylyc_8_11,sw2025,mid-\(n),S12000017,age_8_11,female,kinship,q811_listened,always")
            valid += 1
        }
        var bad: [Int: String] = [:]
        func add(_ line: String, _ rule: String) {
            lines.append(line)
            bad[lines.count] = rule
        }
        add("ylyc_11_17,sw2025,new-1,S12000049,age_11_17,male,kinship,q1117_nonsense,always", "unknown_code")
        add("ylyc_11_17,sw2025,new-2,S12000049,age_11_17,male,kinship,q1117_listened,yes", "answer_not_on_scale")
        add("ylyc_11_17,sw2025,S12000049-1,S12000049,age_11_17,male,kinship,q1117_listened,never", "duplicate_id")
        add("ylyc_11_17,sw2025,new-3,Atlantis,age_11_17,male,kinship,q1117_listened,always", "unknown_council_area")
        add("ylyc_11_17,sw2025,new-4,S12000049,age_11_17,male,spaceship,q1117_listened,always", "unknown_placement_type")
        add("ylyc_11_17,sw2025,new-5,S12000049,age_4_7,male,kinship,q1117_listened,always", "age_group_mismatch")
        add("ylyc_11_17,sw2025,new-6,S12000049,age_11_17,male,kinship,q47_listened,yes", "question_not_in_survey")
        add("ylyc_11_17,2024-25,new-7,S12000049,age_11_17,male,kinship,q1117_listened,always", "unknown_code")
        add("ylyc_11_17,sw2025,S12000049-2,S12000049,age_11_17,male,kinship,q1117_settled,agree", "respondent_inconsistent")
        add("ylyc_11_17,sw2025,\"new-8,S12000049,age_11_17,male,kinship,q1117_listened,always", "unterminated_quote")
        try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("responses.csv"), atomically: true, encoding: .utf8)

        try """
        survey_id,wave,respondent_id,question_id,comment,consent_to_quote
        ylyc_11_17,sw2025,S12000049-1,q1117_listened,"Jamie helped me, email jamie.k@example.com or call 07700 900123",yes
        ylyc_11_17,sw2025,S12000049-3,q1117_listened,"purple elephant secret",no
        ylyc_8_11,sw2025,mid-1,q811_listened,"orange giraffe words",yes
        ylyc_11_17,sw2025,S12000036-2,q1117_feel_safe,"I feel safe now.
        My carers are kind.",yes
        ylyc_11_17,sw2025,nobody,q1117_listened,"who am I",yes
        ylyc_11_17,sw2025,S12000036-3,q1117_listened,"maybe so",maybe
        ylyc_11_17,sw2025,S12000049-5,q1117_listened,My key worker Morag listens to me,yes
        ylyc_11_17,sw2025,S12000049-7,q1117_listened,"I feel safe now.
        My carers are kind.",yes
        ylyc_4_7,sw2025,young-1,q47_listened,"I feel safe now.
        My carers are kind.",yes
        ylyc_11_17,sw2025,S12000049-9,q1117_feel_safe,I like my room a lot,yes
        ylyc_11_17,sw2025,S12000036-5,q1117_feel_safe,I feel safe now. My carers are kind. Thanks for asking.,yes
        \((4...24).map { "ylyc_11_17,sw2025,S12000036-\($0),q1117_listened,plain words \($0),no" }.joined(separator: "\n"))

        """.write(to: folder.appendingPathComponent("comments.csv"), atomically: true, encoding: .utf8)
        try """
        survey_id,wave,la_code,age_group,invited
        ylyc_11_17,sw2025,S12000049,age_11_17,200
        ylyc_11_17,sw2025,S12000036,age_11_17,50
        ylyc_11_17,sw2025,S12000017,age_11_17,80
        ylyc_11_17,sw2025,S12000047,age_11_17,70
        ylyc_11_17,sw2025,S12000023,age_11_17,6
        ylyc_11_17,sw2025,S12000033,age_11_17,100
        ylyc_11_17,sw2025,S12000042,age_11_17,90
        ylyc_11_17,sw2025,S12000050,age_11_17,80
        ylyc_11_17,sw2025,S12000029,age_11_17,300
        ylyc_4_7,sw2025,S12000049,age_4_7,20
        ylyc_11_17,sw2025,S12000020,age_4_7,10
        ylyc_11_17,sw2025,S12000021,age_11_17,abc
        \(["S12000005", "S12000006", "S12000008", "S12000010", "S12000011", "S12000013", "S12000014", "S12000018", "S12000019",
           "S12000026", "S12000027", "S12000028"].map { "ylyc_11_17,sw2023,\($0),age_11_17,12" }.joined(separator: "\n"))

        """.write(to: folder.appendingPathComponent("invited.csv"), atomically: true, encoding: .utf8)
        // A person approved these exact redacted texts; S12000049-9's approval was of an earlier text
        // (it changed since, so it needs review again), and Morag's comment has no decision yet.
        let safe = CommentRedactor.sha256("I feel safe now.\nMy carers are kind.")
        try """
        survey_id,wave,respondent_id,question_id,redacted_sha256,decision,reviewer,reviewed_on
        ylyc_11_17,sw2025,S12000049-1,q1117_listened,\(CommentRedactor.sha256(Self.redacted)),approved,test reviewer,2026-01-05
        ylyc_11_17,sw2025,S12000036-2,q1117_feel_safe,\(safe),approved,test reviewer,2026-01-05
        ylyc_11_17,sw2025,S12000049-7,q1117_listened,\(safe),approved,test reviewer,2026-01-05
        ylyc_4_7,sw2025,young-1,q47_listened,\(safe.uppercased()),approved,test reviewer,2026-01-05
        ylyc_11_17,sw2025,S12000049-9,q1117_feel_safe,\(CommentRedactor.sha256("I like my room")),approved,test reviewer,2026-01-05
        ylyc_8_11,sw2025,mid-1,q811_listened,\(CommentRedactor.sha256("orange giraffe words")),approved,test reviewer,2026-01-05
        ylyc_11_17,sw2025,S12000036-5,q1117_feel_safe,\(CommentRedactor.sha256("I feel safe now. My carers are kind. Thanks for asking.")),approved,test reviewer,2026-01-05

        """.write(to: folder.appendingPathComponent("quote-review.csv"), atomically: true, encoding: .utf8)

        let output = Fixture.temporaryDirectory("survey")
        try Build(layout: Fixture.layout(output: output, input: input), logger: MemoryLogger()).run()
        return Built(output: output, validAnswers: valid, badLines: bad)
    } }

    static let redacted = "[name] helped me, email [e-mail] or call [phone]"

    static func store() throws -> (Built, DatabaseQueue) {
        let built = try Self.built.get()
        return (built, try DatabaseQueue(path: built.output.appendingPathComponent("promise.sqlite").path))
    }

    @Test("every bad answer row is rejected with its line and reason, and every valid row loads")
    func rejections() throws {
        let (built, queue) = try Self.store()
        try queue.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT source_line, rule, reason FROM rejected_row WHERE source_file LIKE '%experiential/responses.csv' ORDER BY source_line")
            #expect(Dictionary(rows.map { ($0["source_line"] as Int, $0["rule"] as String) }, uniquingKeysWith: { first, _ in first }) == built.badLines)
            #expect(rows.allSatisfy { !($0["reason"] as String).isEmpty })
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM survey_response") == built.validAnswers, "no valid row lost")
            let scale = try String.fetchOne(db, sql: "SELECT reason FROM rejected_row WHERE rule = 'answer_not_on_scale'") ?? ""
            #expect(scale.contains("expected one of always, sometimes, never, dont_know, prefer_not"))

            let comments = try Row.fetchAll(db, sql: "SELECT source_line, rule FROM rejected_row WHERE source_file LIKE '%comments.csv' ORDER BY source_line")
            #expect(comments.map { $0["rule"] as String } == ["orphan", "unknown_code"])
            #expect(try String.fetchOne(db, sql: "SELECT comment FROM survey_comment WHERE respondent_id = 'S12000036-2'") == "I feel safe now.\nMy carers are kind.",
                    "a comment may run over lines")
            let invited = try Row.fetchAll(db, sql: "SELECT rule FROM rejected_row WHERE source_file LIKE '%invited.csv' ORDER BY source_line")
            #expect(invited.map { $0["rule"] as String } == ["age_group_mismatch", "invalid_number"])
        }
    }

    @Test("don't know and prefer not to say are kept out of the denominator; the value is the Wilson interval of the rest")
    func values() throws {
        let (_, queue) = try Self.store()
        try queue.read { db in
            // Edinburgh: 25 respondents, answers cycling through `listened` from n = 1 (before disclosure
            // control, which withholds Edinburgh beside Orkney's 4).
            let answers = (1...25).map { ["always", "always", "always", "sometimes", "never", "dont_know", "always", "prefer_not", "always", "sometimes"][$0 % 10] }
            let counted = answers.filter { $0 != "dont_know" && $0 != "prefer_not" }
            let favourable = Double(counted.filter { $0 == "always" }.count), n = Double(counted.count)
            let row = try #require(try Row.fetchOne(db, sql: """
                SELECT * FROM indicator_value WHERE indicator_id = 'survey-listened' AND period_id = 'sw2025' AND geography_code = 'S12000036' AND breakdown_type = 'total'
                """))
            #expect(row["denominator"] as Double? == n)
            #expect(row["numerator"] as Int? == Int(favourable))
            // Wilson score interval, worked out here independently.
            let z = 1.959963984540054, p = favourable / n
            let centre = (p + z * z / (2 * n)) / (1 + z * z / n)
            let half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
            #expect(abs((row["value"] as Double) - 100 * p) < 1e-9)
            #expect(abs((row["lower_95"] as Double) - 100 * (centre - half)) < 1e-6)
            #expect(abs((row["upper_95"] as Double) - 100 * (centre + half)) < 1e-6)
            // Orkney's 4 respondents: withheld, answers and all.
            let orkney = try #require(try Row.fetchOne(db, sql: """
                SELECT * FROM published_indicator_value WHERE indicator_id = 'survey-listened' AND period_id = 'sw2025' AND geography_code = 'S12000023' AND breakdown_type = 'total'
                """))
            #expect(orkney["denominator"] as Double? == nil && orkney["numerator"] as Int? == nil && orkney["value"] as Double? == nil)
            #expect(orkney["marker"] as String? == "[c]")
            // A council area with no respondents did not take part: not available, not zero.
            #expect(try String.fetchOne(db, sql: "SELECT marker FROM published_indicator_value WHERE indicator_id = 'survey-listened' AND period_id = 'sw2025' AND geography_code = 'S12000005' AND breakdown_type = 'total'") == "[x]")
        }
    }

    @Test("a comment with a name, an e-mail address and a phone number appears redacted; one without consent, or from a group under 10, appears nowhere")
    func quotes() throws {
        let (built, _) = try Self.store()
        let publicFolder = built.output.appendingPathComponent("public")
        let redacted = Self.redacted
        let index = try String(contentsOf: publicFolder.appendingPathComponent("site/index.html"), encoding: .utf8)
        #expect(index.contains(redacted))
        #expect(index.contains("A child or young person aged 11 to 17, 2025 survey"))
        let markdown = try String(contentsOf: publicFolder.appendingPathComponent("markdown/index.md"), encoding: .utf8)
        #expect(markdown.contains("> \\[name\\] helped me") || markdown.contains("> [name] helped me"))
        for file in Fixture.files(under: publicFolder) {
            let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
            for secret in ["purple elephant", "orange giraffe", "jamie.k@example.com", "07700 900123", "Jamie helped", "S12000049-1", "young-1", "YOUNG-1", "mid-1", "MID-1",
                           "Morag", "My key worker [name] listens", "I like my room"] {
                #expect(!text.contains(secret), "\(file.lastPathComponent) holds '\(secret)'")
            }
        }
        let quotes = try DatabaseQueue(path: publicFolder.appendingPathComponent("data/promise-public.sqlite").path).read { db in
            try String.fetchAll(db, sql: "SELECT quote FROM quote ORDER BY quote")
        }
        #expect(quotes == ["I feel safe now.\nMy carers are kind.", redacted],
                "an approved text once, however many wrote it, and not again with a few words added; nothing unapproved")
        let ageGroups = try DatabaseQueue(path: publicFolder.appendingPathComponent("data/promise-public.sqlite").path).read { db in
            try String.fetchAll(db, sql: "SELECT age_group FROM quote ORDER BY quote")
        }
        #expect(ageGroups == [PublicData.severalAgeGroups, "age_11_17"], "words from two age groups are attributed to neither")
        let quotesPage = try String(contentsOf: publicFolder.appendingPathComponent("site/quotes.html"), encoding: .utf8)
        #expect(quotesPage.contains("Children and young people in more than one age group"))
    }

    @Test("a quote is published only when a person approved its exact redacted text; the rest are listed for review beside the store, restricted")
    func review() throws {
        let (built, queue) = try Self.store()
        try queue.read { db in
            let states = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT respondent_id, review FROM survey_quote WHERE consent_to_quote = 'yes'").map {
                ($0["respondent_id"] as String, $0["review"] as String)
            })
            #expect(states["S12000049-1"] == "approved")
            // Given as young-1: respondent ids are identities, held in upper case (ValueRule.identity).
            #expect(states["YOUNG-1"] == "approved", "a hash in capitals is the same hash: \(states)")
            #expect(states["S12000049-5"] == "pending")
            #expect(states["S12000049-9"] == "changed", "an approval of another text is not an approval")
            #expect(try String.fetchOne(db, sql: "SELECT redacted FROM survey_quote WHERE respondent_id = 'S12000049-5'") == "My key worker [name] listens to me")
        }
        // Beside the restricted store in the release, owner and group only; never under public/.
        let list = built.output.appendingPathComponent("current/\(QuoteReviewList.fileName)")
        let text = try String(contentsOf: list, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "survey_id,wave,respondent_id,question_id,redacted_sha256,decision,reviewer,reviewed_on,review,group_respondents,redacted")
        #expect(lines.contains { $0.hasPrefix("ylyc_11_17,sw2025,S12000049-5,q1117_listened,\(CommentRedactor.sha256("My key worker [name] listens to me")),,,,pending,") && $0.hasSuffix(",My key worker [name] listens to me") })
        #expect(lines.contains { $0.hasPrefix("ylyc_11_17,sw2025,S12000049-9,q1117_feel_safe,\(CommentRedactor.sha256("I like my room a lot")),,,,changed,") })
        #expect(!lines.contains { $0.contains("mid-1") }, "a group under 10 is not listed: it could not be published")
        #expect(!lines.contains { $0.contains("S12000049-1,") }, "an approved quote is not listed")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: list.path)[.posixPermissions] as? Int)
        #expect(mode == 0o640)
        #expect(!Fixture.files(under: built.output.appendingPathComponent("public")).contains { $0.lastPathComponent == QuoteReviewList.fileName })
    }

    @Test("each survey value shows its group's response rate, marked low below a fifth")
    func responseRates() throws {
        let (built, _) = try Self.store()
        let page = try String(contentsOf: built.output.appendingPathComponent("public/site/indicators/survey-listened.html"), encoding: .utf8)
        // Scotland's rate as the public file gives it, beside Scotland's result.
        let scotland = try DatabaseQueue(path: built.output.appendingPathComponent("public/data/promise-public.sqlite").path).read { db in
            try Double.fetchOne(db, sql: "SELECT value FROM indicator_value WHERE indicator_id = 'survey-response-rate' AND period_id = 'sw2025' AND geography_code = 'S92000003' AND breakdown_type = 'total'")
        }
        // Published, or withheld ([c]) where protecting the small groups needs it: the page shows what the file gives.
        let shown = scotland.map { Formatting.value($0, type: .percentage) } ?? Marker.confidential.rawValue
        // (The cell carries its column's heading for phones.)
        #expect(page.contains("<td data-label=\"Response rate\" class=\"num\">\(shown)</td>"))
        // Glasgow (42 of 220) and South Lanarkshire (55 of 300) answered at rates below a fifth.
        #expect(page.contains("% (low)</td>"))
        #expect(page.contains("fewer than a fifth of those invited answered"))
        #expect(page.contains(">Respondents<"))
    }
}
