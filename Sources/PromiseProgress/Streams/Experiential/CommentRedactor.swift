import Foundation
import GRDB

/// Takes personal details out of a child's comment before anyone can publish it: e-mail addresses and
/// handles, phone numbers and other long numbers (a Scottish Candidate Number, say), postcodes, street
/// addresses, schools, council areas and other places, and names, each replaced by a word in brackets
/// (`[name]`, `[e-mail]`, ...). It errs towards removing too much:
/// - text is normalised first (``normalised(_:)``), so full-width digits, zero-width characters,
///   non-breaking spaces and odd dashes cannot hide a detail from the patterns;
/// - a listed name is removed in any case (but for names that are also common words, such as Grace or
///   Rose, which are removed only when capitalised), and so is a capitalised word after a removed name
///   or a title (a surname);
/// - addresses and schools are found in lower case too.
///
/// The publication audit checks every published quote again with its own, separate detector
/// (``PublicationAudit``), so a detail the redactor missed stops the build. Names not on the list and
/// written in lower case cannot be found by any pattern: quotes are published only with the child's
/// consent, and the README says they should be read by a person before each release.
public final class CommentRedactor: @unchecked Sendable {
    /// Text as the patterns see it: compatibility forms folded (NFKC: full-width digits and letters,
    /// ligatures), format characters removed (zero-width spaces and joiners, soft hyphens, byte-order
    /// marks), other control characters but tab and line feed removed, every space-like character a
    /// space, every dash a hyphen-minus, and CR LF or CR a line feed.
    public static func normalised(_ text: String) -> String {
        // Plain ASCII without carriage returns or other controls is already as the patterns see it.
        if text.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A || $0 == 0x09 }) { return text }
        let folded = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .precomposedStringWithCompatibilityMapping
        var scalars = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .format: continue
            case .control: if scalar == "\n" || scalar == "\t" { scalars.append(scalar) }
            case .spaceSeparator: scalars.append(" ")
            case .lineSeparator, .paragraphSeparator: scalars.append("\n")
            case .dashPunctuation: scalars.append("-")
            default:
                // Full stops that NFKC leaves alone: ideographic, halfwidth, one-dot leader, small.
                if ["\u{3002}", "\u{FF61}", "\u{2024}", "\u{FE52}"].contains(scalar) { scalars.append(".") } else { scalars.append(scalar) }
            }
        }
        return String(scalars)
    }

    /// Patterns of contact details, in the order they are replaced (on normalised text).
    public static let contactPatterns: [(kind: String, regex: NSRegularExpression)] = [
        // Any local part (letters of any script), then @ or (at) or [at], with or without spaces, then a
        // host with or without dots (@localhost counts).
        ("e-mail", try! NSRegularExpression(pattern: #"[\p{L}\p{N}._%+'-]+\s*(?:@|[(\[{]\s*at\s*[)\]}])\s*[\p{L}\p{N}-]+(?:\s*(?:\.|[(\[{]\s*dot\s*[)\]}])\s*[\p{L}\p{N}-]+)*"#, options: [.caseInsensitive])),
        // Spelled out: "jo at example dot com" (a "dot" is required, so "met at school" stays).
        ("e-mail", try! NSRegularExpression(pattern: #"(?:[\p{L}\p{N}_%+'-]+\s*(?:\.|\s+dot\s+)\s*)*[\p{L}\p{N}._%+'-]+\s+at\s+[\p{L}\p{N}-]+(?:\s*(?:\.|\s+dot\s+)\s*[\p{L}\p{N}-]+)+"#, options: [.caseInsensitive])),
        // A mail provider's domain with no @ at all ("kiddo99.gmail.com").
        ("e-mail", try! NSRegularExpression(pattern: #"(?:[\p{L}\p{N}_%+'-]+\s*(?:\.|\s+dot\s+|\s+at\s+)\s*)+(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|btinternet|protonmail)(?:\s*(?:\.|\s+dot\s+)\s*[a-z]{2,3})+"#, options: [.caseInsensitive])),
        // UK numbers: +44, 0044 or 0, then 9 or 10 more digits, with up to two spaces, dots, dashes,
        // slashes or brackets between any two digits.
        ("phone", try! NSRegularExpression(pattern: #"(?<![\p{L}\p{N}.])(?:(?:\+|00)\s*44\s*(?:\(\s*0\s*\)\s*)?|\(?\s*0)(?:[ .\-/()]{0,2}\d){9,10}(?![\p{L}\p{N}])"#)),
        ("postcode", try! NSRegularExpression(pattern: #"(?<![\p{L}\p{N}])[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}(?![\p{L}\p{N}])"#, options: [.caseInsensitive])),
        // Hyphenated ("EH1-1YZ") or spaced out letter by letter ("E H 6 4 Q R").
        ("postcode", try! NSRegularExpression(pattern: #"(?<![\p{L}\p{N}])(?:[A-Z]{1,2}[0-9][A-Z0-9]?\s*[-.]\s*[0-9][A-Z]{2}|[A-Z](?:\s[A-Z])?\s[0-9](?:\s[A-Z0-9])?\s[0-9]\s[A-Z]\s[A-Z])(?![\p{L}\p{N}])"#, options: [.caseInsensitive])),
    ]

    /// Comments only (documents are full of figures): a social-media handle, and any other run of 7 or
    /// more digits with separators between them (a candidate number, an account, a phone number
    /// written oddly).
    static let commentPatterns: [(kind: String, regex: NSRegularExpression)] = [
        ("handle", try! NSRegularExpression(pattern: #"(?<![\p{L}\p{N}])@[\p{L}\p{N}_.]{2,}|(?i:\b(?:snap(?:chat)?|insta(?:gram)?|ig|tiktok|twitter|facebook|fb|discord|whatsapp|kik)\b\s*(?:is|:|-)?\s*@?[\p{L}\p{N}_.]*[\p{N}_.][\p{L}\p{N}_.]*)"#)),
        ("number", try! NSRegularExpression(pattern: #"(?<![\p{N}])\+?\d(?:[ .\-/()]{0,2}\d){6,}(?![\p{N}])"#)),
    ]

    static let streetWords = "Street|St|Road|Rd|Avenue|Ave|Lane|Drive|Dr|Crescent|Cres|Place|Pl|Terrace|Court|Ct|Way|Gardens|Grove|Close|Square|Wynd|Brae|Loan|Row|Walk|View|Park|Gate|Vennel|Path|Hill|Links|Mews|Circus|Green|Bank|Neuk|Wynd|Rise|Parade|Quadrant|Mount|Heights|Yards|Glen|Den|Haugh"
    /// A house number and street, in any case.
    static let address = try! NSRegularExpression(pattern: #"\b(?:flat\s+\S+\s*,?\s*)?\d{1,4}[a-z]?(?:/\d+)?,?\s+(?:[\p{L}'-]+\s+){1,3}(?:"# + streetWords + #")\b\.?"#, options: [.caseInsensitive])
    /// A named street: capitalised, or in any case after "live on", "stay in" and the like.
    static let street = try! NSRegularExpression(pattern: #"\b(?:[A-Z][\w']*\s+){1,2}(?:"# + streetWords + #")\b\.?|(?i:(?<=\b(?:live|lives|living|lived|stay|stays|staying|stayed|moved|house|home|flat)\s(?:on|in|at|to)\s)(?:the\s+)?(?:[\p{L}'-]+\s+){1,2}(?:"# + streetWords + #")\b\.?)"#)
    /// A named school: capitalised, or in any case when a word other than "my", "the", "a" and the
    /// like comes before the kind of school.
    static let school = try! NSRegularExpression(pattern: #"\b(?:St\.?\s+)?(?:[A-Z][\w'-]*\s+){1,3}(?:Primary|High|Academy|Grammar|Secondary|Nursery)(?:\s+School)?\b|\b(?:[A-Z][\w'-]*\s+){1,3}School\b|(?i:\b(?:(?!(?:my|the|a|an|at|to|in|new|old|our|his|her|their|your|of|and|or|from|go|goes|went|going|at|big|local|this|that|same|other|different|primary|secondary|high|nursery)\b)[\p{L}'-]+\s+){1,2}(?:primary|high|academy|grammar|hs|acad|ps)(?:\s+school)?\b)|\bSt\.?\s+[A-Z][\w']+(?:'s)?(?!\s+(?:Street|Road))"#)
    /// Words that come before a surname or a name.
    /// A word used as a title before a name. "miss" in lower case is the verb ("I miss it"), not Miss.
    static func isTitle(_ word: String) -> Bool {
        let lower = word.lowercased()
        return titles.contains(lower) && (lower != "miss" || word.first?.isUppercase == true)
    }

    /// Small words that follow a title-like word without being a name.
    static let functionWords: Set<String> = ["it", "you", "me", "him", "her", "them", "us", "my", "your", "his", "their", "our", "the", "a", "an",
                                             "and", "or", "so", "to", "too", "all", "home", "everyone", "everybody", "that", "this", "is", "was", "said", "says"]

    static let titles: Set<String> = ["mr", "mrs", "ms", "miss", "mx", "dr", "auntie", "aunty", "aunt", "uncle", "nana", "nan", "gran", "granny", "grandad", "papa", "sir"]
    /// Listed names that are also everyday words: removed only when capitalised.
    static let everydayWords: Set<String> = ["amber", "grace", "holly", "rose", "ruby", "summer", "jack", "jay", "lily", "will", "mark", "hope", "faith", "may", "grant", "bill"]

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
        var text = Self.digitsWithLetterO(Self.normalised(input))
        func replace(_ regex: NSRegularExpression, with kind: String) {
            let range = NSRange(text.startIndex..., in: text)
            text = regex.stringByReplacingMatches(in: text, range: range, withTemplate: "[\(kind)]")
        }
        // A handle before e-mail addresses ("me @jo_b" is not an address with a space), long numbers after phones.
        for (kind, regex) in [Self.commentPatterns[0]] + Self.contactPatterns + [Self.commentPatterns[1]] { replace(regex, with: kind) }
        replace(Self.address, with: "address")
        replace(Self.school, with: "school")
        for (kind, regex) in phrases { replace(regex, with: kind) }
        replace(Self.street, with: "address")
        // Names: a listed word in any case (everyday words only capitalised), and its possessive; then a
        // capitalised word straight after a name or a title (a surname).
        var result = ""
        var word = ""
        var previous: (word: String, wasName: Bool)? = nil
        var gap = ""   // what lies between the previous word and this one
        func flush() {
            guard !word.isEmpty else { return }
            let lower = word.lowercased()
            let capitalised = word.first!.isUppercase
            let listed = names.contains(lower) && (capitalised || !Self.everydayWords.contains(lower))
            let follows = previous.map { ($0.wasName || Self.isTitle($0.word)) && gap == " " } ?? false
            let afterTitle = previous.map { Self.isTitle($0.word) && gap == " " } ?? false
            // After a title a name may be written in lower case ("my gran mary"), but not a pronoun or
            // other small word ("Miss you all").
            let isName = listed || ((capitalised || afterTitle && !Self.functionWords.contains(lower)) && follows && !Self.notSurnames.contains(lower))
            result += isName ? "[name]" : word
            previous = (word, isName)
            word = ""
            gap = ""
        }
        // An apostrophe ends a word, so "Chloe's" is [name]'s.
        for character in text {
            if character.isLetter || (character == "-" && !word.isEmpty) {
                word.append(character)
            } else {
                flush()
                result.append(character)
                gap.append(character)
            }
        }
        flush()
        return result
    }

    /// Runs of digits and separators that use the letter O for zero ("O131 496 O129") read as digits.
    static let digitRun = try! NSRegularExpression(pattern: #"(?<![\p{L}])[0-9Oo][0-9Oo .\-/()]{6,}[0-9Oo](?![\p{L}])"#)
    static func digitsWithLetterO(_ text: String) -> String {
        var result = text
        for match in digitRun.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            guard let range = Range(match.range, in: result) else { continue }
            let run = result[range]
            guard run.filter(\.isNumber).count >= 5, run.contains(where: { $0 == "O" || $0 == "o" }) else { continue }
            result.replaceSubrange(range, with: run.replacingOccurrences(of: "O", with: "0").replacingOccurrences(of: "o", with: "0"))
        }
        return result
    }

    /// Capitalised words that often follow a name and are not surnames ("Jamie And me", "Chloe I think").
    static let notSurnames: Set<String> = ["and", "i", "is", "was", "the", "my", "but", "or", "said", "says", "who", "from", "at", "in", "to", "came", "comes", "has", "had", "does", "did"]

    /// What the audit looks for in every public text: the same e-mail and phone patterns, and postcodes
    /// written in capitals (as they are almost always written; in lower case, "p1 2em" would look like
    /// one). Published quotes get a stricter, separate check (``PublicationAudit/personalDetails(in:names:)``).
    static let auditPatterns: [(kind: String, regex: NSRegularExpression)] =
        contactPatterns.filter { $0.kind != "postcode" } + [
            ("postcode", try! NSRegularExpression(pattern: #"(?<![\p{L}\p{N}])[A-Z]{1,2}[0-9][A-Z0-9]?\s*[-.]?\s*[0-9][A-Z]{2}(?![\p{L}\p{N}])"#)),
        ]

    /// Contact details left in `text` (kind and the text found), for the publication audit.
    public static func contactDetails(in text: String) -> [(kind: String, found: String)] {
        let text = normalised(text)
        var found: [(String, String)] = []
        let range = NSRange(text.startIndex..., in: text)
        // An e-mail pattern needs an @, a bracketed "at", a spelled "dot" or a provider's name: skip it
        // where none is present (the audit reads every public file, most of them long and free of all).
        let lower = text.lowercased()
        let mayHaveAddress = text.contains("@") || lower.contains("dot") || lower.range(of: #"[(\[{]\s*at\s*[)\]}]"#, options: .regularExpression) != nil
            || lower.range(of: #"gmail|hotmail|outlook|yahoo|icloud|btinternet|googlemail|protonmail"#, options: .regularExpression) != nil
        for (kind, regex) in auditPatterns {
            if kind == "e-mail" && !mayHaveAddress { continue }
            for match in regex.matches(in: text, range: range) {
                if let r = Range(match.range, in: text) { found.append((kind, String(text[r]))) }
            }
        }
        return found
    }
}
