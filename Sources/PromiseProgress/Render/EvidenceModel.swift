import GRDB

/// The qualitative evidence the dashboards show: per foundation, its commitments (status as at the
/// tracker's latest update), recent progress statements and quotes, each linked to the statement in
/// its source document; and one page per document, statement by statement. Read from tables that
/// are public already (statements have their contact details taken out; tracker text is scrubbed here).
public struct EvidenceModel {
    public struct Commitment {
        public var id, text, owner, due, status, updated: String
        public var sourceDocument: String?
        public var sourceTitle: String?
    }

    public struct Statement {
        public var documentID: String
        public var number: Int
        public var text: String
        public var kind: String
        public var documentTitle: String
        public var published: String
        public var foundations: String
    }

    public struct Foundation {
        public var id, name, description: String
        public var commitments: [Commitment]
        public var documentCommitments: [Statement]
        public var progress: [Statement]
        public var quotes: [Statement]
    }

    public struct Document {
        public var id, title, published, publisher, documentType, url, notFound: String
        public var sections: [(heading: String, statements: [Statement])]
    }

    public var foundations: [Foundation]
    public var documents: [Document]

    static let kindLabels = ["commitment": "Commitment", "progress": "Progress", "quote": "Quote", "context": "Context"]
    static let statusLabels = ["delivered": "Delivered", "on_track": "On track", "at_risk": "At risk", "off_track": "Off track", "not_started": "Not started"]

    public static func load(from db: Database) throws -> EvidenceModel {
        guard try db.tableExists("statement"), try db.tableExists("commitment") else { return EvidenceModel(foundations: [], documents: []) }
        let titles = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT document_id, title FROM document").map { ($0["document_id"] as String, $0["title"] as String) })
        func statements(_ sql: String, _ arguments: StatementArguments = []) throws -> [Statement] {
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                Statement(documentID: row["document_id"], number: row["statement_no"], text: row["text"], kind: row["kind"],
                          documentTitle: row["title"], published: row["published"] ?? "", foundations: row["foundations"] ?? "")
            }
        }
        let select = """
            SELECT s.document_id, s.statement_no, s.text, s.kind, d.title, d.published,
                   (SELECT group_concat(DISTINCT f2.foundation_id) FROM statement_foundation f2 WHERE f2.statement_id = s.statement_id) AS foundations
            FROM statement s JOIN document d USING (document_id)
            """
        var foundations: [Foundation] = []
        for row in try Row.fetchAll(db, sql: "SELECT foundation_id, name, description FROM foundation ORDER BY sort_order") {
            let id: String = row["foundation_id"]
            let tagged = "EXISTS (SELECT 1 FROM statement_foundation f WHERE f.statement_id = s.statement_id AND f.foundation_id = ?)"
            // Latest tracker row of each commitment of this foundation.
            let commitments = try Row.fetchAll(db, sql: """
                SELECT c.* FROM commitment c
                WHERE c.foundation = ? AND c.updated = (SELECT MAX(updated) FROM commitment x WHERE x.commitment_id = c.commitment_id)
                ORDER BY c.due IS NULL, c.due, c.commitment_id
                """, arguments: [id]).map { c -> Commitment in
                let source: String? = c["source_document"]
                return Commitment(id: c["commitment_id"], text: scrub(c["text"]), owner: scrub(c["owner"]), due: c["due"] ?? "no date",
                                  status: statusLabels[c["status"] as String] ?? c["status"], updated: c["updated"],
                                  sourceDocument: source, sourceTitle: source.flatMap { titles[$0] })
            }
            foundations.append(Foundation(
                id: id, name: row["name"], description: row["description"], commitments: commitments,
                documentCommitments: try statements(select + " WHERE s.kind = 'commitment' AND \(tagged) ORDER BY d.published IS NULL, d.published DESC, s.document_id, s.statement_no LIMIT 15", [id]),
                progress: try statements(select + " WHERE s.kind = 'progress' AND \(tagged) ORDER BY d.published IS NULL, d.published DESC, s.document_id, s.statement_no LIMIT 10", [id]),
                quotes: try statements(select + " WHERE s.kind = 'quote' AND \(tagged) ORDER BY d.published IS NULL, d.published DESC, s.document_id, s.statement_no LIMIT 5", [id])))
        }
        var documents: [Document] = []
        for d in try Row.fetchAll(db, sql: "SELECT * FROM document ORDER BY published IS NULL, published DESC, document_id") {
            let id: String = d["document_id"]
            let all = try statements(select + " WHERE s.document_id = ? ORDER BY s.statement_no", [id])
            let headings = try Row.fetchAll(db, sql: "SELECT section_no, heading FROM document_section WHERE document_id = ? ORDER BY section_no", arguments: [id])
            let bySection = try Dictionary(grouping: zip(all, Int.fetchAll(db, sql: "SELECT section_no FROM statement WHERE document_id = ? ORDER BY statement_no", arguments: [id])), by: \.1)
            var sections: [(String, [Statement])] = []
            for heading in headings {
                let number: Int = heading["section_no"]
                sections.append((heading["heading"], (bySection[number] ?? []).map(\.0)))
            }
            documents.append(Document(id: id, title: d["title"], published: d["published"] ?? "not given", publisher: d["publisher"] ?? "not given",
                                      documentType: (d["document_type"] as String?)?.replacingOccurrences(of: "_", with: " ") ?? "not given",
                                      url: d["url"] ?? "", notFound: d["not_found"], sections: sections))
        }
        return EvidenceModel(foundations: foundations, documents: documents)
    }

    /// E-mail addresses and phone numbers out of tracker text, as out of documents.
    static func scrub(_ text: String) -> String { DocumentParser.clean(text) }
}
