import Foundation
import GRDB

/// `promise-progress audit`: reads every file under a public folder the way an outsider would and
/// fails, naming the file and the cell, if it finds a count from 1 to 4, a withheld count whose
/// range an attacker can narrow, or anything child-level.
///
/// The attack uses the public files alone: the definitions' `measure_population` declarations, the
/// breakdowns and council areas in `promise-public.sqlite` give every relation between counts
/// (``TableStructure``); every published number and 0 is fixed; linear programming
/// (``ProvableRanges``) then bounds each withheld count. A withheld count whose range could hold a
/// count from 1 to 4 must reach both 0 and 5. The audit never calls ``DisclosureControl`` nor reads
/// its settings: it is a second, independent check of what is about to be published.
public struct PublicationAudit {
    public struct Finding: Sendable, CustomStringConvertible, Equatable {
        public var file: String
        public var place: String
        public var problem: String
        public var description: String { "\(file): \(place): \(problem)" }
    }

    /// Identifiers of children, episodes and placements (from the restricted store) that must never appear.
    /// Held in lower case: identity is case-insensitive (as the duplicate check and the stores hold it), so is the search.
    public var childIdentifiers: Set<String> {
        didSet {
            let folded = Set(childIdentifiers.map { $0.lowercased() })
            if folded != childIdentifiers { childIdentifiers = folded }
            identifierLengths = Set(folded.map(\.utf8.count))
        }
    }
    /// The lengths in bytes of ``childIdentifiers``: a word of another length is not looked up.
    private var identifierLengths: Set<Int> = []
    /// The audit's own standard (counts from 1 to 4 are small; README, "Disclosure control"), not read
    /// from disclosure control's settings.
    public var largestSuppressedCount: Int
    /// The audit's standard for survey results: no group of fewer respondents than this.
    public var smallestRespondentGroup: Int
    /// Linear programmes solved by the last audit.
    public private(set) var linearProgramsSolved = 0
    /// Seconds the last audit spent on the attack (building and solving its linear programmes).
    public private(set) var attackSeconds = 0.0
    /// True counts before disclosure control, keyed `indicator.part|period|area|type|code`, from the
    /// restricted store. The attack never uses them; they only say which withheld counts are from 1 to 4
    /// and so must be shown to reach 0 and 5 (the standard is about the true value). Without them every
    /// withheld count whose range touches 1 to 4 must reach 0 and 5.
    public var trueCounts: [String: Double]?
    /// Numbers the public SQLite file states (nil where withheld), `indicator|period|area|type|code|column`,
    /// so every CSV can be checked against it: a CSV must not state what the SQLite file withholds.
    var statedInSQLite: [String: Double?] = [:]
    /// Each indicator's largest protected numerator and denominator, from the units declared in the
    /// public file (nil where the count is not protected on its own size), for checking the CSVs.
    var countLimits: [String: (numerator: Int?, denominator: Int?)] = [:]
    /// Indicators the public file says count public records (qualitative evidence), not people.
    var recordIndicators: Set<String> = []
    /// Given names (lower case) no published quote may contain, from the restricted store's
    /// `redaction_term`: looked for, never published.
    public var listedNames: Set<String> = []
    /// The public file of the release this one follows (`promise-public.sqlite`): the attacker keeps every
    /// release, so the two are attacked together (``jointFindings``).
    public var previousRelease: URL?
    /// Everyday words and the allow list, for finding a name the redactor missed: any capitalised word
    /// in a published quote that is neither is a finding. Nil: quotes cannot be checked, which is a finding.
    public var quoteWords: RedactionWords?
    /// SHA-256 of every redacted text a reviewer approved (`quote_review`, from the restricted store).
    /// A published quote whose text is not among them is a finding; nil (no store read) fails every quote.
    public var approvedQuotes: Set<String>?

    /// Columns no public file may have: every stream's personal columns, and where a row came from.
    static let childLevelColumns: Set<String> = Set(StreamRegistry.all.flatMap(\.personalColumns) + ["source_line", "record"])
    static let publicTables: Set<String> = Set(PublicData.tables.flatMap { [$0.name] + $0.shadowTables } + AnalystViews.specs.map(\.name))

    public init(childIdentifiers: Set<String>, largestSuppressedCount: Int = 4, smallestRespondentGroup: Int = 10) {
        self.childIdentifiers = Set(childIdentifiers.map { $0.lowercased() })
        self.identifierLengths = Set(self.childIdentifiers.map(\.utf8.count))
        self.largestSuppressedCount = largestSuppressedCount
        self.smallestRespondentGroup = smallestRespondentGroup
    }

    /// The audit's own limit for a unit (not read from disclosure control's settings).
    func largest(for unit: IndicatorDefinition.CountUnit) -> Int? {
        unit.largestProtected(children: largestSuppressedCount, respondentGroup: smallestRespondentGroup)
    }

    /// Reads the identifiers to look for from a restricted store.
    public static func childIdentifiers(in store: URL) throws -> Set<String> {
        try DatabaseQueue(path: store.path).read(childIdentifiers(in:))
    }

    static func childIdentifiers(in db: Database) throws -> Set<String> {
        var ids: Set<String> = []
        for stream in StreamRegistry.all {
            for (table, column) in stream.identifierColumns where try db.tableExists(table) {
                ids.formUnion(try String.fetchAll(db, sql: "SELECT DISTINCT \(column) FROM \(table) WHERE \(column) IS NOT NULL"))
            }
        }
        return ids
    }

    /// E-mail addresses, phone numbers and postcodes in `text`: none may be published (children's comments are redacted before).
    func contactFindings(_ text: String, name: String, place: String) -> [Finding] {
        CommentRedactor.contactDetails(in: text).map {
            Finding(file: name, place: place, problem: "contains what looks like a\($0.kind == "e-mail" ? "n" : "") \($0.kind)\($0.kind == "e-mail" ? " address" : $0.kind == "phone" ? " number" : "") (shaped '\(Bounded.shape($0.found))'; the value itself is not repeated here)")
        }
    }

    /// An absolute path on a Unix machine, as a public file must never show one.
    static let machinePath = #"(?<![\w.:/])/(?:home|root|tmp|work|var|Users|usr|opt|srv|mnt|private|data)/[^\s"'<>]*"#

    /// A stricter check of a published quote, written apart from the redactor so that it does not share
    /// its blind spots: after its own folding (NFKC, format characters dropped), any @, any run of 7 or
    /// more digits however separated, a postcode in any case, an e-mail spelled out with "at" and
    /// "dot", a listed name (in any case; names that are everyday words only capitalised), or, given
    /// `words`, any capitalised word that is neither an everyday word nor on the allow list.
    public static func personalDetails(in raw: String, names: Set<String>, words: RedactionWords? = nil) -> [String] {
        let text = String(String.UnicodeScalarView(raw.precomposedStringWithCompatibilityMapping.unicodeScalars.filter {
            $0.properties.generalCategory != .format
        }))
        var problems: [String] = []
        if text.contains("@") || text.contains("\u{FF20}") { problems.append("an @ (an e-mail address or handle)") }
        let folded = text.lowercased()
        if folded.range(of: #"\b(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|btinternet|protonmail)\b"#, options: .regularExpression) != nil { problems.append("a mail provider's name") }
        if folded.range(of: #"\b(?:snap(?:chat)?|insta(?:gram)?|tiktok|discord|whatsapp|kik)\b"#, options: .regularExpression) != nil { problems.append("a social-media name (a handle may follow)") }
        if folded.range(of: #"(?<![a-z0-9])(?:[a-z]{1,2}[0-9][a-z0-9]?\s*[-.]\s*[0-9][a-z]{2}|[a-z](?:\s[a-z])?\s[0-9](?:\s[a-z0-9])?\s[0-9]\s[a-z]\s[a-z])(?![a-z0-9])"#, options: .regularExpression) != nil { problems.append("a postcode, spaced or hyphenated") }
        // Digits with at most two other characters (not letters) between them count as one number.
        var digits = 0, gap = 0, longest = 0
        // The letter O in a run of digits counts as a zero ("O131 496 O129").
        for character in CommentRedactor.digitsWithLetterO(text) {
            if character.isASCII, character.isNumber {
                digits += 1
                gap = 0
            } else if !character.isLetter, digits > 0, gap < 2 {
                gap += 1
            } else {
                longest = max(longest, digits)
                digits = 0
                gap = 0
            }
        }
        longest = max(longest, digits)
        if longest >= 7 { problems.append("a number of \(longest) digits") }
        let lower = text.lowercased()
        if lower.range(of: #"(?<![a-z0-9])[a-z]{1,2}[0-9][a-z0-9]?\s*[0-9][a-z]{2}(?![a-z0-9])"#, options: .regularExpression) != nil {
            problems.append("a postcode")
        }
        if lower.range(of: #"\bat\b.{1,40}\bdot\b"#, options: .regularExpression) != nil { problems.append("an e-mail address spelled out") }
        let everyday: Set<String> = ["amber", "grace", "holly", "rose", "ruby", "summer", "jack", "jay", "lily"]
        for word in text.split(whereSeparator: { !$0.isLetter && $0 != "-" }) {
            let w = word.lowercased()
            if names.contains(w), word.first!.isUppercase || !everyday.contains(w) {
                problems.append("a listed name (shaped '\(Bounded.shape(String(word)))')")
            } else if let words, word.first!.isUppercase, !words.isAllowed(String(word)), !words.isCommon(String(word)) {
                // Deny by default: a capitalised word that is neither an everyday word nor allowed may be a name.
                problems.append("a capitalised word (shaped '\(Bounded.shape(String(word)))') that is neither an everyday word nor on the allow list (a name?)")
            }
        }
        return problems
    }

    /// The audit as a build or `promise-progress audit` runs it: identifiers from the restricted store
    /// `db` (to look for them, never to learn counts); everything else from the public files.
    public static func configured(layout: PipelineLayout, restrictedStore db: Database) throws -> PublicationAudit {
        var audit = PublicationAudit(childIdentifiers: try childIdentifiers(in: db))
        audit.trueCounts = try trueCounts(in: db)
        if try db.tableExists("redaction_term") {
            audit.listedNames = Set(try String.fetchAll(db, sql: "SELECT lower(term) FROM redaction_term WHERE kind = 'name'"))
        }
        audit.quoteWords = try RedactionWords.load(from: db)
        audit.approvedQuotes = try approvedQuoteHashes(in: db)
        return audit
    }

    /// SHA-256 of every redacted text a reviewer approved, from the restricted store's `quote_review`.
    public static func approvedQuoteHashes(in db: Database) throws -> Set<String> {
        guard try db.tableExists("quote_review") else { return [] }
        return Set(try String.fetchAll(db, sql: "SELECT lower(redacted_sha256) FROM quote_review WHERE decision = 'approved'"))
    }

    static func trueCounts(in db: Database) throws -> [String: Double] {
        var result: [String: Double] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT indicator_id, period_id, geography_code, breakdown_type, breakdown_code, numerator, denominator FROM indicator_value")
        while let row = try rows.next() {
            let place = "\(row["period_id"] as String)|\(row["geography_code"] as String)|\(row["breakdown_type"] as String)|\(row["breakdown_code"] as String)"
            if let n: Double = row["numerator"] { result["\(row["indicator_id"] as String).numerator|\(place)"] = n }
            if let d: Double = row["denominator"] { result["\(row["indicator_id"] as String).denominator|\(place)"] = d }
        }
        return result
    }

    public mutating func audit(_ given: URL) throws -> [Finding] {
        var findings: [Finding] = []
        linearProgramsSolved = 0
        attackSeconds = 0
        // out/public is a link to the current release: walk the folder it leads to (walking the
        // link itself finds nothing), and treat a folder with nothing in it as an error, not a pass.
        let folder = given.resolvingSymlinksInPath()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw PipelineFailure("the audit cannot read \(given.path): it is not a folder of published outputs")
        }
        // SQLite files first: the CSVs are checked against what they state.
        let all: [URL] = (FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []).filter { !$0.hasDirectoryPath }
        guard !all.isEmpty else {
            throw PipelineFailure("the audit found no files in \(given.path): nothing to vouch for, so it does not pass")
        }
        let files: [URL] = all.filter { $0.pathExtension == "sqlite" }.sorted { $0.path < $1.path } + all.filter { $0.pathExtension != "sqlite" }.sorted { $0.path < $1.path }
        statedInSQLite = [:]
        for file in files {
            let name = String(file.path.dropFirst(folder.path.count + 1))
            switch file.pathExtension {
            case "sqlite": findings += try auditSQLite(file, name: name)
            case "csv": findings += try auditCSV(file, name: name)
            case "gz": findings += try auditArchive(file, name: name)
            case "html", "md", "yml": findings += try auditText(file, name: name)
            case "css", "png": break
            default: findings.append(Finding(file: name, place: "file", problem: "unexpected kind of file in the public folder"))
            }
        }
        return findings
    }

    // MARK: - Text (HTML and Markdown)

    /// The bytes an identifier is searched for between: ASCII letters, digits, '_' and '-'.
    static let wordBytes: [Bool] = (0..<256).map { byte in
        let b = UInt8(byte)
        let digit = b >= 0x30 && b <= 0x39
        let letter = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
        return digit || letter || b == 0x5F || b == 0x2D
    }

    func identifierFindings(_ text: String, name: String) -> [Finding] {
        guard !childIdentifiers.isEmpty else { return [] }
        var findings: [Finding] = []
        var text = text
        // Identifiers are printable ASCII (the input contract), so words are runs of ASCII letters,
        // digits, '_' and '-', read byte by byte: any other byte ends a word. Only a word as long as
        // some identifier is looked up.
        text.withUTF8 { bytes in
            var line = 1, lineStart = 0, wordStart = -1
            func endWord(at end: Int) {
                guard wordStart >= 0 else { return }
                defer { wordStart = -1 }
                guard identifierLengths.contains(end - wordStart) else { return }
                let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[wordStart..<end]), as: UTF8.self)
                guard childIdentifiers.contains(word.lowercased()) else { return }
                let character = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<wordStart]), as: UTF8.self).count + 1
                findings.append(Finding(file: name, place: "line \(line), character \(character)",
                                        problem: "contains an identifier from the restricted store (of a child, episode, placement or survey respondent; shaped '\(Bounded.shape(word))', the value itself is not repeated here)"))
            }
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if Self.wordBytes[Int(byte)] {
                    if wordStart < 0 { wordStart = index }
                } else {
                    endWord(at: index)
                    if byte == 0x0A { line += 1; lineStart = index + 1 }
                }
            }
            endWord(at: bytes.count)
        }
        return findings
    }

    func auditText(_ url: URL, name: String) throws -> [Finding] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var findings = identifierFindings(text, name: name)
        findings += contactFindings(url.pathExtension == "html" ? Self.strip(text) : text, name: name, place: "text")
        // A folder of the build machine (an --input outside the working folder, say) is never shown.
        if let range = text.range(of: Self.machinePath, options: .regularExpression) {
            findings.append(Finding(file: name, place: "text", problem: "shows a path on the build machine ('\(text[range])')"))
        }
        if text.range(of: "date_of_birth", options: .caseInsensitive) != nil {
            findings.append(Finding(file: name, place: "text", problem: "mentions date_of_birth"))
        }
        // Every table: a cell in a column headed Number or Out of must not be a count from 1 to 4.
        for table in url.pathExtension == "html" ? Self.htmlTables(text) : Self.markdownTables(text) {
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

    struct Table { var caption: String; var header: [String]; var rows: [[String]] }

    /// The text of `html` without its tags (everything from `<` to the next `>`), `&amp;` read as `&`.
    /// A tag that ends a block or a table cell (`</td>`, `<p>`, `<br>`, …) leaves a line break, so that
    /// the text of neighbouring cells is not read as one ("0551" beside "19.9" beside "117.3" is no phone
    /// number); an inline tag (`<a>`, `<span>`, `<strong>`) leaves nothing, so that a number split by
    /// one is still read whole.
    static func strip(_ html: String) -> String {
        guard html.utf8.contains(0x3C) || html.utf8.contains(0x26) else { return html.trimmingCharacters(in: .whitespacesAndNewlines) }
        // Byte by byte: '<' and '>' are ASCII, so a tag never starts or ends inside a character.
        var text: [UInt8] = []
        text.reserveCapacity(html.utf8.count)
        var tagStart: Int?
        var bytes = Array(html.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            for index in 0..<buffer.count {
                let byte = buffer[index]
                if let start = tagStart {
                    guard byte == 0x3E else { continue }
                    // The tag's name: after any '/', its letters and digits, in lower case.
                    var nameStart = start + 1
                    while nameStart < index, buffer[nameStart] == 0x2F { nameStart += 1 }
                    var nameEnd = nameStart
                    while nameEnd < index, Self.nameBytes[Int(buffer[nameEnd])] { nameEnd += 1 }
                    if nameEnd > nameStart, nameEnd - nameStart <= 10 {
                        let name = String(decoding: UnsafeBufferPointer(rebasing: buffer[nameStart..<nameEnd]), as: UTF8.self).lowercased()
                        if blockTags.contains(name) { text.append(0x0A) }
                    }
                    tagStart = nil
                } else if byte == 0x3C {
                    tagStart = index
                } else {
                    text.append(byte)
                }
            }
        }
        // An unclosed '<' swallows the rest, as before.
        return String(decoding: text, as: UTF8.self).replacingOccurrences(of: "&amp;", with: "&").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// ASCII letters and digits, the bytes of a tag's name.
    static let nameBytes: [Bool] = (0..<256).map { byte in
        let b = UInt8(byte)
        return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    /// Tags whose text is a block or cell of its own.
    static let blockTags: Set<String> = ["td", "th", "tr", "table", "thead", "tbody", "tfoot", "caption", "p", "br", "li", "ul", "ol", "dl", "dt", "dd",
                                         "div", "section", "article", "header", "footer", "nav", "main", "aside", "figure", "figcaption",
                                         "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "details", "summary", "title", "svg", "text", "tspan", "g"]

    /// The next `<th …>`/`<td …>` (or, `closing`, `</th>`/`</td>`) tag in `html`, whole.
    static func nextCellTag(in html: Substring, closing: Bool) -> Range<Substring.Index>? {
        var rest = html
        while let open = rest.range(of: closing ? "</t" : "<t") {
            let kind = rest[open.upperBound...].first
            if kind == "h" || kind == "d", let close = rest[open.upperBound...].firstIndex(of: ">") {
                let between = rest[rest.index(after: open.upperBound)..<close]
                // "<th>" or "<td class=…>"; not "<thead>", "<tr>" or "</th >"-like oddities that are another tag.
                if between.isEmpty || (!closing && between.first == " ") { return open.lowerBound..<rest.index(after: close) }
            }
            rest = rest[open.upperBound...]
        }
        return nil
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
                while let cellOpen = nextCellTag(in: cellScan, closing: false),
                      let cellClose = nextCellTag(in: cellScan[cellOpen.upperBound...], closing: true) {
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
                findings += identifierFindings(text, name: member) + contactFindings(text, name: member, place: "text")
            } else {
                findings.append(Finding(file: member, place: "file", problem: "unexpected kind of file in the archive"))
            }
        }
        return findings
    }

    func auditCSV(text: String, name: String) throws -> [Finding] {
        var findings = identifierFindings(text, name: name)
        findings += contactFindings(text, name: name, place: "text")
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
                        findings += contactFindings(text, name: name, place: "\(table).\(column)")
                        if text.contains("/"), let range = text.range(of: Self.machinePath, options: .regularExpression) {
                            findings.append(Finding(file: name, place: "\(table).\(column)", problem: "shows a path on the build machine ('\(text[range])')"))
                        }
                        // Children's own words: the stricter check.
                        if table == PublicData.quotes.name, column == "quote" {
                            findings += Self.personalDetails(in: text, names: listedNames, words: quoteWords).map {
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

    /// The answers table restates survey results by age group: each age group's answers to a topic may be
    /// listed only where the result for that topic, wave, Scotland and age group is published, and must
    /// add up to it (favourable answers to the numerator, answers in the denominator to the
    /// denominator). Otherwise it would give away a withheld group.
    func answerFindings(_ db: Database, file: String) throws -> [Finding] {
        var findings: [Finding] = []
        // Every answer count is a count of children: neither it nor those not giving it from 1 to 4.
        for row in try Row.fetchAll(db, sql: "SELECT wave, topic, age_group, answer, answers, group_answers FROM survey_answer_distribution") {
            let answers: Int = row["answers"], others = (row["group_answers"] as Int) - answers
            for (count, who) in [(answers, "gave"), (others, "did not give")] where count >= 1 && count <= largestSuppressedCount {
                findings.append(Finding(file: file, place: "survey_answer_distribution \(row["wave"] as String) \(row["topic"] as String) age_group=\(row["age_group"] as String) answer=\(row["answer"] as String)",
                                        problem: "says that \(count) \(who) this answer, a count from 1 to \(largestSuppressedCount)"))
            }
        }
        let blocks = try Row.fetchAll(db, sql: """
            SELECT wave, topic, age_group, SUM(CASE WHEN favourable = 1 THEN answers ELSE 0 END) AS favourable,
                   SUM(CASE WHEN favourable IS NOT NULL THEN answers ELSE 0 END) AS counted
            FROM survey_answer_distribution GROUP BY wave, topic, age_group
            """)
        for block in blocks {
            let place = "survey_answer_distribution \(block["wave"] as String) \(block["topic"] as String) age_group=\(block["age_group"] as String)"
            let results = try Row.fetchAll(db, sql: """
                SELECT i.indicator_id, v.numerator, v.denominator, v.marker FROM indicator i
                LEFT JOIN indicator_value v ON v.indicator_id = i.indicator_id AND v.period_id = ? AND v.geography_code = 'S92000003'
                     AND v.breakdown_type = 'age_group' AND v.breakdown_code = ?
                WHERE i.survey_topic = ?
                """, arguments: [block["wave"], block["age_group"], block["topic"]])
            if results.isEmpty {
                findings.append(Finding(file: file, place: place, problem: "lists answers to a topic no published survey result counts"))
            }
            for result in results {
                guard let numerator = result["numerator"] as Double?, let denominator = result["denominator"] as Double? else {
                    findings.append(Finding(file: file, place: place, problem: "lists the answers of a group whose result (\(result["indicator_id"] as String)) is withheld or absent"))
                    continue
                }
                // The numerator counts the favourable answers, or (low life satisfaction) the unfavourable ones.
                let favourable: Double = block["favourable"], counted: Double = block["counted"]
                if denominator != counted || (numerator != favourable && numerator != counted - favourable) {
                    findings.append(Finding(file: file, place: place, problem: "does not add up to the published result of \(result["indicator_id"] as String) (\(Int(numerator)) of \(Int(denominator)))"))
                }
            }
        }
        return findings
    }

    /// The low-response bands the public file states (`survey_response_band`), each an inequality.
    static func bands(_ db: Database, canonical: [String: String]) throws -> [TableStructure.Band] {
        guard try db.tableExists("survey_response_band") else { return [] }
        return try Row.fetchAll(db, sql: "SELECT indicator_id, period_id, geography_code, breakdown_type, breakdown_code, response_under_a_fifth FROM survey_response_band").compactMap { row in
            let indicator: String = row["indicator_id"]
            guard let part = canonical["\(indicator).numerator"], let whole = canonical["\(indicator).denominator"] else { return nil }
            let key = CellKey(period: row["period_id"], geography: row["geography_code"], breakdownType: row["breakdown_type"], breakdownCode: row["breakdown_code"])
            return TableStructure.Band(part: .init(part, key), whole: .init(whole, key), share: DisclosureControl.lowResponseShare, below: (row["response_under_a_fifth"] as Int) == 1)
        }
    }

    static func cellName(_ row: Row) -> String {
        "indicator_value \(row["indicator_id"] as String) \(row["period_id"] as String) \(row["geography_code"] as String) \(row["breakdown_type"] as String)=\(row["breakdown_code"] as String)"
    }

    /// Rebuilds every relation between counts from the public file and bounds each withheld count.
    mutating func attack(_ db: Database, file: String) throws -> [Finding] {
        typealias Cell = TableStructure.Cell
        var findings: [Finding] = []
        let hasPopulations = try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM sqlite_master WHERE name = 'measure_population'") ?? false
        // The declarations, as published.
        var declared: [String: TableStructure.Declaration] = [:]
        if hasPopulations {
            let hasUnits = try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM pragma_table_info('measure_population') WHERE name = 'unit'") ?? false
            for row in try Row.fetchAll(db, sql: "SELECT indicator_id, measure, population, overlapping, \(hasUnits ? "unit" : "'children' AS unit"), attribute, code FROM measure_population") {
                let measure = "\(row["indicator_id"] as String).\(row["measure"] as String)"
                guard let unit = IndicatorDefinition.CountUnit(rawValue: row["unit"]) else {
                    findings.append(Finding(file: file, place: "measure_population \(measure)", problem: "declares an unknown unit '\(row["unit"] as String? ?? "NULL")'"))
                    continue
                }
                var declaration = declared[measure] ?? TableStructure.Declaration(measure: measure, population: row["population"], overlapping: (row["overlapping"] as Int) == 1, unit: unit)
                if let attribute: String = row["attribute"], let code: String = row["code"] { declaration.conditions[attribute, default: []].insert(code) }
                declared[measure] = declaration
            }
        }
        // Qualitative indicators count public records (commitments), not people: nothing to judge.
        let hasEvidence = try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM pragma_table_info('indicator') WHERE name = 'evidence'") ?? false
        let indicators = try Row.fetchAll(db, sql: "SELECT indicator_id, value_type, value_source FROM indicator" + (hasEvidence ? " WHERE evidence <> 'qualitative'" : ""))
        recordIndicators = hasEvidence ? Set(try String.fetchAll(db, sql: "SELECT indicator_id FROM indicator WHERE evidence = 'qualitative'")) : []
        var valueType: [String: String] = [:]
        for row in indicators where (row["value_source"] as String) == "computed" {
            let id: String = row["indicator_id"]
            valueType[id] = row["value_type"]
            let numerator = "\(id).numerator"
            declared[numerator] = declared[numerator] ?? TableStructure.Declaration(measure: numerator, population: nil)
        }
        // A survey result's respondents are among its response rate's (the same rule disclosure control
        // states, read here from the public indicator table).
        let hasRates = try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM pragma_table_info('indicator') WHERE name = 'response_rate_indicator'") ?? false
        if hasRates {
            for row in try Row.fetchAll(db, sql: "SELECT indicator_id, response_rate_indicator FROM indicator WHERE response_rate_indicator IS NOT NULL AND response_rate_indicator <> indicator_id") {
                let measure = "\(row["indicator_id"] as String).denominator"
                if declared[measure]?.unit == .respondents { declared[measure]!.within = "\(row["response_rate_indicator"] as String).numerator" }
            }
        }
        let canonical = TableStructure.canonicalMeasures(Array(declared.values))
        let byMeasure = TableStructure.byCanonicalMeasure(Array(declared.values), canonical: canonical)
        // Each count's limit: by its declared unit; a denominator with no declaration (a population
        // estimate) is protected as children only where it counts children (percentages and means).
        func limit(indicator: String, part: String) -> Int? {
            if let declaration = declared["\(indicator).\(part)"], declaration.population != nil { return largest(for: declaration.unit) }
            if part == "numerator" { return largestSuppressedCount }
            return ["percentage", "mean"].contains(valueType[indicator] ?? "") ? largestSuppressedCount : nil
        }
        for id in valueType.keys { countLimits[id] = (limit(indicator: id, part: "numerator"), limit(indicator: id, part: "denominator")) }

        // Every cell, published or withheld; one count stated in two places must agree in both.
        var published: [Cell: Double] = [:]
        var withheld: Set<Cell> = []
        var statedAt: [Cell: String] = [:]
        var truthKey: [Cell: String] = [:]
        var empty: Set<Cell> = []
        let rows = try Row.fetchAll(db, sql: """
            SELECT indicator_id, period_id, geography_code, breakdown_type, breakdown_code, numerator, denominator, value, marker
            FROM indicator_value WHERE marker IS NULL OR marker <> '[x]' ORDER BY indicator_id, period_id, geography_code, breakdown_type, breakdown_code
            """)
        for row in rows {
            let indicator: String = row["indicator_id"]
            let stated = "\(indicator)|\(row["period_id"] as String)|\(row["geography_code"] as String)|\(row["breakdown_type"] as String)|\(row["breakdown_code"] as String)"
            for column in ["numerator", "denominator", "value"] { statedInSQLite["\(stated)|\(column)"] = .some(row[column] as Double?) }
            guard let type = valueType[indicator] else { continue }
            let key = CellKey(period: row["period_id"], geography: row["geography_code"], breakdownType: row["breakdown_type"], breakdownCode: row["breakdown_code"])
            let place = "indicator_value \(indicator) \(key.period) \(key.geography) \(key.breakdownType)=\(key.breakdownCode)"
            // Nothing to divide by ([z], or a published denominator of 0, whatever else is withheld): its
            // numerator is a zero-fill that bounds nothing, as disclosure control too treats it.
            if (row["marker"] as String?) == "[z]" || (row["denominator"] as Double?) == 0, let measure = canonical["\(indicator).numerator"] {
                empty.insert(Cell(measure, key))
            }
            for part in ["numerator", "denominator"] {
                if let largest = limit(indicator: indicator, part: part), let amount = row[part] as Double?, amount >= 1, amount <= Double(largest) {
                    findings.append(Finding(file: file, place: part == "numerator" ? place : "\(place) \(part)", problem: "publishes a count from 1 to \(largest)"))
                }
            }
            let value: Double? = row["value"]
            let withheldMarker = (row["marker"] as String?) == "[c]"
            for (part, amount) in [("numerator", row["numerator"] as Double?), ("denominator", row["denominator"] as Double?)] {
                let measure = "\(indicator).\(part)"
                guard let target = canonical[measure] else { continue }
                let cell = Cell(target, key)
                if let amount {
                    if withheld.contains(cell) {
                        findings.append(Finding(file: file, place: "\(place) \(part)", problem: "publishes \(Int(amount)), a count withheld where \(statedAt[cell] ?? "elsewhere") states it"))
                    } else if let other = published[cell], other != amount {
                        findings.append(Finding(file: file, place: "\(place) \(part)", problem: "publishes \(Int(amount)) for a count \(statedAt[cell] ?? "elsewhere") gives as \(Int(other))"))
                    }
                    published[cell] = amount
                } else if withheldMarker {
                    if let other = published[cell] {
                        findings.append(Finding(file: file, place: "\(place) \(part)", problem: "withholds a count \(statedAt[cell] ?? "elsewhere") publishes as \(Int(other))"))
                    }
                    withheld.insert(cell)
                } else {
                    continue
                }
                statedAt[cell] = statedAt[cell] ?? "\(place) \(part)"
                truthKey[cell] = truthKey[cell] ?? "\(measure)|\(key.period)|\(key.geography)|\(key.breakdownType)|\(key.breakdownCode)"
            }
            // Answers are protected with their group of respondents: never published while it is withheld.
            if declared["\(indicator).numerator"]?.unit == .answers, row["numerator"] as Double? != nil, row["denominator"] as Double? == nil, withheldMarker {
                findings.append(Finding(file: file, place: place, problem: "publishes a count of answers while the group of respondents it is out of is withheld"))
            }
            // A value beside a withheld count gives it away (value x denominator, or numerator / value).
            if value != nil, withheldMarker || (row["numerator"] as Double?) == nil && type != "count" {
                findings.append(Finding(file: file, place: place, problem: "publishes a value while a count it is computed from is withheld"))
            }
        }
        // The respondents not giving an answer, known wherever both the answers and their group are published.
        var answerGroups: [String: String] = [:]
        for (measure, declaration) in declared where declaration.unit == .answers && measure.hasSuffix(".numerator") {
            let indicator = String(measure.dropLast(".numerator".count))
            if let numerator = canonical[measure], let group = canonical["\(indicator).denominator"] { answerGroups[numerator] = group }
        }
        var complementTruth: [Cell: Double] = [:]
        for cell in withheld.union(published.keys) where !empty.contains(cell) {
            guard let group = answerGroups[cell.measure] else { continue }
            let whole = Cell(group, cell.key), others = Cell(TableStructure.complementMeasure(of: cell.measure), cell.key)
            guard published[whole] != nil || withheld.contains(whole) else { continue }
            if let n = published[cell], let d = published[whole] { published[others] = d - n } else { withheld.insert(others) }
            statedAt[others] = "\(statedAt[cell] ?? cell.description) (those not giving the answer)"
            if let trueCounts, let nKey = truthKey[cell], let dKey = truthKey[whole], let n = trueCounts[nKey], let d = trueCounts[dKey] { complementTruth[others] = d - n }
        }
        let placementTypes = Set(try String.fetchAll(db, sql: "SELECT placement_type_code FROM placement_type"))
        let relations = TableStructure.relations(cells: withheld.union(published.keys), declarations: byMeasure,
                                                 domains: [TableStructure.placementAttribute: placementTypes.union([TableStructure.noPlacement])], empty: empty,
                                                 previousPeriod: try TableStructure.previousPeriods(in: db), answerGroups: answerGroups)
            + TableStructure.bandRelations(try Self.bands(db, canonical: canonical), cells: withheld.union(published.keys))
        var problem = AttackProblem(relations: relations, published: published, withheld: withheld)
        // Each withheld count's limit from its declared unit (children 4, respondents 9); a count of
        // answers is protected with its group and is not judged on its own.
        func cellLimit(_ cell: Cell) -> Int? {
            byMeasure[cell.measure].map { $0.population == nil ? largestSuppressedCount : largest(for: $0.unit) } ?? largestSuppressedCount
        }
        func truth(_ cell: Cell) -> Double? {
            if let value = complementTruth[cell] { return value }
            guard let trueCounts, let key = truthKey[cell] else { return nil }
            return trueCounts[key]
        }
        // With the true counts, the standard for the small counts; without, the outsider's standard for all.
        func isSmall(_ cell: Cell) -> Bool? {
            guard let value = truth(cell), let largest = cellLimit(cell) else { return nil }
            return value >= 1 && value <= Double(largest)
        }
        let judged = withheld.filter { cellLimit($0) != nil && (isSmall($0) ?? true) }
        for (largest, group) in Dictionary(grouping: judged, by: { cellLimit($0)! }).sorted(by: { $0.key < $1.key }) {
            let queries = Set(group.compactMap { problem.index[.cell($0)] })
            let ranges: [Int: ProvableRanges.Range]
            do {
                ranges = try problem.ranges.bound(lowerQueries: queries, upperQueries: queries, target: Double(largest + 1))
            } catch {
                return findings + [Finding(file: file, place: "indicator_value", problem: "the published counts contradict the relations between them: \(error)")]
            }
            for cell in group.sorted() {
                guard let variable = problem.index[.cell(cell)], let range = ranges[variable] else { continue }
                let tooNarrow = isSmall(cell) == true ? !range.canBeZero || !range.canReachTarget : AttackProblem.isTooNarrow(range, largest: largest)
                guard tooNarrow else { continue }
                let lower = range.lower.map { String(format: "%.2f", $0) } ?? "0"
                let upper = range.upper.map { String(format: "%.2f", $0) } ?? "\(largest + 1) or more"
                findings.append(Finding(file: file, place: "\(statedAt[cell] ?? cell.description)",
                                        problem: "is withheld, but combining the published tables proves it lies between \(lower) and \(upper); the range must include 0 and \(largest + 1)"))
            }
        }
        if let previousRelease {
            findings += try jointFindings(previous: previousRelease, canonical: canonical, answerGroups: answerGroups, published: published, withheld: withheld,
                                          statedAt: statedAt, truth: truth, problem: &problem)
        }
        linearProgramsSolved += problem.ranges.solves
        return findings
    }

    /// The attacker keeps every release. Against the release before this one:
    /// - a count published in both may not move by 1 to 4 (the difference would isolate those children);
    /// - a count withheld there may not be published here for the same period;
    /// - a count published there and withheld here, whose true value moved by 1 to 4, must provably be
    ///   able to be its previous value and five beyond it in the direction it moved.
    /// Counts withheld in both are left to each release's own attack: with their provable ranges
    /// including their true values in each, nothing links the two.
    func jointFindings(previous: URL, canonical: [String: String], answerGroups: [String: String], published: [TableStructure.Cell: Double],
                                withheld: Set<TableStructure.Cell>, statedAt: [TableStructure.Cell: String], truth: (TableStructure.Cell) -> Double?,
                                problem: inout AttackProblem) throws -> [Finding] {
        typealias Cell = TableStructure.Cell
        var configuration = Configuration()
        configuration.readonly = true
        let name = "promise-public.sqlite (with the previous release's \(previous.lastPathComponent))"
        var before: [Cell: Double] = [:]
        var withheldBefore: Set<Cell> = []
        try DatabaseQueue(path: previous.path, configuration: configuration).read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT indicator_id, period_id, geography_code, breakdown_type, breakdown_code, numerator, denominator, marker
                FROM indicator_value WHERE marker IS NULL OR marker <> '[x]'
                """)
            for row in rows {
                let key = CellKey(period: row["period_id"], geography: row["geography_code"], breakdownType: row["breakdown_type"], breakdownCode: row["breakdown_code"])
                for part in ["numerator", "denominator"] {
                    guard let measure = canonical["\(row["indicator_id"] as String).\(part)"] else { continue }
                    if let amount = row[part] as Double? { before[Cell(measure, key)] = amount } else if (row["marker"] as String?) == "[c]" { withheldBefore.insert(Cell(measure, key)) }
                }
            }
        }
        for (answers, group) in answerGroups {
            for cell in Set(before.keys).union(withheldBefore) where cell.measure == answers {
                let others = Cell(TableStructure.complementMeasure(of: answers), cell.key), whole = Cell(group, cell.key)
                if let n = before[cell], let d = before[whole] { before[others] = d - n } else if before[whole] != nil || withheldBefore.contains(whole) { withheldBefore.insert(others) }
            }
        }
        var findings: [Finding] = []
        var moved: [Int: (cell: Cell, low: Double, high: Double)] = [:]
        for (cell, amount) in published {
            if let old = before[cell], abs(amount - old) >= 0.5, abs(amount - old) <= Double(largestSuppressedCount) + 0.5 {
                findings.append(Finding(file: name, place: statedAt[cell] ?? cell.description,
                                        problem: "moved from \(Int(old)) to \(Int(amount)) since the previous release: a difference of 1 to \(largestSuppressedCount) isolates those children"))
            }
            if withheldBefore.contains(cell) {
                findings.append(Finding(file: name, place: statedAt[cell] ?? cell.description, problem: "was withheld in the previous release and is published in this one"))
            }
        }
        for cell in withheld {
            guard let old = before[cell], let variable = problem.index[.cell(cell)] else { continue }
            // With the true count, the direction it moved; without, both.
            if let value = truth(cell) {
                let change = value - old
                guard abs(change) >= 0.5, abs(change) <= Double(largestSuppressedCount) + 0.5 else { continue }
                let beyond = Double(largestSuppressedCount + 1)
                moved[variable] = change > 0 ? (cell, old, old + beyond) : (cell, max(0, old - beyond), old)
            } else {
                moved[variable] = (cell, old, old)
            }
        }
        if !moved.isEmpty {
            for (variable, extreme) in try problem.ranges.extremes(of: Set(moved.keys)) {
                let (cell, low, high) = moved[variable]!
                let tolerance = ProvableRanges.tolerance
                if extreme.min > low + tolerance || (extreme.max.map { $0 < high - tolerance } ?? false) {
                    let upper = extreme.max.map { String(format: "%.2f", $0) } ?? "without limit"
                    findings.append(Finding(file: name, place: statedAt[cell] ?? cell.description,
                                            problem: "was published as \(Int(before[cell]!)) in the previous release; withheld now, combining both releases proves it lies between \(String(format: "%.2f", extreme.min)) and \(upper), so how many children the revision moved is narrowed (the range must include \(Int(low)) and \(Int(high)))"))
                }
            }
        }
        return findings
    }
}
