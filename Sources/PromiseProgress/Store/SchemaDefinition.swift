/// Types that describe the store's tables so that the DDL and the data dictionary stored inside
/// the SQLite file come from one place.

// MARK: - ColumnSpec

/// One column: its SQL type and constraints, and a plain-words description for analysts.
public struct ColumnSpec: Sendable {
    public let name: String
    public let type: String
    public let constraints: String
    public let description: String

    public init(_ name: String, _ type: String, _ constraints: String = "", _ description: String) {
        self.name = name
        self.type = type
        self.constraints = constraints
        self.description = description
    }

    var ddl: String { constraints.isEmpty ? "\(name) \(type)" : "\(name) \(type) \(constraints)" }
}

// MARK: - TableSpec

/// A table or view of the store with its documentation.
public struct TableSpec: Sendable {
    /// What part of the pipeline a table belongs to; shown in the data dictionary.
    public enum Kind: String, Sendable {
        case reference, staging, transformed, clean, analysis, indicator, quality, run, dictionary
    }

    public let name: String
    public let kind: Kind
    public let description: String
    public let columns: [ColumnSpec]
    /// Table constraints such as a composite primary key.
    public let tableConstraints: [String]
    /// Index statements run after the table is filled.
    public let indexes: [String]
    /// The SELECT behind a view; nil for a table.
    public let viewSQL: String?
    /// True where rows describe individual children: never copied to a public output.
    public let childLevel: Bool
    /// For a full-text index: the FTS5 tokenizer (e.g. `porter unicode61`). The table is an FTS5
    /// virtual table over its columns, filled from `viewSQL`; SQLite keeps its index in shadow tables
    /// named `<name>_data`, `_idx`, `_content`, `_docsize` and `_config`.
    public var fullTextTokenizer: String?

    /// SQLite's shadow tables of a full-text index.
    public var shadowTables: [String] { fullTextTokenizer == nil ? [] : ["data", "idx", "content", "docsize", "config"].map { "\(name)_\($0)" } }

    public init(
        _ name: String, kind: Kind, childLevel: Bool = false, description: String,
        columns: [ColumnSpec], tableConstraints: [String] = [], viewSQL: String? = nil, indexes: [String] = []
    ) {
        self.name = name
        self.kind = kind
        self.childLevel = childLevel
        self.description = description
        self.columns = columns
        self.tableConstraints = tableConstraints
        self.indexes = indexes
        self.viewSQL = viewSQL
    }

    public var isView: Bool { viewSQL != nil && !materialized }

    /// True for a derived table that load fills from `viewSQL` once, so indicator queries do not
    /// re-derive it. Analysts see a plain table; the query that fills it is in the data dictionary.
    public var materialized: Bool { kind == .analysis }

    /// For a materialised table: its CREATE TABLE alone, without the INSERT that fills it.
    public var createEmptySQL: String {
        "CREATE TABLE \(name) (\n  \(columns.map { "\($0.name) \($0.type)" }.joined(separator: ",\n  "))\n)"
    }

    /// CREATE TABLE or CREATE VIEW (for a materialised table, also the INSERT that fills it).
    public var createSQL: String {
        if let tokenizer = fullTextTokenizer {
            let create = "CREATE VIRTUAL TABLE \(name) USING fts5(\(columns.map(\.name).joined(separator: ", ")), tokenize = '\(tokenizer)')"
            return viewSQL.map { "\(create);\nINSERT INTO \(name) (\(columns.map(\.name).joined(separator: ", ")))\n\($0)" } ?? create
        }
        if let viewSQL, materialized {
            return "\(createEmptySQL);\nINSERT INTO \(name) (\(columns.map(\.name).joined(separator: ", ")))\n\(viewSQL)"
        }
        if let viewSQL {
            return "CREATE VIEW \(name) (\(columns.map(\.name).joined(separator: ", "))) AS\n\(viewSQL)"
        }
        let body = (columns.map(\.ddl) + tableConstraints).joined(separator: ",\n  ")
        return "CREATE TABLE \(name) (\n  \(body)\n)"
    }
}
