import Foundation
import GRDB

/// The restricted list of quotes waiting for a person: every comment with consent, some text and a
/// group large enough to publish whose exact redacted text no reviewer has approved (no decision yet,
/// a decision on a text that has changed since, or rejected). Written beside the restricted store as
/// `quotes-for-review.csv`, mode 0640, and published with the store into the release folder
/// (`out/current/quotes-for-review.csv`); never under `public/`.
///
/// Its first eight columns are those of `experiential/quote-review.csv`, with `decision`, `reviewer`
/// and `reviewed_on` left for the reviewer to fill in; `review`, `group_respondents` and `redacted`
/// (the text exactly as it would be published) follow, to read.
public enum QuoteReviewList {
    public static let fileName = "quotes-for-review.csv"
    static let columns = ExperientialStream.quoteReview.columnNames + ["review", "group_respondents", "redacted"]

    public struct Counts: Sendable, Equatable {
        public var approved = 0, rejected = 0, pending = 0, changed = 0
        /// Approved quotes whose text another approved quote already has (published once).
        public var published = 0
    }

    /// Writes the list to `url` and returns how many quotes that could be published are in each state.
    @discardableResult
    public static func write(to url: URL, from db: Database, rules: DisclosureControl.Rules) throws -> Counts {
        let smallestGroup = rules.smallestRespondentGroup
        var csv = CSVWriter(header: columns)
        var counts = Counts()
        guard try db.tableExists("survey_quote"), try db.tableExists("quote_for_review") else {
            try save(csv, to: url)
            return counts
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM quote_for_review WHERE group_respondents >= ? ORDER BY wave, survey_id, respondent_id, question_id", arguments: [smallestGroup]) {
            let text = { (column: String) in row[column] as String? ?? "" }
            csv.append([text("survey_id"), text("wave"), text("respondent_id"), text("question_id"), text("redacted_sha256"), "", "", "",
                        text("review"), String(row["group_respondents"] as Int), text("redacted")])
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT review, COUNT(*) AS n FROM survey_quote
            WHERE consent_to_quote = 'yes' AND group_respondents >= ? AND trim(redacted) <> '' GROUP BY review
            """, arguments: [smallestGroup]) {
            let n: Int = row["n"]
            switch row["review"] as String {
            case "approved": counts.approved = n
            case "rejected": counts.rejected = n
            case "changed": counts.changed = n
            default: counts.pending = n
            }
        }
        let query = PublicData.source(of: PublicData.quotes, rules: rules)
        counts.published = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (\(query.sql))", arguments: query.arguments) ?? 0
        try save(csv, to: url)
        return counts
    }

    static func save(_ csv: CSVWriter, to url: URL) throws {
        try? FileManager.default.removeItem(at: url)
        // Created with owner and group access only, before any text is in it.
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o640]) else {
            throw OperatorError.fileSystem(what: "write the list of quotes for review", path: url.path, reason: "the file cannot be created")
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: Data(csv.text.utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: url.path)
    }
}
