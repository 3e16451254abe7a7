/// The set-based checks a file gets from its declaration, like dbt's generic tests: a unique key,
/// references to earlier files, and rows of one parent that must not overlap in time. Transform
/// runs them, the input-contract docs list them and a test prepares each, all from ``setChecks(in:)``.
extension StreamFile {
    /// The name of the unique index transform puts on the key once duplicates are gone.
    public var keyIndex: String { "\(table.name)_key" }

    /// Rows whose key was given on an earlier row (file order): the first is kept. Runs first; the
    /// key's unique index is built after it.
    public var keyCheck: SetCheck {
        let table = table.name
        // Identifier columns are compared without regard to letter case: c0000001 and C0000001 are one child.
        let folded = Set(columns.filter { [.identifier, .identity, .optionalIdentifier].contains($0.rule) }.map(\.name))
        func keyed(_ column: String) -> String { folded.contains(column) ? "\(column) COLLATE NOCASE" : column }
        let selected = key.map { folded.contains($0) ? "\($0) COLLATE NOCASE AS \($0)" : $0 }.joined(separator: ", ")
        let join = key.map { "d.\($0) = x.\($0)\(folded.contains($0) ? " COLLATE NOCASE" : "")" }.joined(separator: " AND ")
        let shown = key.map { "x.\($0)" }.joined(separator: " || ', ' || ")
        let firstShown = key.map { "f.\($0)" }.joined(separator: " || ', ' || ")
        let listed = key.count == 1 ? "`\(key[0])` is" : "(\(key.map { "`\($0)`" }.joined(separator: ", "))) is"
        let caseNote = folded.isEmpty ? "" : ", identifiers compared without regard to letter case"
        return SetCheck(table: table, rule: "duplicate_id", sql: """
            SELECT x.rowid AS rid, '\(key.last!)' AS column_name, x.\(key.last!) AS value,
                   'duplicate \(key.joined(separator: ", ")) ' || \(shown) || ': first given '
                     || CASE WHEN f.source_file = x.source_file THEN 'on line ' || f.source_line ELSE 'in ' || f.source_file || ' line ' || f.source_line END
                     || CASE WHEN (\(firstShown)) <> (\(shown)) THEN ' as ' || \(firstShown) || ' (the same identity in another letter case)' ELSE '' END
                     || '; the first row is kept' AS reason
            FROM \(table) x
            JOIN (SELECT \(selected), MIN(rowid) AS first FROM \(table) GROUP BY \(key.map(keyed).joined(separator: ", ")) HAVING COUNT(*) > 1) d ON \(join)
            JOIN \(table) f ON f.rowid = d.first
            WHERE x.rowid <> d.first
            """, description: "\(listed) unique\(caseNote): a repeat is rejected, the first row kept.")
    }

    /// The checks that run once the key is indexed, in order: references, the stream's own checks on
    /// this file (`sql/*.sql`), then overlaps within a parent.
    public func laterChecks(in stream: DataStream) -> [SetCheck] {
        references.map(referenceCheck) + stream.checks.filter { $0.table == table.name } + (nonOverlappingWithin.map { [overlapCheck(within: $0)] } ?? [])
    }

    /// Every set-based check on this file, in the order transform runs them.
    public func setChecks(in stream: DataStream) -> [SetCheck] { [keyCheck] + laterChecks(in: stream) }

    /// Rows whose reference names no accepted row of the parent table.
    func referenceCheck(_ reference: Reference) -> SetCheck {
        let noun = reference.parentFile.replacingOccurrences(of: ".csv", with: "")
        return SetCheck(table: table.name, rule: "orphan", sql: """
            SELECT x.rowid AS rid, '\(reference.column)' AS column_name, x.\(reference.column) AS value,
                   '\(reference.column) ' || x.\(reference.column) || ' is not among the accepted \(noun) (missing from \(reference.parentFile) or rejected there)' AS reason
            FROM \(table.name) x WHERE NOT EXISTS (SELECT 1 FROM \(reference.parentTable) p WHERE p.\(reference.parentColumn) = x.\(reference.column))
            """, description: "`\(reference.column)` names an accepted row of `\(reference.parentFile)`: otherwise it is an orphan (missing there, or rejected there).")
    }

    /// Rows (with `start_date` and `end_date`) that overlap an earlier-starting row of the same
    /// parent: the later is rejected. One may start the day the previous ends.
    func overlapCheck(within parent: String) -> SetCheck {
        let noun = table.name, id = key[0], parentNoun = parent.replacingOccurrences(of: "_id", with: "")
        return SetCheck(table: noun, rule: "overlap", sql: """
            SELECT b.rowid AS rid, 'start_date' AS column_name, b.start_date AS value,
                   'overlaps \(noun) ' || a.\(id) || ' of the same \(parentNoun) (line ' || MIN(a.source_line) || ', '
                     || a.start_date || ' to ' || COALESCE(a.end_date, 'open') || ')' AS reason
            FROM \(noun) b JOIN \(noun) a ON a.\(parent) = b.\(parent) AND a.rowid <> b.rowid
                 AND (a.start_date < b.start_date OR (a.start_date = b.start_date AND a.source_line < b.source_line))
                 AND b.start_date < COALESCE(a.end_date, '9999-12-31')
            GROUP BY b.rowid
            """, description: "\(noun.prefix(1).uppercased() + noun.dropFirst())s of one \(parentNoun) must not overlap (one may start the day the previous ends); the later-starting is rejected.")
    }
}
