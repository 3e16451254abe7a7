import Foundation
import GRDB

/// Documents that tell "the story of the processes in place to generate change" (progress updates,
/// practice guidance, newsletters) and a tracker of commitments. Documents are public already, so
/// their statements are published, with e-mail addresses and phone numbers taken out.
extension DataStream {
    public static let qualitative = DataStream(
        id: "qualitative",
        title: "Documents and commitments: what was promised, by whom, and what has happened",
        summary: """
        Under `<input>/qualitative/` (the embedded default is `Data/qualitative/`), both optional: a folder of
        documents (`documents/*.md`, `*.markdown` or `*.txt`), each optionally opening with YAML front matter,
        and a commitments tracker (`commitments.csv`) with one row per commitment per update. Documents are
        split into sections and statements; each statement is classified as a commitment, a progress
        statement, a quote or context, tagged to foundations from `seeds/foundation_lexicon.csv`, and keeps
        its character offsets in the file. Unit of disclosure: documents, which are public already; e-mail
        addresses and phone numbers are still never published.
        """,
        unitOfDisclosure: .documents,
        files: [QualitativeStream.commitments],
        checks: [
            SetCheck(table: "commitment", rule: "orphan", sql: sql(PackageResources.commitment_source_document_sql),
                     description: "A `source_document`, when given, names an accepted document in `documents/` (its file name without extension)."),
        ],
        derivedTables: QualitativeStream.derived,
        seedTables: QualitativeStream.seeds,
        documents: [QualitativeStream.documents],
        notes: """
        **Documents.** Front matter is a YAML mapping between two `---` lines at the top: `title`, `published`
        (a date), `publisher`, `document_type`, `url`, `foundations` (a list of foundation ids) and `la_code`.
        When a field is missing the title is taken from the first line; what could not be found is recorded
        in `document.not_found` and as a note of the run. Page furniture ("Back to top", "Skip to content",
        "Translate »", a hashtag on its own line) is dropped; page references such as `p.52**` are taken out.
        A heading is a Markdown `#` line, or a short line on its own between blank lines without closing
        punctuation. A bullet (`•`, `-`, `*`, `1.`) is one statement; other paragraphs are split into
        sentences. A document that is not UTF-8 text, or whose id repeats another's, is rejected with its reason.

        **Classification.** A commitment speaks of future action ("We will …", "We plan to …", "The Minister
        will chair …", "we are committed to …", "will be published"), as does every item of a list introduced
        as actions to come ("This package will include:"). A progress statement says what is done or under way
        ("We have launched …", "has been published", "We are working with …", "we continue to …"). A quote is
        in quotation marks or a Markdown `>` line. Anything else is context. Where a sentence has both a
        commitment and a progress phrase, the earlier decides.

        **Foundations.** Each statement is tagged with every foundation whose lexicon terms it contains (the
        terms are kept in `statement_foundation.matched_terms`), plus the document's `foundations` from front
        matter.
        """)
}

/// The inputs and tables of ``DataStream/qualitative``.
public enum QualitativeStream {
    public static let commitments = StreamFile(
        location: .file("qualitative/commitments.csv"),
        required: false,
        table: "commitment",
        description: "The commitments tracker (qualitative/commitments.csv after validation): one row per commitment per update, so its history is kept. (commitment_id, updated) is unique (index commitment_key).",
        columns: [
            InputColumn("commitment_id", .identity, "the commitment", constraint: "with `updated`, unique", sql: "NOT NULL", "Commitment identifier."),
            InputColumn("text", .freeText, "what was committed to", constraint: "not empty", sql: "NOT NULL", "What was committed to."),
            InputColumn("owner", .freeText, "who owns it", constraint: "not empty", sql: "NOT NULL", "Who owns it."),
            InputColumn("due", .optionalDate, "when it is due", sql: "", "When it is due (ISO date); NULL when no date was given."),
            InputColumn("status", .code("commitment_status"), "status as at this update", sql: "NOT NULL", "Code from codelist 'commitment_status' as at this update."),
            InputColumn("foundation", .seedCode("foundation"), "foundation", sql: "NOT NULL REFERENCES foundation(foundation_id)", "Foundation."),
            InputColumn("source_document", .optionalIdentifier, "the document that evidences this update", constraint: "an accepted document", sql: "", "Document (id) the update is evidenced by; NULL when none."),
            InputColumn("updated", .date, "date of this update", sql: "NOT NULL", "Date of this update (ISO date)."),
        ],
        key: ["commitment_id", "updated"],
        rowRules: [RowRule("A commitment has its text and an owner.") { row, _ in
            ["text", "owner"].compactMap { column in
                row[column] == nil ? FieldProblem(column: column, value: "", rule: "missing_value", reason: "expected the commitment's \(column), found an empty value") : nil
            }
        }],
        allowsLineBreaks: true)

    static let documentTable = TableSpec("document", kind: .clean, description: "One row per document read from qualitative/documents/ (after validation), with its front matter or what was derived instead. document_id is unique (the file name without extension).", columns: [
        ColumnSpec("document_id", "TEXT", "NOT NULL PRIMARY KEY", "Document id: the file name without extension."),
        ColumnSpec("title", "TEXT", "NOT NULL", "Title: from front matter, else the first line."),
        ColumnSpec("title_source", "TEXT", "NOT NULL", "front_matter or first_line."),
        ColumnSpec("published", "TEXT", "", "Publication date (ISO date), from front matter."),
        ColumnSpec("publisher", "TEXT", "", "Publisher, from front matter."),
        ColumnSpec("document_type", "TEXT", "", "Kind of document (progress update, guidance, newsletter...), from front matter."),
        ColumnSpec("url", "TEXT", "", "Where the document is published, from front matter."),
        ColumnSpec("la_code", "TEXT", "", "Council area the document is about (current GSS code), from front matter."),
        ColumnSpec("foundations", "TEXT", "", "Foundations the front matter tags the whole document with, comma-separated."),
        ColumnSpec("not_found", "TEXT", "NOT NULL", "Front-matter fields that were neither given nor derivable, comma-separated ('' when none)."),
        ColumnSpec("body", "TEXT", "NOT NULL", "The document as read (restricted: may hold contact details; statements hold the published text)."),
        ColumnSpec("characters", "INTEGER", "NOT NULL", "Length of the file in characters (Unicode scalars), the unit of the statement offsets."),
        ColumnSpec("sha256", "TEXT", "NOT NULL", "SHA-256 of the file."),
    ] + StreamFile.provenance)

    static let parsed: [TableSpec] = [
        TableSpec("document_section", kind: .clean, description: "Sections of each document, from its headings, with their character offsets in the file.", columns: [
            ColumnSpec("document_id", "TEXT", "NOT NULL REFERENCES document(document_id)", "Document."),
            ColumnSpec("section_no", "INTEGER", "NOT NULL", "Section number, 0 for text before the first heading."),
            ColumnSpec("heading", "TEXT", "NOT NULL", "Heading ('' before the first)."),
            ColumnSpec("start_offset", "INTEGER", "NOT NULL", "First character of the section (0-based, Unicode scalars)."),
            ColumnSpec("end_offset", "INTEGER", "NOT NULL", "Character after the section's last."),
        ], tableConstraints: ["PRIMARY KEY (document_id, section_no)"]),
        TableSpec("statement", kind: .clean, description: "Every sentence and bullet of every document, classified, with its offsets in the file: substr(document.body, start_offset + 1, end_offset - start_offset) is its source text. text has page references taken out and e-mail addresses and phone numbers replaced by [e-mail] and [phone].", columns: [
            ColumnSpec("statement_id", "TEXT", "NOT NULL PRIMARY KEY", "document_id:statement_no."),
            ColumnSpec("document_id", "TEXT", "NOT NULL REFERENCES document(document_id)", "Document."),
            ColumnSpec("section_no", "INTEGER", "NOT NULL", "Section it is in."),
            ColumnSpec("section_heading", "TEXT", "NOT NULL", "That section's heading."),
            ColumnSpec("statement_no", "INTEGER", "NOT NULL", "Order in the document, from 1."),
            ColumnSpec("kind", "TEXT", "NOT NULL CHECK (kind IN ('commitment','progress','quote','context'))", "commitment (future action), progress (done or under way), quote or context."),
            ColumnSpec("text", "TEXT", "NOT NULL", "The statement as published."),
            ColumnSpec("is_bullet", "INTEGER", "NOT NULL", "1 for a bullet point."),
            ColumnSpec("start_offset", "INTEGER", "NOT NULL", "First character in the file (0-based, Unicode scalars)."),
            ColumnSpec("end_offset", "INTEGER", "NOT NULL", "Character after the last."),
        ], indexes: []),
        TableSpec("statement_foundation", kind: .clean, description: "Foundations each statement is tagged with, and why: the lexicon terms it contains (seeds/foundation_lexicon.csv), or the document's front matter.", columns: [
            ColumnSpec("statement_id", "TEXT", "NOT NULL REFERENCES statement(statement_id)", "Statement."),
            ColumnSpec("foundation_id", "TEXT", "NOT NULL REFERENCES foundation(foundation_id)", "Foundation."),
            ColumnSpec("source", "TEXT", "NOT NULL", "lexicon or front_matter."),
            ColumnSpec("matched_terms", "TEXT", "", "Lexicon terms found, separated by ' | '; NULL for front matter."),
        ], tableConstraints: ["PRIMARY KEY (statement_id, foundation_id, source)"]),
    ]

    public static let documents = DocumentInput(
        folder: "qualitative/documents", extensions: ["md", "markdown", "txt"], table: documentTable, parsedTables: parsed,
        description: "Markdown or plain-text documents, optionally with YAML front matter.",
        read: { file, db in try read(file, db: db) })

    /// How a note about a document's front matter starts.
    public static let frontMatterNote = "front matter: "

    /// Parses one document and stores it, its sections, statements and foundation tags.
    static func read(_ file: DocumentFile, db: Database) throws -> [String] {
        let document = DocumentParser().parse(file.text)
        // Front matter faults start "front matter:", so `check` reports them as problems.
        var notes = document.frontMatter.problems.map { "\(frontMatterNote)\($0)" }
        let foundations = Set(try String.fetchAll(db, sql: "SELECT foundation_id FROM foundation"))
        let tagged = document.frontMatter.foundations.filter { foundations.contains($0) }
        for unknown in document.frontMatter.foundations where !foundations.contains(unknown) {
            notes.append("\(frontMatterNote)foundations: '\(Bounded.quote(unknown))' is not a foundation (\(foundations.sorted().joined(separator: ", "))); ignored")
        }
        var laCode: String?
        if let given = document.frontMatter.laCode {
            laCode = try ReferenceData.load(from: db).councilArea(given)
            if laCode == nil { notes.append("\(frontMatterNote)la_code: '\(Bounded.quote(given))' is not a council area; ignored") }
        }
        var notFound: [String] = []
        let front = document.frontMatter
        for (field, value) in [("published", front.published), ("publisher", front.publisher), ("document_type", front.documentType), ("url", front.url)] where value == nil {
            notFound.append(field)
        }
        if document.titleSource == "none" { notFound.insert("title", at: 0) }
        if !notFound.isEmpty {
            notes.append("could not find \(notFound.joined(separator: ", "))" + (document.titleSource == "first_line" ? "; the title was taken from the first line" : ""))
        }
        try db.execute(sql: """
            INSERT INTO document (document_id, title, title_source, published, publisher, document_type, url, la_code, foundations, not_found, body, characters, sha256, source_file, source_line)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
            """, arguments: [file.id, document.title, document.titleSource, front.published, front.publisher, front.documentType, front.url, laCode,
                             tagged.isEmpty ? nil : tagged.joined(separator: ","), notFound.joined(separator: ","), file.text, file.text.unicodeScalars.count, file.sha256, file.path])
        for section in document.sections {
            try db.execute(sql: "INSERT INTO document_section VALUES (?, ?, ?, ?, ?)", arguments: [file.id, section.number, section.heading, section.start, section.end])
        }
        let headings = Dictionary(document.sections.map { ($0.number, $0.heading) }, uniquingKeysWith: { first, _ in first })
        let tagger = try FoundationTagger.load(from: db)
        let statement = try db.makeStatement(sql: "INSERT INTO statement VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        let tag = try db.makeStatement(sql: "INSERT INTO statement_foundation VALUES (?, ?, ?, ?)")
        for item in document.statements {
            let id = "\(file.id):\(item.number)"
            try statement.execute(arguments: [id, file.id, item.section, headings[item.section] ?? "", item.number, item.kind.rawValue, item.text, item.isBullet ? 1 : 0, item.start, item.end])
            for (foundation, terms) in tagger.tags(item.text).sorted(by: { $0.key < $1.key }) {
                try tag.execute(arguments: [id, foundation, "lexicon", terms.joined(separator: " | ")])
            }
            for foundation in tagged {
                try tag.execute(arguments: [id, foundation, "front_matter", nil])
            }
        }
        return notes
    }

    static let seeds: [TableSpec] = [
        TableSpec("foundation_lexicon", kind: .reference, description: "Terms and phrases that tag a statement with a foundation (seeds/foundation_lexicon.csv), reviewable by anyone. A trailing * matches any ending; a term with a capital letter must match its case.", columns: [
            ColumnSpec("foundation_id", "TEXT", "NOT NULL REFERENCES foundation(foundation_id)", "Foundation."),
            ColumnSpec("term", "TEXT", "NOT NULL", "Word or phrase."),
        ], tableConstraints: ["PRIMARY KEY (foundation_id, term)"]),
    ]

    static let derived: [TableSpec] = [
        TableSpec("commitment_status", kind: .analysis,
                  description: "Derived by load. Each commitment's status as at the end of each financial year (31 March): its latest tracker row updated by then, whether it is overdue (due date passed, not delivered), and whether any update by then cites a source document.",
                  columns: [
                      ColumnSpec("period_id", "TEXT", "", "Financial year."),
                      ColumnSpec("commitment_id", "TEXT", "", "Commitment."),
                      ColumnSpec("foundation", "TEXT", "", "Foundation."),
                      ColumnSpec("owner", "TEXT", "", "Owner."),
                      ColumnSpec("due", "TEXT", "", "Due date."),
                      ColumnSpec("status", "TEXT", "", "Status as at the end of the year."),
                      ColumnSpec("updated", "TEXT", "", "Date of that update."),
                      ColumnSpec("overdue", "INTEGER", "", "1 when the due date had passed and it was not delivered."),
                      ColumnSpec("has_evidence", "INTEGER", "", "1 when an update by then cites a source document."),
                  ],
                  viewSQL: DataStream.sql(PackageResources.commitment_status_sql),
                  indexes: ["CREATE INDEX commitment_status_period ON commitment_status(period_id, foundation)"]),
        statementSearch, documentSearch,
    ]

    /// Full-text search over every statement, with its document's title (FTS5, Porter stemming over
    /// unicode61 tokens): `statement_search MATCH 'sibling*'`.
    public static let statementSearch: TableSpec = {
        var spec = TableSpec("statement_search", kind: .analysis,
                             description: "Derived by load. Full-text index (FTS5, tokenize 'porter unicode61') over every statement and its document's title; the same text as published. Query with MATCH and snippet(), e.g. SELECT statement_id, snippet(statement_search, 4, '[', ']', '…', 12) FROM statement_search WHERE statement_search MATCH 'advocacy'.",
                             columns: [
                                 ColumnSpec("statement_id", "TEXT", "", "Statement (statement.statement_id)."),
                                 ColumnSpec("document_id", "TEXT", "", "Document."),
                                 ColumnSpec("kind", "TEXT", "", "commitment, progress, quote or context."),
                                 ColumnSpec("title", "TEXT", "", "The document's title."),
                                 ColumnSpec("text", "TEXT", "", "The statement as published."),
                             ],
                             viewSQL: "SELECT s.statement_id, s.document_id, s.kind, d.title, s.text FROM statement s JOIN document d USING (document_id) ORDER BY s.document_id, s.statement_no")
        spec.fullTextTokenizer = "porter unicode61"
        return spec
    }()

    /// Full-text search over whole documents: title, publisher and every published statement.
    public static let documentSearch: TableSpec = {
        var spec = TableSpec("document_search", kind: .analysis,
                             description: "Derived by load. Full-text index (FTS5, tokenize 'porter unicode61') over each document: its title, publisher and published text (its statements in order, contact details already taken out).",
                             columns: [
                                 ColumnSpec("document_id", "TEXT", "", "Document."),
                                 ColumnSpec("title", "TEXT", "", "Title."),
                                 ColumnSpec("publisher", "TEXT", "", "Publisher, where known."),
                                 ColumnSpec("text", "TEXT", "", "The document's statements in order, as published."),
                             ],
                             viewSQL: "SELECT d.document_id, d.title, d.publisher, (SELECT group_concat(text, ' ') FROM (SELECT text FROM statement s WHERE s.document_id = d.document_id ORDER BY s.statement_no)) FROM document d ORDER BY d.document_id")
        spec.fullTextTokenizer = "porter unicode61"
        return spec
    }()
}
