import Foundation

/// The tables of a published page read back as a reader sees them (HTML or Markdown), and the text of
/// a page without its tags, for the audit's checks of what pages state.
enum PublishedTableReader {
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
}
