import Foundation
import GRDB

/// `promise-progress audit`: reads every file under a public folder the way an outsider would and
/// fails, naming the file and the cell, if it finds a count from 1 to 4, a suppressed value that can
/// be worked out by subtraction, or anything child-level. It shares no code with
/// ``DisclosureControl`` on purpose: it is a second, independent check of what is about to be published.
public struct PublicationAudit {
    public struct Finding: Sendable, CustomStringConvertible, Equatable {
        public var file: String
        public var place: String
        public var problem: String
        public var description: String { "\(file): \(place): \(problem)" }
    }

    /// Identifiers of children, episodes and placements (from the restricted store) that must never appear.
    public var childIdentifiers: Set<String>
    public var largestSuppressedCount: Int
    /// Linked measures that add up, as in config/disclosure-control.yml (total, parts, complete).
    public var groups: [DisclosureControl.Group]

    static let childLevelColumns: Set<String> = ["child_id", "episode_id", "placement_id", "date_of_birth", "source_line", "record"]
    static let publicTables: Set<String> = Set(PublicData.tables.map(\.name))

    public init(childIdentifiers: Set<String>, largestSuppressedCount: Int = 4, groups: [DisclosureControl.Group] = []) {
        self.childIdentifiers = childIdentifiers
        self.largestSuppressedCount = largestSuppressedCount
        self.groups = groups
    }

    /// Reads the identifiers to look for from a restricted store.
    public static func childIdentifiers(in store: URL) throws -> Set<String> {
        try DatabaseQueue(path: store.path).read(childIdentifiers(in:))
    }

    static func childIdentifiers(in db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT child_id FROM child UNION ALL SELECT episode_id FROM episode UNION ALL SELECT placement_id FROM placement"))
    }

    /// The audit as a build or `promise-progress audit` runs it: identifiers from the restricted
    /// store `db`, thresholds and linked groups from the layout's reviewed settings.
    public static func configured(layout: PipelineLayout, restrictedStore db: Database) throws -> PublicationAudit {
        let catalogue = try IndicatorCatalogue.load(directory: layout.indicatorsDirectory, vocabulary: try .load(from: db), display: layout.display)
        let rules = try DisclosureRulesFile.load(layout: layout, catalogue: catalogue)
        return PublicationAudit(childIdentifiers: try childIdentifiers(in: db), largestSuppressedCount: rules.largestSuppressedCount, groups: rules.groups)
    }

    public func audit(_ folder: URL) throws -> [Finding] {
        var findings: [Finding] = []
        let files = (FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { !$0.hasDirectoryPath }.sorted { $0.path < $1.path }
        for file in files {
            let name = String(file.path.dropFirst(folder.path.count + 1))
            switch file.pathExtension {
            case "sqlite": findings += try auditSQLite(file, name: name)
            case "csv": findings += try auditCSV(file, name: name)
            case "html", "md": findings += try auditText(file, name: name)
            case "css", "png": break
            default: findings.append(Finding(file: name, place: "file", problem: "unexpected kind of file in the public folder"))
            }
        }
        return findings
    }

    // MARK: - Text (HTML and Markdown)

    func identifierFindings(_ text: String, name: String) -> [Finding] {
        guard !childIdentifiers.isEmpty else { return [] }
        var findings: [Finding] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            for token in line.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" && $0 != "-" }) where childIdentifiers.contains(String(token)) {
                findings.append(Finding(file: name, place: "line \(lineNumber)", problem: "contains the identifier '\(token)' of a child, episode or placement"))
            }
        }
        return findings
    }

    func auditText(_ url: URL, name: String) throws -> [Finding] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var findings = identifierFindings(text, name: name)
        if text.range(of: "date_of_birth", options: .caseInsensitive) != nil {
            findings.append(Finding(file: name, place: "text", problem: "mentions date_of_birth"))
        }
        // Every table: a cell in a column headed Number or Out of must not be a count from 1 to 4.
        for table in url.pathExtension == "html" ? Self.htmlTables(text) : Self.markdownTables(text) {
            // Columns of children counted; "Rows read" and similar on the data quality page count input rows, not children.
            let countColumns = table.header.enumerated().filter { ["number", "out of"].contains($0.element.lowercased()) }.map(\.offset)
            for row in table.rows {
                for column in countColumns where column < row.count {
                    let cell = row[column].replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "*", with: "")
                    if let count = Int(cell), (1...largestSuppressedCount).contains(count) {
                        findings.append(Finding(file: name, place: "table '\(table.caption)', row '\(row.first ?? "")', column '\(table.header[column])'",
                                                problem: "publishes a count of \(count)"))
                    }
                }
            }
        }
        return findings
    }

    struct Table { var caption: String; var header: [String]; var rows: [[String]] }

    static func strip(_ html: String) -> String {
        html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            .replacingOccurrences(of: "&amp;", with: "&").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func htmlTables(_ html: String) -> [Table] {
        var tables: [Table] = []
        var rest = Substring(html)
        while let start = rest.range(of: "<table"), let end = rest.range(of: "</table>", range: start.upperBound..<rest.endIndex) {
            let body = String(rest[start.lowerBound..<end.upperBound])
            rest = rest[end.upperBound...]
            let caption = body.range(of: "<caption[^>]*>(.*?)</caption>", options: .regularExpression).map { strip(String(body[$0])) } ?? ""
            var rows: [[String]] = []
            var scan = Substring(body)
            while let open = scan.range(of: "<tr"), let close = scan.range(of: "</tr>", range: open.upperBound..<scan.endIndex) {
                let row = String(scan[open.lowerBound..<close.lowerBound])
                scan = scan[close.upperBound...]
                var cells: [String] = []
                var cellScan = Substring(row)
                while let cellOpen = cellScan.range(of: "<t[hd][^>]*>", options: .regularExpression),
                      let cellClose = cellScan.range(of: "</t[hd]>", options: .regularExpression, range: cellOpen.upperBound..<cellScan.endIndex) {
                    cells.append(strip(String(cellScan[cellOpen.upperBound..<cellClose.lowerBound])))
                    cellScan = cellScan[cellClose.upperBound...]
                }
                rows.append(cells)
            }
            guard let header = rows.first else { continue }
            tables.append(Table(caption: caption, header: header, rows: Array(rows.dropFirst())))
        }
        return tables
    }

    static func markdownTables(_ text: String) -> [Table] {
        var tables: [Table] = []
        var heading = ""
        var current: Table?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") { heading = trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "# ")) }
            if trimmed.hasPrefix("|") {
                let cells = trimmed.dropFirst().dropLast().components(separatedBy: " |").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " |")) }
                if current == nil {
                    current = Table(caption: heading, header: cells, rows: [])
                } else if !cells.allSatisfy({ $0.allSatisfy { "-:".contains($0) } }) {
                    current?.rows.append(cells)
                }
            } else if let table = current {
                tables.append(table)
                current = nil
            }
        }
        if let current { tables.append(current) }
        return tables
    }

    // MARK: - CSV

    func auditCSV(_ url: URL, name: String) throws -> [Finding] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var findings = identifierFindings(text, name: name)
        let rows = CSVReader(string: text).rows()
        guard case .record(_, let header)? = rows.first else { return [Finding(file: name, place: "line 1", problem: "no header")] }
        for column in header where Self.childLevelColumns.contains(column) {
            findings.append(Finding(file: name, place: "header", problem: "has the child-level column '\(column)'"))
        }
        let counted = ["numerator"].compactMap { header.firstIndex(of: $0) }
        for case .record(let line, let fields) in rows.dropFirst() {
            for column in counted where column < fields.count {
                if let count = Int(fields[column]), (1...largestSuppressedCount).contains(count) {
                    findings.append(Finding(file: name, place: "line \(line), column '\(header[column])'", problem: "publishes a count of \(count)"))
                }
            }
        }
        return findings
    }

    // MARK: - SQLite

    func auditSQLite(_ url: URL, name: String) throws -> [Finding] {
        var findings: [Finding] = []
        let queue = try DatabaseQueue(path: url.path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        try queue.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
            for table in tables {
                if !Self.publicTables.contains(table) {
                    findings.append(Finding(file: name, place: "table \(table)", problem: "is not one of the public tables"))
                }
                for column in try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table]) where Self.childLevelColumns.contains(column) {
                    findings.append(Finding(file: name, place: "\(table).\(column)", problem: "is a child-level column"))
                }
            }
            guard tables.contains("indicator_value"), tables.contains("indicator") else { return }
            for row in try Row.fetchAll(db, sql: """
                SELECT v.indicator_id, v.period_id, v.geography_code, v.breakdown_type, v.breakdown_code, v.numerator, v.denominator, i.value_type
                FROM indicator_value v JOIN indicator i USING (indicator_id)
                WHERE v.numerator BETWEEN 1 AND ? OR (i.value_type IN ('percentage', 'mean') AND v.denominator BETWEEN 1 AND ?)
                """, arguments: [largestSuppressedCount, largestSuppressedCount]) {
                findings.append(Finding(file: name, place: Self.cellName(row), problem: "publishes a count from 1 to \(largestSuppressedCount)"))
            }
            findings += try subtractionFindings(db, file: name)
        }
        return findings
    }

    static func cellName(_ row: Row) -> String {
        "indicator_value \(row["indicator_id"] as String) \(row["period_id"] as String) \(row["geography_code"] as String) \(row["breakdown_type"] as String)=\(row["breakdown_code"] as String)"
    }

    /// A sum with exactly one missing member lets that member be worked out: Scotland minus the
    /// council areas, a total minus its categories, or a linked group (total minus its parts).
    func subtractionFindings(_ db: Database, file: String) throws -> [Finding] {
        struct Key: Hashable { var indicator, period, geography, type, code: String }
        var numerators: [Key: Int?] = [:]
        var denominators: [Key: Int?] = [:]
        let percentage = Set(try String.fetchAll(db, sql: "SELECT indicator_id FROM indicator WHERE value_type IN ('percentage', 'mean')"))
        for row in try Row.fetchAll(db, sql: "SELECT indicator_id, period_id, geography_code, breakdown_type, breakdown_code, numerator, denominator, marker FROM indicator_value") {
            if (row["marker"] as String?) == Marker.notAvailable.rawValue { continue }
            let key = Key(indicator: row["indicator_id"], period: row["period_id"], geography: row["geography_code"], type: row["breakdown_type"], code: row["breakdown_code"])
            numerators[key] = .some(row["numerator"] as Int?)
            if percentage.contains(key.indicator) { denominators[key] = .some((row["denominator"] as Double?).map { Int($0) }) }
        }
        var findings: [Finding] = []
        func check(_ table: [Key: Int?], part: String, total: Key, members: [Key], what: String) {
            let present = members.filter { table[$0] != nil }
            guard table[total] != nil, !present.isEmpty else { return }
            let missing = ([total] + present).filter { table[$0]! == nil }
            if missing.count == 1 {
                let m = missing[0]
                findings.append(Finding(file: file, place: "indicator_value \(m.indicator) \(part) \(m.period) \(m.geography) \(m.type)=\(m.code)",
                                        problem: "is suppressed but can be worked out from \(what)"))
            }
        }
        for (label, table) in [("numerator", numerators), ("denominator", denominators)] {
            let keys = table.keys
            let byGeography = Dictionary(grouping: keys.filter { $0.geography != "S92000003" }) { Key(indicator: $0.indicator, period: $0.period, geography: "S92000003", type: $0.type, code: $0.code) }
            for (total, members) in byGeography { check(table, part: label, total: total, members: members, what: "the Scotland total minus the council areas") }
            let byCategory = Dictionary(grouping: keys.filter { $0.type != "total" }) { [$0.indicator, $0.period, $0.geography, $0.type] }
            for (parts, members) in byCategory {
                check(table, part: label, total: Key(indicator: parts[0], period: parts[1], geography: parts[2], type: "total", code: "total"), members: members,
                      what: "the total minus the other \(parts[3]) categories")
            }
        }
        // Linked groups: the numerators of their parts against the total measure. Where the parts do
        // not cover the total, the unpublished rest can be worked out when everything is published.
        for group in groups where !group.complete {
            for key in numerators.keys where key.indicator == group.total.indicator {
                let source = group.total.part == .numerator ? numerators : denominators
                guard let total = source[key] ?? nil else { continue }
                let parts = group.parts.map { Key(indicator: $0.indicator, period: key.period, geography: key.geography, type: key.type, code: key.code) }
                let values = parts.compactMap { numerators[$0] ?? nil }
                guard values.count == parts.count else { continue }
                let rest = total - values.reduce(0, +)
                if (1...largestSuppressedCount).contains(rest) {
                    findings.append(Finding(file: file, place: "indicator_value \(key.indicator) \(key.period) \(key.geography) \(key.type)=\(key.code)",
                                            problem: "group '\(group.name)' leaves an unpublished count of \(rest) that can be worked out by subtraction"))
                }
            }
        }
        for group in groups where group.complete {
            for key in numerators.keys where key.indicator == group.total.indicator {
                let source = group.total.part == .numerator ? numerators : denominators
                guard let totalValue = source[key] else { continue }
                let parts = group.parts.map { Key(indicator: $0.indicator, period: key.period, geography: key.geography, type: key.type, code: key.code) }
                guard parts.allSatisfy({ numerators[$0] != nil }) else { continue }
                let missing = parts.filter { numerators[$0]! == nil } + (totalValue == nil ? [key] : [])
                if missing.count == 1 {
                    let m = missing[0]
                    findings.append(Finding(file: file, place: "indicator_value \(m.indicator) \(m.period) \(m.geography) \(m.type)=\(m.code)",
                                            problem: "is suppressed but can be worked out from group '\(group.name)'"))
                }
            }
        }
        return findings.sorted { $0.place < $1.place }
    }
}
