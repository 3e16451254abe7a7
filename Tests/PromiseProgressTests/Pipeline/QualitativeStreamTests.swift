import Foundation
import GRDB
import Testing
@testable import PromiseProgress

/// The documents and the commitments tracker end to end: bad tracker rows and unreadable documents
/// are rejected with reasons; statements are searchable in the public file; the process indicators
/// match an independent count of the tracker; pages escape document text.
@Suite("Qualitative evidence: documents, commitments and process indicators", .removesTemporaryFiles)
struct QualitativeStreamTests {
    static let built: Result<URL, any Error> = Fixture.shared { Result {
        let input = try Fixture.copyOfInputs()
        let folder = input.appendingPathComponent("qualitative")
        try FileManager.default.copyItem(at: Fixture.repositoryRoot.appendingPathComponent("Data/qualitative"), to: folder)
        let documents = folder.appendingPathComponent("documents")
        try Data([0x54, 0x69, 0x74, 0x6C, 0x65, 0x0A, 0xFF, 0xFE, 0x0A]).write(to: documents.appendingPathComponent("broken.txt"))
        try "A second copy\n\nSame id as the Markdown file.\n".write(to: documents.appendingPathComponent("voice-and-participation.txt"), atomically: true, encoding: .utf8)
        try "Tricky text [link](http://example.org) and `code` *here*\n\nWe will publish [the plan](javascript:alert(1)) and <script>alert(1)</script>.\n"
            .write(to: documents.appendingPathComponent("tricky.md"), atomically: true, encoding: .utf8)
        let tracker = folder.appendingPathComponent("commitments.csv")
        var text = try String(contentsOf: tracker, encoding: .utf8)
        text += """
        C90,Bad status,Someone,2025-01-01,finished,care,,2024-01-01
        C91,Bad date,Someone,2025-02-30,on_track,care,,2024-01-01
        C92,Bad foundation,Someone,2025-01-01,on_track,hope,,2024-01-01
        C93,Missing document,Someone,2025-01-01,on_track,care,no-such-document,2024-01-01
        C01,Repeat of an update,Someone,2025-03-31,delivered,voice,,2025-03-31

        """
        try text.write(to: tracker, atomically: true, encoding: .utf8)
        let output = Fixture.temporaryDirectory("qualitative")
        try Build(layout: Fixture.layout(output: output, input: input), logger: MemoryLogger(), maximumRejectedShare: 0.5).run()
        return output
    } }

    @Test("bad tracker rows and unreadable documents are rejected with their reason; the rest load")
    func rejections() throws {
        let output = try Self.built.get()
        try DatabaseQueue(path: output.appendingPathComponent("promise.sqlite").path).read { db in
            let tracker = try Row.fetchAll(db, sql: "SELECT column_name, rule FROM rejected_row WHERE source_file LIKE '%commitments.csv' ORDER BY source_line")
            #expect(tracker.map { "\($0["column_name"] as String? ?? ""):\($0["rule"] as String)" }
                    == ["status:unknown_code", "due:invalid_date", "foundation:unknown_code", "updated:duplicate_id", "source_document:orphan"]
                    || Set(tracker.map { $0["rule"] as String }) == ["unknown_code", "invalid_date", "duplicate_id", "orphan"])
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM commitment") == 34, "every good tracker row")
            let documents = try Row.fetchAll(db, sql: "SELECT source_file, rule FROM rejected_row WHERE source_file LIKE '%documents/%' ORDER BY source_file")
            #expect(documents.map { $0["rule"] as String }.sorted() == ["duplicate_id", "invalid_encoding"])
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document") == 7)
            // Statements trace back: the file's characters at the offsets, spaces tidied, are the statement.
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.text, substr(d.body, s.start_offset + 1, s.end_offset - s.start_offset) AS source FROM statement s JOIN document d USING (document_id)
                WHERE s.text NOT LIKE '%[%' AND d.body NOT LIKE '%p.%**%'
                """)
            #expect(rows.count > 30)
            for row in rows {
                let source = (row["source"] as String).split(whereSeparator: \.isWhitespace).joined(separator: " ")
                #expect(source == row["text"] as String)
            }
        }
    }

    @Test("process indicators match a count of the tracker made here")
    func indicators() throws {
        let output = try Self.built.get()
        // Independently: each commitment's latest update by 31 March 2025 from the embedded tracker.
        let lines = try String(contentsOf: Fixture.repositoryRoot.appendingPathComponent("Data/qualitative/commitments.csv"), encoding: .utf8)
        var latest: [String: (updated: String, status: String, foundation: String)] = [:]
        for case .record(_, let fields) in CSVReader(string: lines).rows().dropFirst() where fields[7] <= "2025-03-31" {
            if latest[fields[0]].map({ $0.updated < fields[7] }) ?? true { latest[fields[0]] = (fields[7], fields[4], fields[5]) }
        }
        let delivered = latest.values.filter { $0.status == "delivered" }.count
        try DatabaseQueue(path: output.appendingPathComponent("public/data/promise-public.sqlite").path).read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT numerator, denominator, value FROM indicator_value WHERE indicator_id = 'commitments-delivered' AND period_id = 'fy2024-25' AND breakdown_type = 'total'"))
            #expect(row["numerator"] as Int == delivered)
            #expect(row["denominator"] as Double == Double(latest.count))
            let open = try Int.fetchOne(db, sql: "SELECT numerator FROM indicator_value WHERE indicator_id = 'commitments-open' AND period_id = 'fy2024-25' AND breakdown_type = 'foundation' AND breakdown_code = 'care'")
            #expect(open == latest.values.filter { $0.foundation == "care" && $0.status != "delivered" }.count)
            #expect(try String.fetchOne(db, sql: "SELECT marker FROM indicator_value WHERE indicator_id = 'commitments-open' AND period_id = 'fy2019-20' AND breakdown_type = 'total'") == "[x]",
                    "no tracker yet")
            // Full-text search in the public file, with a snippet.
            let hits = try String.fetchAll(db, sql: "SELECT snippet(statement_search, 4, '[', ']', '…', 8) FROM statement_search WHERE statement_search MATCH 'advocate' ORDER BY rank")
            #expect(hits.contains { $0.contains("[advocate]") || $0.contains("[advocacy]") })
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document_search WHERE document_search MATCH 'sibling*'") ?? 0 >= 2)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM statement WHERE text LIKE '%@%'") == 0)
        }
    }

    @Test("document text is escaped in HTML, and in Markdown nothing can form a link or code span")
    func escaping() throws {
        let output = try Self.built.get()
        let html = try String(contentsOf: output.appendingPathComponent("public/site/documents/tricky.html"), encoding: .utf8)
        #expect(!html.contains("<script>") && html.contains("&lt;script&gt;"))
        #expect(!html.contains("href=\"javascript:") && !html.contains("href=\"http://example.org"))
        let markdown = try String(contentsOf: output.appendingPathComponent("public/markdown/documents/tricky.md"), encoding: .utf8)
        #expect(markdown.contains("\\[link\\]\\(http://example.org\\)"))
        #expect(markdown.contains("\\`code\\`"))
        #expect(!markdown.contains("](javascript"))
        let evidence = try String(contentsOf: output.appendingPathComponent("public/site/evidence/care.html"), encoding: .utf8)
        #expect(evidence.contains("Publish practice guidance on keeping brothers and sisters together"))
        #expect(evidence.contains("href=\"../documents/"))
    }
}
