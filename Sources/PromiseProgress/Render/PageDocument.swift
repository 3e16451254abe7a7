/// A page as a list of blocks, written once and rendered to both HTML and Markdown, so the two hold
/// the same content. Every piece of text is escaped here, for its output, and nowhere else: HTML
/// entities for HTML; backslash escapes for every character that could start a link, an image, a code
/// span or emphasis in Markdown (``MarkdownContentType``). Only SVG that a chart in this module built
/// and escaped itself goes in raw, and only into the HTML.
struct PageDocument {
    /// Inline content: text, a link to another page (written `.html` or `.md` by the output), or a link
    /// to a file that is the same in both (a CSV, the SQLite file).
    enum Inline {
        case text(String)
        case strong(String)
        case page(String, path: String, anchor: String? = nil)
        case file(String, path: String)
    }

    struct Column {
        var heading: String
        var numeric = false
        init(_ heading: String, numeric: Bool = false) {
            self.heading = heading
            self.numeric = numeric
        }
    }

    enum Block {
        case heading(Int, String, id: String? = nil)
        case paragraph([Inline])
        /// A note set apart (a caveat, a gap said plainly).
        case note([Inline])
        case list([[Inline]])
        /// A table: the first cell of each row is its header. `id` names the caption for the scroll region.
        case table(id: String, caption: String, columns: [Column], rows: [[[Inline]]], totalRows: Set<Int> = [])
        /// An SVG figure with its caption; Markdown gets the caption and says the table holds the data.
        case figure(svg: String, caption: String)
        case definitions([(term: String, detail: [Inline])])
        /// Shown on screen, left out of the printed summary (the full tables; the CSV has them).
        case screenOnly([Block])
        /// Only in the printed summary (a compact table in place of a chart); Markdown has the full table.
        case printOnly([Block])
    }

    var title: String
    var crumbs: [(text: String, path: String)] = []
    var lead: String?
    var blocks: [Block] = []

    init(title: String, crumbs: [(text: String, path: String)] = [], lead: String? = nil) {
        self.title = title
        self.crumbs = crumbs
        self.lead = lead
    }

    mutating func add(_ block: Block) { blocks.append(block) }

    // MARK: - HTML

    static func html(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// `root` leads from the page back to the site's top folder ("../" per level).
    static func html(_ inline: [Inline], root: String) -> String {
        inline.map { piece in
            switch piece {
            case .text(let text): html(text)
            case .strong(let text): "<strong>\(html(text))</strong>"
            case .page(let text, let path, let anchor): "<a href=\"\(html(root + path)).html\(anchor.map { "#" + html($0) } ?? "")\">\(html(text))</a>"
            case .file(let text, let path): "<a href=\"\(html(root + path))\">\(html(text))</a>"
            }
        }.joined()
    }

    /// The page's main content as HTML (the header and footer come from the site's templates).
    func htmlBody(root: String) -> String {
        Self.htmlBlocks(blocks, crumbs: crumbs, title: title, lead: lead, root: root)
    }

    static func htmlBlocks(_ blocks: [Block], crumbs: [(text: String, path: String)] = [], title: String? = nil, lead: String? = nil, root: String) -> String {
        var out: [String] = []
        if !crumbs.isEmpty {
            out.append("<p class=\"crumb\">" + crumbs.map { "<a href=\"\(Self.html(root + $0.path)).html\">\(Self.html($0.text))</a>" }.joined(separator: " / ") + " / \(Self.html(title ?? ""))</p>")
        }
        if let title { out.append("<h1>\(Self.html(title))</h1>") }
        if let lead { out.append("<p class=\"lead\">\(Self.html(lead))</p>") }
        for block in blocks {
            switch block {
            case .heading(let level, let text, let id):
                out.append("<h\(level)\(id.map { " id=\"\(Self.html($0))\"" } ?? "")>\(Self.html(text))</h\(level)>")
            case .paragraph(let inline):
                out.append("<p>\(Self.html(inline, root: root))</p>")
            case .note(let inline):
                out.append("<p class=\"note\">\(Self.html(inline, root: root))</p>")
            case .list(let items):
                out.append("<ul>" + items.map { "<li>\(Self.html($0, root: root))</li>" }.joined() + "</ul>")
            case .table(let id, let caption, let columns, let rows, let totals):
                var table = "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"caption-\(Self.html(id))\" tabindex=\"0\">\n<table>\n"
                table += "<caption id=\"caption-\(Self.html(id))\">\(Self.html(caption))</caption>\n<thead><tr>"
                table += columns.map { "<th scope=\"col\"\($0.numeric ? " class=\"num\"" : "")>\(Self.html($0.heading))</th>" }.joined()
                table += "</tr></thead>\n<tbody>\n"
                for (index, row) in rows.enumerated() {
                    table += totals.contains(index) ? "<tr class=\"total\">" : "<tr>"
                    for (column, cell) in row.enumerated() {
                        let numeric = column < columns.count && columns[column].numeric
                        let tag = column == 0 ? "th scope=\"row\"" : "td"
                        table += "<\(tag)\(numeric ? " class=\"num\"" : "")>\(Self.html(cell, root: root))</\(column == 0 ? "th" : "td")>"
                    }
                    table += "</tr>\n"
                }
                table += "</tbody>\n</table>\n</div>"
                out.append(table)
            case .figure(let svg, let caption):
                out.append("<figure>\n\(svg)\n<figcaption>\(Self.html(caption))</figcaption>\n</figure>")
            case .definitions(let items):
                out.append("<dl class=\"about\">" + items.map { "<dt>\(Self.html($0.term))</dt><dd>\(Self.html($0.detail, root: root))</dd>" }.joined() + "</dl>")
            case .screenOnly(let inner):
                out.append("<div class=\"no-print\">\n" + htmlBlocks(inner, root: root) + "\n</div>")
            case .printOnly(let inner):
                out.append("<div class=\"print-only\">\n" + htmlBlocks(inner, root: root) + "\n</div>")
            }
        }
        return out.joined(separator: "\n")
    }

    // MARK: - Markdown

    static func markdown(_ text: String) -> String { MarkdownContentType().escapeText(text) }

    static func markdown(_ inline: [Inline], root: String) -> String {
        inline.map { piece in
            switch piece {
            case .text(let text): markdown(text)
            case .strong(let text): "**\(markdown(text))**"
            case .page(let text, let path, let anchor): "[\(markdown(text))](\(linkTarget(root + path + ".md" + (anchor.map { "#" + $0 } ?? ""))))"
            case .file(let text, let path): "[\(markdown(text))](\(linkTarget(root + path)))"
            }
        }.joined()
    }

    /// A link target the project built: only safe characters, percent-encoded otherwise.
    static func linkTarget(_ path: String) -> String {
        var result = ""
        for scalar in path.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)) || "-_./#".unicodeScalars.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 { result += String(format: "%%%02X", byte) }
            }
        }
        return result
    }

    func markdown(root: String) -> String {
        var out: [String] = ["# \(Self.markdown(title))", "> **Synthetic data**: not official statistics."]
        if !crumbs.isEmpty {
            out.append(crumbs.map { "[\(Self.markdown($0.text))](\(Self.linkTarget(root + $0.path + ".md")))" }.joined(separator: " / ") + " / \(Self.markdown(title))")
        }
        if let lead { out.append(Self.markdown(lead)) }
        out += Self.markdownBlocks(blocks, root: root)
        return out.joined(separator: "\n\n") + "\n"
    }

    static func markdownBlocks(_ blocks: [Block], root: String) -> [String] {
        var out: [String] = []
        for block in blocks {
            switch block {
            case .heading(let level, let text, _):
                out.append(String(repeating: "#", count: min(level, 6)) + " " + Self.markdown(text))
            case .paragraph(let inline):
                out.append(Self.markdown(inline, root: root))
            case .note(let inline):
                out.append("_" + Self.markdown(inline, root: root) + "_")
            case .list(let items):
                out.append(items.map { "- " + Self.markdown($0, root: root) }.joined(separator: "\n"))
            case .table(_, let caption, let columns, let rows, let totals):
                var lines = ["**\(Self.markdown(caption))**", ""]
                lines.append("| " + columns.map { Self.markdown($0.heading) }.joined(separator: " | ") + " |")
                lines.append("|" + columns.map { $0.numeric ? "--:|" : "---|" }.joined())
                for (index, row) in rows.enumerated() {
                    let cells = row.map { Self.markdown($0, root: root) }
                    lines.append("| " + (totals.contains(index) ? cells.map { $0.isEmpty ? "" : "**\($0)**" } : cells).joined(separator: " | ") + " |")
                }
                out.append(lines.joined(separator: "\n"))
            case .figure(_, let caption):
                out.append("_Chart: \(Self.markdown(caption)) The figures are in the table._")
            case .definitions(let items):
                out.append(items.map { "- **\(Self.markdown($0.term))**: \(Self.markdown($0.detail, root: root))" }.joined(separator: "\n"))
            case .screenOnly(let inner):
                out += markdownBlocks(inner, root: root)
            case .printOnly:
                break
            }
        }
        return out
    }
}
