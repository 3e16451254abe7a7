import Foundation
import GRDB

/// Takes personal details out of a child's comment before anyone can publish it: e-mail addresses,
/// phone numbers, postcodes, street addresses, schools, council areas and other places, and given
/// names, each replaced by a word in brackets (`[name]`, `[e-mail]`, ...). It errs towards removing
/// too much: a word that is also a listed name is removed wherever it stands capitalised.
///
/// The e-mail, phone and postcode patterns are also what the publication audit looks for in every
/// public file (``PublicationAudit``), so a detail the redactor missed stops the build.
public final class CommentRedactor: @unchecked Sendable {
    /// Patterns of contact details, in the order they are replaced.
    public static let contactPatterns: [(kind: String, regex: NSRegularExpression)] = [
        ("e-mail", try! NSRegularExpression(pattern: #"[A-Za-z0-9._%+'-]+\s?(?:@|\(at\)|\[at\])\s?[A-Za-z0-9-]+(?:\s?(?:\.|\(dot\)|\[dot\])\s?[A-Za-z0-9-]+)+"#)),
        // UK numbers: +44 or 0, then 9 or 10 more digits, with spaces, dots, dashes or brackets between groups.
        // Separators are spaces, dots and dashes on one line: numbers on separate lines are not a phone number.
        ("phone", try! NSRegularExpression(pattern: #"(?<![\w.])(?:\+ ?44 ?(?:\(0\) ?)?|\(?0)\d{2,4}\)?(?:[ .-]?\d){6,8}(?![\w])"#)),
        ("postcode", try! NSRegularExpression(pattern: #"(?<![\w])[A-Z]{1,2}[0-9][A-Z0-9]?\s?[0-9][A-Z]{2}(?![\w])"#, options: [.caseInsensitive])),
    ]

    static let streetWords = "Street|St|Road|Rd|Avenue|Ave|Lane|Drive|Dr|Crescent|Cres|Place|Pl|Terrace|Court|Ct|Way|Gardens|Grove|Close|Square|Wynd|Brae|Loan|Row|Walk|View|Park|Gate|Vennel|Path"
    static let address = try! NSRegularExpression(pattern: #"\b(?:[Ff]lat\s+\S+\s*,?\s*)?\d{1,4}[A-Za-z]?(?:/\d+)?,?\s+(?:[A-Z][\w']*\s+){1,3}(?:"# + streetWords + #")\b\.?"#)
    static let street = try! NSRegularExpression(pattern: #"\b(?:[A-Z][\w']*\s+){1,2}(?:"# + streetWords + #")\b\.?"#)
    static let school = try! NSRegularExpression(pattern: #"\b(?:St\.?\s+)?(?:[A-Z][\w'-]*\s+){1,3}(?:Primary|High|Academy|Grammar|Secondary|Nursery)(?:\s+School)?\b|\b(?:[A-Z][\w'-]*\s+){1,3}School\b"#)

    /// Given names, lower-cased.
    let names: Set<String>
    /// Multi-word and single-word places and schools, longest first, as patterns.
    let phrases: [(kind: String, regex: NSRegularExpression)]

    public init(names: [String], places: [String], schools: [String]) {
        self.names = Set(names.map { $0.lowercased() })
        var phrases: [(String, String)] = places.map { ("place", $0) } + schools.map { ("school", $0) }
        phrases.sort { $0.1.count > $1.1.count }
        self.phrases = phrases.compactMap { kind, phrase in
            let words = phrase.split(whereSeparator: \.isWhitespace).map { NSRegularExpression.escapedPattern(for: String($0)) }
            guard !words.isEmpty else { return nil }
            return try? (kind, NSRegularExpression(pattern: #"(?<![\w])"# + words.joined(separator: #"\s+"#) + #"(?![\w])"#, options: [.caseInsensitive]))
        }
    }

    /// Names, schools and places from `redaction_term`, and every council area name and alias from `geography`.
    public static func load(from db: Database) throws -> CommentRedactor {
        var names: [String] = [], places: [String] = [], schools: [String] = []
        for row in try Row.fetchAll(db, sql: "SELECT term, kind FROM redaction_term") {
            let term: String = row["term"]
            switch row["kind"] as String {
            case "name": names.append(term)
            case "school": schools.append(term)
            default: places.append(term)
            }
        }
        places += try String.fetchAll(db, sql: "SELECT name FROM geography WHERE geography_type = 'council_area'")
        places += try String.fetchAll(db, sql: "SELECT alias FROM geography_alias WHERE alias NOT GLOB 'S[0-9]*'")
        return CommentRedactor(names: names, places: places, schools: schools)
    }

    /// `redact_comment(text)`, for the derived table `survey_quote`.
    public var sqlFunction: DatabaseFunction {
        DatabaseFunction("redact_comment", argumentCount: 1, pure: true) { [self] values in
            guard let text = String.fromDatabaseValue(values[0]) else { return nil }
            return redact(text)
        }
    }

    public func redact(_ input: String) -> String {
        var text = input
        func replace(_ regex: NSRegularExpression, with kind: String) {
            let range = NSRange(text.startIndex..., in: text)
            text = regex.stringByReplacingMatches(in: text, range: range, withTemplate: "[\(kind)]")
        }
        for (kind, regex) in Self.contactPatterns { replace(regex, with: kind) }
        replace(Self.address, with: "address")
        replace(Self.school, with: "school")
        for (kind, regex) in phrases { replace(regex, with: kind) }
        replace(Self.street, with: "address")
        // Given names: any listed word that starts with a capital letter (and its possessive).
        var result = ""
        var word = ""
        func flush() {
            if let first = word.first, first.isUppercase, names.contains(word.lowercased()) {
                result += "[name]"
            } else {
                result += word
            }
            word = ""
        }
        for character in text {
            if character.isLetter || (character == "-" && !word.isEmpty) {
                word.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }

    /// What the audit looks for: the same e-mail and phone patterns, and postcodes written in capitals
    /// (as they are almost always written; in lower case, "p1 2em" would look like one).
    static let auditPatterns: [(kind: String, regex: NSRegularExpression)] = [
        contactPatterns[0], contactPatterns[1],
        ("postcode", try! NSRegularExpression(pattern: #"(?<![\w])[A-Z]{1,2}[0-9][A-Z0-9]?\s?[0-9][A-Z]{2}(?![\w])"#)),
    ]

    /// Contact details left in `text` (kind and the text found), for the publication audit.
    public static func contactDetails(in text: String) -> [(kind: String, found: String)] {
        var found: [(String, String)] = []
        let range = NSRange(text.startIndex..., in: text)
        for (kind, regex) in auditPatterns {
            for match in regex.matches(in: text, range: range) {
                if let r = Range(match.range, in: text) { found.append((kind, String(text[r]))) }
            }
        }
        return found
    }
}
