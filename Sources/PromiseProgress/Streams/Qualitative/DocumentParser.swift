import Foundation
import Yams

/// Reads one qualitative document (Markdown or plain text exported from a web page, optionally with
/// YAML front matter) into sections and statements. Every statement keeps the character offsets of
/// its text in the original file (Unicode scalars, as SQLite's `substr` counts them), so it traces
/// back to its source. Page furniture ("Back to top", "Skip to content", "Translate »") is dropped,
/// page references such as `p.52**` are taken out of the text, and e-mail addresses and phone
/// numbers are replaced by `[e-mail]` and `[phone]` before anything is stored.
public struct DocumentParser: Sendable {
    public struct FrontMatter: Sendable, Equatable {
        public var title: String?
        public var published: String?
        public var publisher: String?
        public var documentType: String?
        public var url: String?
        public var foundations: [String] = []
        public var laCode: String?
        /// Keys that were not understood, and values that were not valid, in words.
        public var problems: [String] = []
    }

    public struct Section: Sendable, Equatable {
        public var number: Int
        public var heading: String
        public var start: Int
        public var end: Int
    }

    public enum Kind: String, Sendable, CaseIterable {
        case commitment, progress, quote, context
    }

    public struct Statement: Sendable, Equatable {
        public var section: Int
        public var number: Int
        public var text: String
        public var kind: Kind
        public var isBullet: Bool
        /// Offsets of the statement in the original file, in Unicode scalars: start inclusive, end exclusive.
        public var start: Int
        public var end: Int
    }

    public struct Document: Sendable {
        public var frontMatter: FrontMatter
        public var hasFrontMatter: Bool
        /// The title from front matter, else the first line of the body.
        public var title: String
        public var titleSource: String
        public var sections: [Section]
        public var statements: [Statement]
        /// Lines dropped as page furniture.
        public var furnitureLines: Int
    }

    public init() {}

    // MARK: - Patterns

    static let furniture: [NSRegularExpression] = [
        #"^\s*(back to top|skip to (main )?content|translate\s*»?|print( this page)?|share( this page)?|cookies?( settings)?|accept (all )?cookies|menu|search|close|home|previous|next)\s*[»›>]?\s*$"#,
        #"^\s*#\w+\s*$"#,   // a hashtag on its own line, e.g. #KeepThePromise
    ].map { try! NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }

    /// Page references left by exported briefings: `p.52**`, `(pp. 10-12)`, `p52`.
    static let pageReference = try! NSRegularExpression(pattern: #"\s*\(?\bpp?\.\s?\d+(?:\s?[-–]\s?\d+)?\)?\**"#, options: [])
    static let bullet = try! NSRegularExpression(pattern: #"^\s*(?:[•·▪◦‣*]|[-–](?=\s)|\d{1,2}[.)](?=\s))\s*"#)

    /// Future action: a subject, then will, shall, plan to, intend to, aim to, are committed to...
    static let commitment = try! NSRegularExpression(pattern: #"""
        \b(?:we|i|it|they|this|these|the\s+[\w&'’\s-]{2,60}?|scottish\s+government|cosla|ministers?)\s+(?:will|shall|plans?\s+to|intends?\s+to|aims?\s+to|are\s+going\s+to|(?:are|is|remain)\s+committed\s+to|commits?\s+to|propose\s+to|undertake\s+to)\b(?!\s+be\s+(?:obtained|given|heard|able))|\b(?:will|shall)\s+be\s+(?:published|held|introduced|developed|launched|set\s+up|established|delivered|brought|laid|made|created|appointed|completed)\b|\bwe\s+are\s+committed\b
        """#, options: [.caseInsensitive, .allowCommentsAndWhitespace])
    /// Done or under way: have launched, has been published, we are working with, we continue to...
    static let progress = try! NSRegularExpression(pattern: #"""
        \b(?:have|has)\s+(?:now\s+|already\s+|also\s+|recently\s+)?(?:been\s+)?(?:launched|published|developed|introduced|established|delivered|completed|convened|commissioned|refreshed|set\s+up|begun|started|agreed|produced|created|appointed|made|held|met|funded|invested|trained|opened|expanded|implemented|rolled\s+out|awarded|issued|approved|passed|reviewed|updated|achieved|secured|allocated|provided|supported|worked)\b
        |\b(?:we|they|it|this|the\s+[\w&'’\s-]{2,60}?)\s+(?:are|is)\s+(?:now\s+|currently\s+|already\s+)?(?:working|refreshing|developing|delivering|progressing|continuing|supporting|taking\s+forward|testing|piloting|rolling\s+out|leading|funding|building|reviewing|implementing|being\s+(?:co-designed|developed|delivered|implemented|tested|piloted|rolled\s+out|considered))\b
        |\bwe\s+(?:continue|continued)\s+to\b|\b(?:was|were)\s+(?:published|launched|introduced|refreshed|established|set\s+up|held|completed|delivered|convened|appointed|passed|agreed)\b
        |\bwe\s+(?:published|launched|convened|introduced|delivered|completed|established|held|funded|commissioned|appointed|agreed)\b
        """#, options: [.caseInsensitive, .allowCommentsAndWhitespace])
    /// A list introduced as actions to come: its items are commitments even when written as nouns.
    static let actionList = try! NSRegularExpression(pattern: #"\b(?:will\s+include|key\s+actions?|next\s+steps|actions?\s+(?:we|to)|commitments?|priorities|we\s+will)\b"#, options: [.caseInsensitive])
    static let quoteMarks: Set<Character> = ["\"", "“", "”", "'", "‘", "’"]
    /// Abbreviations a full stop does not end a sentence after.
    static let abbreviations: Set<String> = ["e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "st", "no", "vs", "cf", "p", "pp", "fig", "approx", "inc", "ltd", "co"]

    /// The longest statement, in characters. A longer sentence (a run-on, a document with no full
    /// stops) is cut at the last space before it, so parsing stays linear however long a document's
    /// lines are: patterns and cleaning never run over more than this at once.
    static let maximumStatementLength = 2_000

    // MARK: - Parsing

    public func parse(_ raw: String) -> Document {
        // Work on Unicode scalars so offsets are what SQLite's substr counts.
        let scalars = Array(raw.unicodeScalars)
        var bodyStart = 0
        var front = FrontMatter()
        var hasFront = false
        let lines = Self.lines(scalars)
        if let first = lines.first, Self.text(scalars, first) == "---",
           let close = lines.dropFirst().firstIndex(where: { Self.text(scalars, $0) == "---" || Self.text(scalars, $0) == "..." }) {
            hasFront = true
            let yaml = lines[1..<close].map { Self.text(scalars, $0) }.joined(separator: "\n")
            front = Self.frontMatter(yaml)
            bodyStart = close + 1
        } else if let first = lines.first, Self.text(scalars, first) == "---" {
            front.problems.append("the front matter opened with '---' on line 1 is never closed by a line '---'; the document was read as having none, its lines as text")
        }

        var sections: [Section] = []
        var statements: [Statement] = []
        var furnitureLines = 0
        var title: String?
        var sectionNumber = 0
        var sectionHeading = ""
        var sectionStart = bodyStart < lines.count ? lines[bodyStart].start : scalars.count
        var paragraph: [(start: Int, end: Int)] = []
        var previousParagraphText = ""
        var inActionList = false

        func closeSection(at end: Int) {
            if sectionNumber > 0 || !statements.isEmpty {
                sections.append(Section(number: sectionNumber, heading: sectionHeading, start: sectionStart, end: end))
            }
        }
        func add(_ text: String, start: Int, end: Int, bullet: Bool) {
            let cleaned = Self.clean(text)
            guard cleaned.contains(where: { $0.isLetter }) else { return }
            var kind = Self.classify(cleaned)
            if bullet, kind == .context, inActionList { kind = .commitment }
            statements.append(Statement(section: sectionNumber, number: statements.count + 1, text: cleaned, kind: kind, isBullet: bullet, start: start, end: end))
        }
        func flushParagraph() {
            guard let first = paragraph.first, let last = paragraph.last else { return }
            let text = Self.text(scalars, (first.start, last.end))
            let short = last.end - first.start <= Self.maximumStatementLength
            if short, Self.classify(Self.clean(text)) == .quote {
                // A whole paragraph in quotation marks is one quote, however many sentences it has.
                add(text, start: first.start, end: last.end, bullet: false)
            } else {
                for sentence in Self.sentences(scalars, from: first.start, to: last.end) {
                    add(Self.text(scalars, sentence), start: sentence.start, end: sentence.end, bullet: false)
                }
            }
            previousParagraphText = text
            inActionList = short && text.hasSuffix(":") && (Self.matches(Self.actionList, text) || Self.matches(Self.commitment, text))
            paragraph = []
        }

        var index = bodyStart
        while index < lines.count {
            let line = lines[index]
            let text = Self.text(scalars, line).trimmingCharacters(in: .whitespaces)
            defer { index += 1 }
            if text.isEmpty {
                flushParagraph()
                continue
            }
            if line.end - line.start > Self.maximumStatementLength {
                // A line longer than any statement is text: no heading, bullet, quote or furniture
                // tests run over it, and its first words stand as the title if it is the first line.
                if title == nil { title = Self.shortened(Self.clean(String(text.prefix(200)))) }
                paragraph.append((line.start, Self.trimmedEnd(scalars, line)))
                continue
            }
            if Self.furniture.contains(where: { Self.matches($0, text) }) {
                flushParagraph()
                furnitureLines += 1
                continue
            }
            if title == nil {
                // The first line of the body: the title when front matter gives none. A long first line
                // is a paragraph, not a title: its first words stand as the title, and it is read as text.
                let first = Self.clean(text.trimmingCharacters(in: CharacterSet(charactersIn: "# ")).trimmingCharacters(in: .whitespaces))
                // A line without letters (a rule such as '---' or '***') is no title.
                guard first.contains(where: { $0.isLetter }) else { continue }
                let isTitleLine = first.count <= 120 && !(first.last.map { ".!?".contains($0) } ?? false)
                title = isTitleLine ? first : Self.shortened(first)
                // A first line that repeats the front matter's title is the title, not text.
                let repeatsTitle = front.title.map { ReferenceData.normaliseName($0) == ReferenceData.normaliseName(first) || ReferenceData.normaliseName($0).hasPrefix(ReferenceData.normaliseName(first)) } ?? false
                if repeatsTitle { continue }
                if front.title == nil, isTitleLine {
                    closeSection(at: line.start)
                    sectionNumber += 1
                    sectionHeading = title!
                    sectionStart = line.start
                    continue
                }
            }
            let markdownHeading = text.hasPrefix("#")
            let nextBlank = index + 1 >= lines.count || Self.text(scalars, lines[index + 1]).trimmingCharacters(in: .whitespaces).isEmpty
            let previousBlank = index == bodyStart || Self.text(scalars, lines[index - 1]).trimmingCharacters(in: .whitespaces).isEmpty
            // A plain-text heading: a short line starting a block, without closing punctuation, either on
            // its own or directly above its text ("What has changed" then the paragraph).
            let plainHeading = paragraph.isEmpty && previousBlank && !Self.matches(Self.bullet, text) && !text.contains("@") && !text.contains(":")
                && !(text.last.map { ".:;,!?\"”".contains($0) } ?? false) && (text.first?.isUppercase ?? false)
                && (nextBlank ? text.count <= 80 : text.count <= 60 && text.split(separator: " ").count <= 8)
            let looksLikeHeading = markdownHeading || plainHeading
            if looksLikeHeading {
                flushParagraph()
                closeSection(at: line.start)
                sectionNumber += 1
                sectionHeading = Self.clean(text.trimmingCharacters(in: CharacterSet(charactersIn: "#")).trimmingCharacters(in: .whitespaces))
                sectionStart = line.start
                inActionList = false
                continue
            }
            if let match = Self.bullet.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), match.range.location == 0 {
                // A bullet is one statement; its text starts after the marker.
                if !paragraph.isEmpty { flushParagraph() }
                let marker = Self.leadingMarkerLength(scalars, line)
                add(Self.text(scalars, (line.start + marker, line.end)), start: line.start + marker, end: Self.trimmedEnd(scalars, line), bullet: true)
                continue
            }
            if text.hasPrefix(">") {
                flushParagraph()
                let marker = Self.leadingLength(scalars, line) { $0 == ">" || $0 == " " || $0 == "\t" }
                let quote = Self.clean(Self.text(scalars, (line.start + marker, line.end)))
                if quote.contains(where: \.isLetter) {
                    statements.append(Statement(section: sectionNumber, number: statements.count + 1, text: quote, kind: .quote, isBullet: false,
                                                start: line.start + marker, end: Self.trimmedEnd(scalars, line)))
                }
                continue
            }
            paragraph.append((line.start, Self.trimmedEnd(scalars, line)))
        }
        flushParagraph()
        closeSection(at: scalars.count)
        _ = previousParagraphText
        let resolvedTitle = front.title ?? title ?? "Untitled"
        return Document(frontMatter: front, hasFrontMatter: hasFront, title: resolvedTitle,
                        titleSource: front.title != nil ? "front_matter" : title != nil ? "first_line" : "none",
                        sections: sections, statements: statements, furnitureLines: furnitureLines)
    }

    /// A long first line's first sentence, cut at a word to at most 100 characters.
    static func shortened(_ text: String) -> String {
        let sentence = text.split(separator: ".", maxSplits: 1).first.map(String.init) ?? text
        guard sentence.count > 100 else { return sentence }
        var result = ""
        for word in sentence.split(separator: " ") {
            if result.count + word.count + 1 > 99 { break }
            result += (result.isEmpty ? "" : " ") + word
        }
        return result + "…"
    }

    // MARK: - Classification

    /// Quote, commitment, progress or context, by the patterns above; where a sentence has both a
    /// commitment and a progress phrase, the earlier one decides.
    public static func classify(_ text: String) -> Kind {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let first = trimmed.first, let last = trimmed.last, quoteMarks.contains(first), quoteMarks.contains(last) || (trimmed.dropLast().last.map(quoteMarks.contains) ?? false), trimmed.count > 20 {
            return .quote
        }
        let range = NSRange(trimmed.startIndex..., in: trimmed)
        let future = commitment.firstMatch(in: trimmed, range: range)?.range.location
        let done = progress.firstMatch(in: trimmed, range: range)?.range.location
        switch (future, done) {
        case (let f?, let d?): return f <= d ? .commitment : .progress
        case (_?, nil): return .commitment
        case (nil, _?): return .progress
        default: return .context
        }
    }

    /// E-mail addresses and phone numbers replaced by `[e-mail]` and `[phone]`; nothing else changed.
    public static func scrubContacts(_ text: String) -> String {
        var result = text
        for (kind, regex) in CommentRedactor.contactPatterns where kind != "postcode" {
            result = regex.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result), withTemplate: "[\(kind)]")
        }
        return result
    }

    /// Page references out, contact details replaced, bold markers and spacing tidied.
    static func clean(_ text: String) -> String {
        var result = pageReference.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "")
        result = scrubContacts(result).replacingOccurrences(of: "**", with: "")
        return result.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    static func frontMatter(_ yaml: String) -> FrontMatter {
        var front = FrontMatter()
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            front.problems.append("the front matter is not valid YAML (\(Bounded.quote("\(error)"))); it was ignored")
            return front
        }
        guard let mapping = node?.mapping else {
            if node != nil { front.problems.append("the front matter is not a mapping of keys; it was ignored") }
            return front
        }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let text = value.string?.trimmingCharacters(in: .whitespaces)
            switch key {
            case "title": front.title = text
            case "published":
                if let text, CivilDate(iso: text) != nil { front.published = text } else { front.problems.append("published: expected a date YYYY-MM-DD, found '\(Bounded.quote(text ?? ""))'") }
            case "publisher": front.publisher = text
            case "document_type": front.documentType = text
            case "url":
                if let text, text.hasPrefix("https://") || text.hasPrefix("http://") { front.url = text } else { front.problems.append("url: expected an http or https address, found '\(Bounded.quote(text ?? ""))'") }
            case "foundations":
                let items = value.sequence?.compactMap(\.string) ?? text.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
                front.foundations = items.map { $0.lowercased() }
            case "la_code": front.laCode = text
            default: front.problems.append("unknown key '\(Bounded.quote(key))' ignored; expected title, published, publisher, document_type, url, foundations, la_code")
            }
        }
        return front
    }

    // MARK: - Text helpers

    typealias Span = (start: Int, end: Int)

    /// Each line's span, without its line break.
    static func lines(_ scalars: [Unicode.Scalar]) -> [Span] {
        var result: [Span] = []
        var start = 0
        var index = 0
        // A byte-order mark at the start is not part of the text.
        if scalars.first == "\u{FEFF}" { start = 1; index = 1 }
        while index < scalars.count {
            if scalars[index] == "\n" {
                var end = index
                if end > start, scalars[end - 1] == "\r" { end -= 1 }
                result.append((start, end))
                start = index + 1
            }
            index += 1
        }
        if start < scalars.count { result.append((start, scalars.count)) }
        return result
    }

    static func text(_ scalars: [Unicode.Scalar], _ span: Span) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[span.start..<max(span.start, span.end)])
        return String(view)
    }

    static func trimmedEnd(_ scalars: [Unicode.Scalar], _ span: Span) -> Int {
        var end = span.end
        while end > span.start, scalars[end - 1].properties.isWhitespace { end -= 1 }
        return end
    }

    static func leadingLength(_ scalars: [Unicode.Scalar], _ span: Span, _ skip: (Unicode.Scalar) -> Bool) -> Int {
        var n = 0
        while span.start + n < span.end, skip(scalars[span.start + n]) { n += 1 }
        return n
    }

    /// Length of a bullet marker and the space around it.
    static func leadingMarkerLength(_ scalars: [Unicode.Scalar], _ span: Span) -> Int {
        var n = leadingLength(scalars, span) { $0.properties.isWhitespace }
        if span.start + n < span.end, scalars[span.start + n].properties.numericType != nil {
            while span.start + n < span.end, scalars[span.start + n].properties.numericType != nil { n += 1 }
        }
        n += 1   // the marker itself, or the . or ) after a number
        while span.start + n < span.end, scalars[span.start + n].properties.isWhitespace { n += 1 }
        return n
    }

    static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Sentences of the span: a full stop, question or exclamation mark followed by space and a capital
    /// letter, digit or quote ends one, unless it closes a known abbreviation or an initial.
    static func sentences(_ scalars: [Unicode.Scalar], from start: Int, to end: Int) -> [Span] {
        var result: [Span] = []
        var sentenceStart = start
        var index = start
        func skipSpace(_ i: Int) -> Int {
            var i = i
            while i < end, scalars[i].properties.isWhitespace { i += 1 }
            return i
        }
        sentenceStart = skipSpace(sentenceStart)
        while index < end {
            let c = scalars[index]
            if c == "." || c == "!" || c == "?" {
                var close = index + 1
                while close < end, "\"”’')".unicodeScalars.contains(scalars[close]) { close += 1 }
                let next = skipSpace(close)
                let hasSpace = next > close
                let nextIsStart = next < end && (scalars[next].properties.isUppercase || scalars[next].properties.numericType != nil || "\"“‘(•".unicodeScalars.contains(scalars[next]))
                // The word before the stop, looked at only as far as the longest abbreviation: the
                // splitter stays linear however long a run of letters and dots is.
                var word = ""
                var w = index - 1
                while w >= sentenceStart, w >= index - 8, scalars[w].properties.isAlphabetic || scalars[w] == "." { w -= 1 }
                let wordIsLonger = w >= sentenceStart && w == index - 9 && (scalars[w].properties.isAlphabetic || scalars[w] == ".")
                if !wordIsLonger { word = Self.text(scalars, (w + 1, index)) }
                let isAbbreviation = c == "." && (abbreviations.contains(word.lowercased()) || (word.count == 1 && word.first?.isUppercase == true))
                if hasSpace, nextIsStart, !isAbbreviation {
                    result.append((sentenceStart, close))
                    sentenceStart = next
                    index = next
                    continue
                }
            }
            index += 1
        }
        if sentenceStart < end {
            var last = end
            while last > sentenceStart, scalars[last - 1].properties.isWhitespace { last -= 1 }
            if last > sentenceStart { result.append((sentenceStart, last)) }
        }
        return result.flatMap { bounded($0, scalars) }
    }

    /// A span cut into pieces of at most ``maximumStatementLength``, each ending at the last white
    /// space before the limit (or at the limit, in text without spaces).
    static func bounded(_ span: Span, _ scalars: [Unicode.Scalar]) -> [Span] {
        var pieces: [Span] = []
        var start = span.start
        while span.end - start > maximumStatementLength {
            var cut = start + maximumStatementLength
            while cut > start + maximumStatementLength / 2, !scalars[cut].properties.isWhitespace { cut -= 1 }
            if !scalars[cut].properties.isWhitespace { cut = start + maximumStatementLength }
            pieces.append((start, cut))
            start = cut
            while start < span.end, scalars[start].properties.isWhitespace { start += 1 }
        }
        if start < span.end { pieces.append((start, span.end)) }
        return pieces
    }
}
