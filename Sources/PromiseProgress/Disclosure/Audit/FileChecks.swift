import Foundation
import GRDB

/// What each kind of public file may hold: pages (HTML, Markdown, YAML), CSVs, the downloads archive
/// and the public SQLite file. Each check reads a file as an outsider would.
extension PublicationAudit {
    // MARK: - Text (HTML and Markdown)

    func auditText(_ url: URL, name: String) throws -> [Finding] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var findings = identifiers.findings(in: text, name: name)
        findings += PersonalDetailsCheck.contactFindings(url.pathExtension == "html" ? PublishedTableReader.strip(text) : text, name: name, place: "text")
        // A folder of the build machine (an --input outside the working folder, say) is never shown.
        if let range = text.range(of: PersonalDetailsCheck.machinePath, options: .regularExpression) {
            findings.append(Finding(file: name, place: "text", problem: "shows a path on the build machine ('\(text[range])')"))
        }
        if text.range(of: "date_of_birth", options: .caseInsensitive) != nil {
            findings.append(Finding(file: name, place: "text", problem: "mentions date_of_birth"))
        }
        // Every table: a cell in a column headed Number or Out of must not be a count from 1 to 4.
        for table in url.pathExtension == "html" ? PublishedTableReader.htmlTables(text) : PublishedTableReader.markdownTables(text) {
            // Columns of children counted; "Rows read" and similar on the data quality page count input rows, not children.
            // Survey pages head their group sizes "Respondents": no group of 1 to 9.
            let countColumns = table.header.enumerated().compactMap { column -> (Int, Int)? in
                switch column.element.lowercased() {
                case "number", "out of": (column.offset, largestSuppressedCount)
                case "respondents": (column.offset, smallestRespondentGroup - 1)
                default: nil
                }
            }
            for row in table.rows {
                for (column, limit) in countColumns where column < row.count {
                    let cell = row[column].replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "*", with: "")
                    if let count = Int(cell), (1...limit).contains(count) {
                        findings.append(Finding(file: name, place: "table '\(table.caption)', row '\(row.first ?? "")', column '\(table.header[column])'",
                                                problem: "publishes a count of \(count)"))
                    }
                }
            }
        }
        return findings
    }

    // MARK: - CSV

    func auditCSV(_ url: URL, name: String) throws -> [Finding] {
        try auditCSV(text: try String(contentsOf: url, encoding: .utf8), name: name)
    }

    /// Every member of the downloads archive, as if it stood alone: CSVs checked like the others, the
    /// metadata for identifiers and contact details. A member the archive should not hold is a finding.
    func auditArchive(_ url: URL, name: String) throws -> [Finding] {
        let entries: [(name: String, data: Data)]
        do {
            entries = try TarGzip.entries(TarGzip.gunzip(Data(contentsOf: url)))
        } catch {
            return [Finding(file: name, place: "archive", problem: "cannot be read: \(error)")]
        }
        var findings: [Finding] = []
        for entry in entries {
            let member = "\(name):\(entry.name)"
            guard let text = String(data: entry.data, encoding: .utf8) else {
                findings.append(Finding(file: member, place: "file", problem: "is not UTF-8 text"))
                continue
            }
            if entry.name.hasSuffix(".csv") {
                // A member identical to the file of the same name beside the archive was audited as that file.
                let beside = url.deletingLastPathComponent().appendingPathComponent(entry.name)
                if (try? Data(contentsOf: beside)) == entry.data { continue }
                findings += try auditCSV(text: text, name: member)
            } else if entry.name == "datapackage.json" {
                findings += identifiers.findings(in: text, name: member) + PersonalDetailsCheck.contactFindings(text, name: member, place: "text")
            } else {
                findings.append(Finding(file: member, place: "file", problem: "unexpected kind of file in the archive"))
            }
        }
        return findings
    }

    func auditCSV(text: String, name: String) throws -> [Finding] {
        var findings = identifiers.findings(in: text, name: name)
        findings += PersonalDetailsCheck.contactFindings(text, name: name, place: "text")
        let rows = CSVReader(string: text).rows()
        guard case .record(_, let header)? = rows.first else { return [Finding(file: name, place: "line 1", problem: "no header")] }
        for column in header where Self.childLevelColumns.contains(column) {
            findings.append(Finding(file: name, place: "header", problem: "has the child-level column '\(column)'"))
        }
        for column in header where column == "suppression_rule" {
            findings.append(Finding(file: name, place: "header", problem: "has the column 'suppression_rule': why a value is withheld tells its range"))
        }
        let counted = ["numerator", "denominator"].compactMap { column in header.firstIndex(of: column).map { (column, $0) } }
        let indicatorColumn = header.firstIndex(of: "indicator_id")
        let keyColumns = ["indicator_id", "period_id", "geography_code", "breakdown_type", "breakdown_code"].compactMap { header.firstIndex(of: $0) }
        let numberColumns = ["numerator", "denominator", "value"].compactMap { name in header.firstIndex(of: name).map { (name, $0) } }
        for case .record(let line, let fields) in rows.dropFirst() {
            if keyColumns.count == 5, keyColumns.allSatisfy({ $0 < fields.count }) {
                let key = keyColumns.map { fields[$0] }.joined(separator: "|")
                for (column, index) in numberColumns where index < fields.count {
                    guard let stated = statedInSQLite["\(key)|\(column)"] else { continue }
                    let here = Double(fields[index])
                    if here != nil && stated == nil {
                        findings.append(Finding(file: name, place: "line \(line), column '\(column)'", problem: "states \(fields[index]), which promise-public.sqlite withholds"))
                    } else if let here, let stated, abs(here - stated) > 1e-5 * max(1, abs(stated)) {
                        findings.append(Finding(file: name, place: "line \(line), column '\(column)'", problem: "states \(fields[index]) where promise-public.sqlite states \(stated)"))
                    }
                }
            }
            // Numerators of children are checked against 1 to 4 as before; the public file's declared
            // units say which other counts are protected, and how (a denominator of respondents: 1 to 9).
            let limits = indicatorColumn.flatMap { $0 < fields.count ? countLimits[fields[$0]] : nil }
            let records = indicatorColumn.map { $0 < fields.count && recordIndicators.contains(fields[$0]) } ?? false
            for (part, column) in counted where column < fields.count && !records {
                let limit: Int? = part == "numerator" ? (limits.map(\.numerator) ?? largestSuppressedCount) : limits?.denominator
                if let limit, let count = Int(fields[column]), (1...limit).contains(count) {
                    findings.append(Finding(file: name, place: "line \(line), column '\(header[column])'", problem: "publishes a count of \(count)"))
                }
            }
        }
        return findings
    }

    // MARK: - SQLite

    mutating func auditSQLite(_ url: URL, name: String) throws -> [Finding] {
        var findings: [Finding] = []
        let queue = try DatabaseQueue(path: url.path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        try queue.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
            for table in tables {
                if !Self.publicTables.contains(table) {
                    findings.append(Finding(file: name, place: "table \(table)", problem: "is not one of the public tables"))
                }
                for column in try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table]) {
                    if Self.childLevelColumns.contains(column) {
                        findings.append(Finding(file: name, place: "\(table).\(column)", problem: "is a child-level column"))
                    }
                    if column == "suppression_rule" {
                        findings.append(Finding(file: name, place: "\(table).\(column)", problem: "tells why a value is withheld, which tells its range"))
                    }
                }
            }
            // Every text value of every table: no contact details. Each distinct value once per column (codes
            // repeat on every row: the scan reads about 228,000 values, of which a few thousand differ).
            for table in tables {
                let columns = try Row.fetchAll(db, sql: "SELECT name, type FROM pragma_table_info(?)", arguments: [table])
                    .filter { ($0["type"] as String).uppercased() == "TEXT" }.map { $0["name"] as String }
                for column in columns {
                    let cursor = try String.fetchCursor(db, sql: "SELECT DISTINCT \(column) FROM \(table) WHERE \(column) IS NOT NULL")
                    while let text = try cursor.next() {
                        findings += PersonalDetailsCheck.contactFindings(text, name: name, place: "\(table).\(column)")
                        if text.contains("/"), let range = text.range(of: PersonalDetailsCheck.machinePath, options: .regularExpression) {
                            findings.append(Finding(file: name, place: "\(table).\(column)", problem: "shows a path on the build machine ('\(text[range])')"))
                        }
                        // Children's own words: the stricter check.
                        if table == PublicData.quotes.name, column == "quote" {
                            findings += PersonalDetailsCheck.personalDetails(in: text, names: listedNames, words: quoteWords).map {
                                Finding(file: name, place: "\(table).\(column)", problem: "a published quote contains \($0)")
                            }
                            if quoteWords == nil {
                                findings.append(Finding(file: name, place: "\(table).\(column)", problem: "a published quote cannot be checked for names: the audit has no word list"))
                            }
                            if !(approvedQuotes?.contains(CommentRedactor.sha256(text)) ?? false) {
                                findings.append(Finding(file: name, place: "\(table).\(column)", problem: "a published quote has no reviewer's approval of its exact text (SHA-256 \(CommentRedactor.sha256(text).prefix(12))...; the text is in the restricted quote review list, not repeated here)"))
                            }
                        }
                    }
                }
            }
            guard tables.contains("indicator_value"), tables.contains("indicator") else { return }
            if tables.contains("survey_answer_distribution") { findings += try answerFindings(db, file: name) }
            let started = Date()
            findings += try attack(db, file: name)
            attackSeconds += Date().timeIntervalSince(started)
        }
        return findings
    }
}
