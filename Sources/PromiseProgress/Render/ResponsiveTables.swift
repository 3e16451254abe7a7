import Foundation

/// Tables that a phone can read. On a narrow screen each row of a data table is shown as a short
/// block, one line per cell, each cell led by its column's heading, so no column is off-screen and
/// no caption is cut (the stylesheet's `table.stack` rules). The headings come from the table's own
/// `<thead>`: this pass copies each into a `data-label` attribute on the cells of its column. It runs
/// over the project's own generated HTML (every data table has one header row and no spanning cells);
/// a table without a `<thead>` is left as it is. Wide screens and print see the ordinary table.
enum ResponsiveTables {
    static func label(_ html: String) -> String {
        var out = ""
        out.reserveCapacity(html.utf8.count + html.utf8.count / 8)
        var rest = html[...]
        while let start = rest.range(of: "<table>") {
            out += rest[..<start.lowerBound]
            guard let end = rest.range(of: "</table>", range: start.upperBound..<rest.endIndex) else { break }
            out += labelled(rest[start.lowerBound..<end.upperBound])
            rest = rest[end.upperBound...]
        }
        out += rest
        return out
    }

    static func labelled(_ table: Substring) -> String {
        guard let headStart = table.range(of: "<thead>"), let headEnd = table.range(of: "</thead>", range: headStart.upperBound..<table.endIndex) else {
            return String(table)
        }
        let labels = cells(in: table[headStart.upperBound..<headEnd.lowerBound]).map { text(of: $0.inner) }
        guard !labels.isEmpty else { return String(table) }
        var out = "<table class=\"stack\">" + table[table.index(table.startIndex, offsetBy: "<table>".count)..<headEnd.upperBound]
        var rest = table[headEnd.upperBound...]
        while let rowStart = rest.range(of: "<tr"), let rowEnd = rest.range(of: "</tr>", range: rowStart.upperBound..<rest.endIndex) {
            out += rest[..<rowStart.lowerBound]
            let row = rest[rowStart.lowerBound..<rowEnd.upperBound]
            var position = row.startIndex
            for (index, cell) in cells(in: row).enumerated() {
                out += row[position..<cell.tagEnd]
                // A row's own heading names the row: it needs no label.
                let isRowHeading = row[cell.tagStart..<cell.openEnd].contains("scope=\"row\"")
                if index < labels.count, !isRowHeading, !labels[index].isEmpty {
                    out += " data-label=\"\(labels[index])\""
                }
                position = cell.tagEnd
            }
            out += row[position...]
            rest = rest[rowEnd.upperBound...]
        }
        out += rest
        return out
    }

    struct Cell {
        /// `<td` or `<th` starts here; its name ends at `tagEnd`; its opening tag at `openEnd`.
        var tagStart: String.Index, tagEnd: String.Index, openEnd: String.Index
        var inner: Substring
    }

    /// Every `<td>` and `<th>` in a stretch of HTML, in order (never `<thead>`).
    static func cells(in html: Substring) -> [Cell] {
        var found: [Cell] = []
        var index = html.startIndex
        while let open = html.range(of: "<t", range: index..<html.endIndex) {
            let nameEnd = html.index(open.upperBound, offsetBy: 1, limitedBy: html.endIndex) ?? html.endIndex
            guard nameEnd < html.endIndex, ["d", "h"].contains(html[open.upperBound]), [" ", ">"].contains(html[nameEnd]),
                  let openEnd = html.range(of: ">", range: nameEnd..<html.endIndex)?.upperBound else {
                index = open.upperBound
                continue
            }
            let close = html.range(of: "</t\(html[open.upperBound])>", range: openEnd..<html.endIndex)
            found.append(Cell(tagStart: open.lowerBound, tagEnd: nameEnd, openEnd: openEnd, inner: html[openEnd..<(close?.lowerBound ?? html.endIndex)]))
            index = close?.upperBound ?? html.endIndex
        }
        return found
    }

    /// A heading's text without its tags (it is escaped HTML already, so safe in an attribute).
    static func text(of inner: Substring) -> String {
        var text = ""
        var inTag = false
        for character in inner {
            if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag { text.append(character) }
        }
        return text.replacingOccurrences(of: "\"", with: "&quot;").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
