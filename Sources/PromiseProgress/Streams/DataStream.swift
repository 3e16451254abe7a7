import GRDB

/// The seam every kind of evidence enters by. A stream declares, in one place, its input files
/// and their contract, its row rules, its set-based checks (SQL files beside the declaration), its
/// clean and derived tables, and its unit of disclosure. Extract, transform, load, the data
/// dictionary and docs/input-contract.md all work from these declarations; no stage names a
/// stream's tables or files. Streams are registered in ``StreamRegistry``.
public struct DataStream: Sendable {
    /// Stable id, e.g. `child_level`.
    public let id: String
    /// Heading in docs/input-contract.md.
    public let title: String
    /// What the stream is, in plain words (Markdown), for the input-contract docs.
    public let summary: String
    /// Whose privacy the stream's records touch.
    public let unitOfDisclosure: DisclosureUnit
    /// Files in the order they are read: parents before the files that refer to them.
    public let files: [StreamFile]
    /// Set-based checks beyond the generic key and reference checks, in the order they run.
    public let checks: [SetCheck]
    /// Tables load derives from the clean tables (their SQL in `viewSQL`).
    public let derivedTables: [TableSpec]
    /// Extra Markdown for the input-contract docs (after the file tables), or empty.
    public let notes: String
    /// Reference tables of the stream's own, loaded from `seeds/<name>.csv` with the others.
    public let seedTables: [TableSpec]
    /// SQL functions the derived tables call, made once per build from the loaded store (e.g. a
    /// redactor that reads its list of names from a seed table).
    public let sqlFunctions: [@Sendable (Database) throws -> DatabaseFunction]
    /// Folders of documents (Markdown or plain text) the stream reads with its own reader, after its files.
    public let documents: [DocumentInput]
    /// Columns that identify a person or a person's record (a child, an episode, a respondent) or
    /// describe one alone (a date of birth): no public file may have a column of these names, and the
    /// audit looks for every value of the `identifier` ones (``identifierColumns``) in every public file.
    public let personalColumns: [String]

    public init(id: String, title: String, summary: String, unitOfDisclosure: DisclosureUnit, files: [StreamFile],
                checks: [SetCheck] = [], derivedTables: [TableSpec] = [], seedTables: [TableSpec] = [],
                sqlFunctions: [@Sendable (Database) throws -> DatabaseFunction] = [], documents: [DocumentInput] = [], personalColumns: [String] = [], notes: String = "") {
        self.id = id
        self.title = title
        self.summary = summary
        self.unitOfDisclosure = unitOfDisclosure
        self.files = files
        self.checks = checks
        self.derivedTables = derivedTables
        self.seedTables = seedTables
        self.sqlFunctions = sqlFunctions
        self.documents = documents
        self.personalColumns = personalColumns
        self.notes = notes
    }

    /// The personal columns that hold identifiers, with the clean tables that hold them: their values
    /// are looked for in every public file.
    public var identifierColumns: [(table: String, column: String)] {
        files.flatMap { file in
            file.columns.filter { personalColumns.contains($0.name) && [.identifier, .identity, .optionalIdentifier].contains($0.rule) }
                .map { (file.table.name, $0.name) }
        }
    }

    /// Tables with one row per input row or document (each with `source_file`), filled by extract.
    public var cleanTables: [TableSpec] { files.map(\.table) + documents.map(\.table) }

    /// Tables a document reader fills from each document's text (sections, statements...).
    public var parsedTables: [TableSpec] { documents.flatMap(\.parsedTables) }
}

/// A folder of documents that a stream reads with its own reader rather than as CSV: every file whose
/// name ends with one of `extensions`, in name order. The folder is optional. A document that is not
/// valid UTF-8, or whose id repeats another's, is rejected with its reason; one that cannot be read
/// stops the build, naming it.
public struct DocumentInput: Sendable {
    /// Relative to the input folder.
    public let folder: String
    public let extensions: [String]
    /// One row per document; its first column is the document id (the file name without extension),
    /// and it has `source_file`.
    public let table: TableSpec
    /// Tables the reader fills from each document's text.
    public let parsedTables: [TableSpec]
    /// What the docs say about the documents.
    public let description: String
    /// Reads one document into the tables; returns notes about it (fields it could not find, say).
    public let read: @Sendable (DocumentFile, Database) throws -> [String]

    public init(folder: String, extensions: [String], table: TableSpec, parsedTables: [TableSpec], description: String,
                read: @escaping @Sendable (DocumentFile, Database) throws -> [String]) {
        self.folder = folder
        self.extensions = extensions
        self.table = table
        self.parsedTables = parsedTables
        self.description = description
        self.read = read
    }
}

/// One document as extract hands it to a reader.
public struct DocumentFile: Sendable {
    /// As shown in messages and stored in `source_file`.
    public let path: String
    /// The file name without its extension.
    public let id: String
    public let fileName: String
    public let text: String
    public let sha256: String
}

/// Whose records a stream holds, which decides how its outputs are protected.
public enum DisclosureUnit: String, Sendable {
    /// Child-level records: restricted, never published; counts of children are disclosure-controlled.
    case children
    /// Survey responses: restricted; counts of respondents are disclosure-controlled.
    case respondents
    /// Documents that are public already (commitments, progress reports).
    case documents
    /// Values already published by others (aggregates); nothing to protect beyond their source's own control.
    case publishedAggregates = "published_aggregates"
}

// MARK: - Files and columns

/// One input file (or a folder of files with one layout) and the clean table its rows fill.
public struct StreamFile: Sendable {
    public enum Location: Sendable, Equatable {
        /// One file, relative to the input folder.
        case file(String)
        /// Every `.csv` in a folder relative to the input folder, read in name order.
        case folder(String)
    }

    public let location: Location
    /// A required file that is missing stops the build; an optional folder may be absent.
    public let required: Bool
    /// The clean table. Its leading columns are ``columns`` in order, then `source_file` and `source_line`.
    public let table: TableSpec
    public let columns: [InputColumn]
    /// Columns that identify a row: a second row with the same key is rejected (`duplicate_id`, the
    /// first row kept) and load puts a unique index on them.
    public let key: [String]
    /// Columns that must name an accepted row of an earlier file (`orphan` otherwise).
    public let references: [Reference]
    /// Rules relating fields of one row, run when every field has passed its own rule.
    public let rowRules: [RowRule]
    /// Whether a quoted field may run over lines (free text). When false, a quote that reaches the
    /// end of its line is a stray one and costs that line only.
    public let allowsLineBreaks: Bool
    /// A parent column within which rows (from `start_date` to `end_date`) must not overlap, if any.
    public let nonOverlappingWithin: String?

    /// Where every clean table records the row's origin, after the input columns.
    public static let provenance: [ColumnSpec] = [
        ColumnSpec("source_file", "TEXT", "NOT NULL", "Input file the row was read from, relative to the input folder."),
        ColumnSpec("source_line", "INTEGER", "NOT NULL", "1-based line of the input file on which the row starts."),
    ]

    /// The clean table is `table` with the input columns, in order, then ``provenance``: each column is
    /// declared once, in `columns`.
    public init(location: Location, required: Bool = true, table: String, childLevel: Bool = false, description: String, indexes: [String] = [],
                columns: [InputColumn], key: [String],
                references: [Reference] = [], nonOverlappingWithin: String? = nil, rowRules: [RowRule] = [], allowsLineBreaks: Bool = false) {
        self.location = location
        self.required = required
        self.table = TableSpec(table, kind: .clean, childLevel: childLevel, description: description, columns: columns.map(\.stored) + Self.provenance, indexes: indexes)
        self.columns = columns
        columnNames = columns.map(\.name)
        self.key = key
        self.references = references
        self.rowRules = rowRules
        self.allowsLineBreaks = allowsLineBreaks
        self.nonOverlappingWithin = nonOverlappingWithin
    }

    /// How the file is named in messages and docs: `children.csv`, `published/*.csv`.
    public var fileName: String {
        switch location {
        case .file(let path): String(path.split(separator: "/").last ?? Substring(path))
        case .folder(let path): "\(path.split(separator: "/").last ?? Substring(path))/*.csv"
        }
    }

    public let columnNames: [String]

    /// SQLite type of each input column in the clean table.
    func storedType(of column: String) -> String {
        table.columns.first { $0.name == column }?.type ?? "TEXT"
    }
}

/// One column of an input file, declared once: its name, how its text is checked and normalised,
/// its meaning for those who write the file (the input contract), and the column it fills in the
/// clean table (type, SQL constraints and meaning for analysts, the data dictionary).
public struct InputColumn: Sendable {
    public let name: String
    public let rule: ValueRule
    public let description: String
    /// What the docs say of the rule beyond ``ValueRule/summary`` (e.g. "not before start_date").
    public let constraint: String
    /// The clean table's column this one fills.
    public let stored: ColumnSpec

    /// `sql` is the stored column's constraints (`NOT NULL REFERENCES …`), `meaning` its description
    /// in the data dictionary.
    public init(_ name: String, _ rule: ValueRule, _ description: String, constraint: String = "", type: String = "TEXT", sql: String, _ meaning: String) {
        self.name = name
        self.rule = rule
        self.description = description
        self.constraint = constraint
        stored = ColumnSpec(name, type, sql, meaning)
    }
}

/// How a column's text is checked and normalised on the way in.
public enum ValueRule: Sendable, Equatable {
    /// A non-empty identifier of at most 64 characters in printable ASCII (letters, digits,
    /// punctuation, spaces); keys of identifiers are compared without regard to letter case.
    case identifier
    /// The identity of a child, episode, placement, respondent or commitment: an ``identifier`` whose
    /// letter case does not matter. `c0000001` and `C0000001` are one child: keys compare without case,
    /// and once the key is checked transform holds the value in upper case, so every table, join and
    /// count downstream sees one identity.
    case identity
    /// A council area: current GSS code, superseded code, official name or a known name variant.
    case councilArea
    /// An ISO date `YYYY-MM-DD` that exists in the calendar.
    case date
    /// An ISO date, or empty.
    case optionalDate
    /// A code of the named list in `seeds/codelist.csv`.
    case code(String)
    /// A code of the named list, or empty.
    case optionalCode(String)
    /// A code of `seeds/placement_type.csv`.
    case placementType
    /// Scotland (`S92000003`) or a council area, spelt as for ``councilArea``.
    case area
    /// A measure of `seeds/published_measure.csv`.
    case publishedMeasure
    /// A period id of `seeds/period.csv`.
    case period
    /// `total` (breakdowns of published values are not accepted yet).
    case breakdown
    /// A plain decimal number, or empty when a marker says why there is none.
    case optionalNumber
    /// One of the Analysis Function markers, or empty.
    case optionalMarker
    /// A key of a reference table (the first column of `seeds/<table>.csv`).
    case seedCode(String)
    /// Free text of at most 4,000 characters; may be empty and may run over lines (in a file that allows line breaks).
    case freeText
    /// A whole number of 0 or more, written in digits only.
    case count
    /// An identifier, or empty.
    case optionalIdentifier

    /// The rule in a few words, for the docs.
    public var summary: String {
        switch self {
        case .identifier: "identifier: printable ASCII, at most 64 characters"
        case .identity: "identity: printable ASCII, at most 64 characters; letter case does not matter (held in upper case)"
        case .councilArea: "council area"
        case .date: "date"
        case .optionalDate: "date or empty"
        case .code(let list): "codelist \(list)"
        case .optionalCode(let list): "codelist \(list) or empty"
        case .placementType: "code in `seeds/placement_type.csv`"
        case .area: "Scotland (`S92000003`) or a council area, spelt as for `la_code`"
        case .publishedMeasure: "code in `seeds/published_measure.csv`"
        case .period: "period id in `seeds/period.csv`"
        case .breakdown: "`total`"
        case .optionalNumber: "a plain decimal (`-?digits(.digits)?`: no exponent, hex or thousands separator), or empty when a marker says why"
        case .optionalMarker: "empty or a shorthand marker: \(Marker.allCases.map { "`\($0.rawValue)`" }.joined(separator: " "))"
        case .seedCode(let table): "code in `seeds/\(table).csv`"
        case .count: "whole number, 0 or more (digits only)"
        case .optionalIdentifier: "identifier or empty"
        case .freeText: "free text, at most 4,000 characters; line breaks allowed inside quotes"
        }
    }
}

/// A column that must name an accepted row of an earlier table.
public struct Reference: Sendable {
    public let column: String
    public let parentTable: String
    public let parentColumn: String
    /// The parent's file, for messages: "missing from children.csv or rejected there".
    public let parentFile: String

    public init(_ column: String, to parentTable: String, _ parentColumn: String, in parentFile: String) {
        self.column = column
        self.parentTable = parentTable
        self.parentColumn = parentColumn
        self.parentFile = parentFile
    }
}

/// A problem with one field of one row.
public struct FieldProblem: Sendable, Equatable {
    public let column: String
    public let value: String
    /// Stable code of the check, for counting (see rejected_row.rule).
    public let rule: String
    public let reason: String

    public init(column: String, value: String, rule: String, reason: String) {
        self.column = column
        self.value = value
        self.rule = rule
        self.reason = reason
    }
}

/// The validated values of one row, by column name.
public struct RowValues: Sendable {
    let names: [String]
    let values: [String?]

    public subscript(_ name: String) -> String? {
        guard let index = names.firstIndex(of: name) else { return nil }
        return values[index]
    }
}

/// A rule relating fields of one row: returns its problems (none when the row is fine).
public struct RowRule: Sendable {
    /// The rule in plain words, for the docs.
    public let description: String
    public let check: @Sendable (RowValues, ReferenceData) -> [FieldProblem]

    public init(_ description: String, check: @escaping @Sendable (RowValues, ReferenceData) -> [FieldProblem]) {
        self.description = description
        self.check = check
    }
}

/// A set-based check: SQL over the clean tables returning `rid` (rowid of the offending row of
/// `table`), `column_name`, `value` and `reason`. Transform moves the rows it returns to
/// `rejected_row` with `rule`.
public struct SetCheck: Sendable {
    public let table: String
    public let rule: String
    public let sql: String
    /// The check in plain words, for the docs.
    public let description: String

    public init(table: String, rule: String, sql: String, description: String) {
        self.table = table
        self.rule = rule
        self.sql = sql
        self.description = description
    }
}

extension DataStream {
    /// The text of a stream's SQL file, embedded at build time (`PackageResources.name_sql`).
    public static func sql(_ resource: [UInt8]) -> String { String(decoding: resource, as: UTF8.self) }
}
