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
/// - addresses and schools are found in lower case too;
/// - it denies by default (``RedactionWords``): any other capitalised word is taken out as a name
///   unless it is on the reviewed allow list, or starts a sentence and is an everyday word in lower
///   case ("The", "Sometimes"; "Morag listens" loses "Morag"). A word in capitals throughout is kept
///   only when it is an everyday word ("I HATE it");
/// - children's homes and units ("Rowan House", "rowan lodge"), towns and other words after "live in",
///   "moved to", "from" and the like that are not everyday words ("live in leith"), runs of numbers
///   written in words ("oh seven seven double one..."), and an age beside a place ("I'm [age] and
///   live in [place]") are taken out too.
///
/// The publication audit checks every published quote again with its own, separate detector
/// (``PublicationAudit``), so a detail the redactor missed stops the build. Names written in lower
/// case that are everyday words cannot be found by any pattern: that is why a person approves each
/// quote's exact redacted text (`experiential/quote-review.csv`) before it can be published.
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
    /// Each e-mail pattern starts only where a run of address characters starts (the look-behind), so
    /// a long run of dotted words is scanned once from its start, not again from every letter in it:
    /// linear, where it was quadratic (a 12 MB one-sentence document took minutes).
    public static let contactPatterns: [(kind: String, regex: NSRegularExpression)] = [
        // Any local part (letters of any script), then @ or (at) or [at], with or without spaces, then a
        // host with or without dots (@localhost counts).
        ("e-mail", try! NSRegularExpression(pattern: #"(?<![\p{L}\p{N}._%+'-])[\p{L}\p{N}._%+'-]+\s*(?:@|[(\[{]\s*at\s*[)\]}])\s*[\p{L}\p{N}-]+(?:\s*(?:\.|[(\[{]\s*dot\s*[)\]}])\s*[\p{L}\p{N}-]+)*"#, options: [.caseInsensitive])),
        // Spelled out: "jo at example dot com" (a "dot" is required, so "met at school" stays).
        ("e-mail", try! NSRegularExpression(pattern: #"(?<![\p{L}\p{N}._%+'-])(?:[\p{L}\p{N}_%+'-]+\s*(?:\.|\s+dot\s+)\s*)*+[\p{L}\p{N}._%+'-]++\s+at\s+[\p{L}\p{N}-]+(?:\s*(?:\.|\s+dot\s+)\s*[\p{L}\p{N}-]+)+"#, options: [.caseInsensitive])),
        // A mail provider's domain with no @ at all ("kiddo99.gmail.com").
        ("e-mail", try! NSRegularExpression(pattern: #"(?<![\p{L}\p{N}._%+'-])(?:[\p{L}\p{N}_%+'-]+\s*(?:\.|\s+dot\s+|\s+at\s+)\s*)+(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|btinternet|protonmail)(?:\s*(?:\.|\s+dot\s+)\s*[a-z]{2,3})+"#, options: [.caseInsensitive])),
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
                                             "and", "or", "so", "to", "too", "all", "home", "everyone", "everybody", "that", "this", "is", "was", "said", "says",
                                             // Prepositions, conjunctions, pronouns and common verbs: "call my gran on ..." is not a name.
                                             "on", "in", "at", "for", "with", "from", "about", "of", "by", "as", "into", "over", "up", "down", "out", "off",
                                             "when", "who", "because", "if", "but", "again", "she", "he", "they", "we", "i", "are", "were", "has", "had",
                                             "have", "does", "did", "will", "would", "can", "could", "should", "told", "gave", "got", "makes", "made", "lives",
                                             "came", "comes", "not", "never", "always", "sometimes", "now", "then", "there", "here", "which", "what", "how",
                                             "why", "where", "still", "just", "really", "very", "be", "been", "being"]

    static let titles: Set<String> = ["mr", "mrs", "ms", "miss", "mx", "dr", "auntie", "aunty", "aunt", "uncle", "nana", "nan", "gran", "granny", "grandad", "papa", "sir"]
    /// Listed names that are also everyday words: removed only when capitalised.
    static let everydayWords: Set<String> = ["amber", "grace", "holly", "rose", "ruby", "summer", "jack", "jay", "lily", "will", "mark", "hope", "faith", "may", "grant", "bill"]

    /// Given names, lower-cased.
    let names: Set<String>
    /// Multi-word and single-word places and schools, longest first, as patterns, each with its
    /// first word: a text that does not hold that word (in any case) cannot match, so its pattern is
    /// not run (about 80 patterns, of which a comment needs one or two).
    let phrases: [(kind: String, firstWord: String, regex: NSRegularExpression)]
    /// Everyday words and the allow list: what may stay capitalised.
    let words: RedactionWords

    public init(names: [String], places: [String], schools: [String], words: RedactionWords) {
        self.words = words
        self.names = Set(names.map { $0.lowercased() })
        var phrases: [(String, String)] = places.map { ("place", $0) } + schools.map { ("school", $0) }
        phrases.sort { $0.1.count > $1.1.count }
        self.phrases = phrases.compactMap { kind, phrase in
            let parts = phrase.split(whereSeparator: \.isWhitespace)
            guard let firstWord = parts.first.map(String.init) else { return nil }
            let words = parts.map { NSRegularExpression.escapedPattern(for: String($0)) }
            return try? (kind, firstWord, NSRegularExpression(pattern: #"(?<![\w])"# + words.joined(separator: #"\s+"#) + #"(?![\w])"#, options: [.caseInsensitive]))
        }
    }

    /// Names, schools and places from `redaction_term`, every council area name and alias from
    /// `geography`, the allow list from `redaction_allow` and the everyday words of the word list (an
    /// error naming its path when it is missing).
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
        return CommentRedactor(names: names, places: places, schools: schools, words: try RedactionWords.load(from: db))
    }

    /// SHA-256 of a text's UTF-8 bytes, in lower-case hex: how a reviewer's approval names the exact
    /// redacted text it approves.
    public static func sha256(_ text: String) -> String {
        InputFingerprint.hex(SHA256.hash(data: Data(text.utf8)))
    }

    /// `sha256_hex(text)`, for the derived table `survey_quote`.
    public static let sha256Function = DatabaseFunction("sha256_hex", argumentCount: 1, pure: true) { values in
        String.fromDatabaseValue(values[0]).map(sha256)
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
        text = Self.numbersInWords(text)
        text = Self.numbersAfterLabels(text)
        text = Self.namesStartingSentences(text)
        replace(Self.address, with: "address")
        replace(Self.school, with: "school")
        for (kind, firstWord, regex) in phrases where text.range(of: firstWord, options: [.caseInsensitive, .diacriticInsensitive]) != nil {
            replace(regex, with: kind)
        }
        replace(Self.street, with: "address")
        replace(Self.unit, with: "place")
        text = placesAfterLocationWords(text)
        // Names: a listed word in any case (everyday words only capitalised), and its possessive; a
        // capitalised word straight after a name or a title (a surname); and, denying by default, any
        // other capitalised word that is neither allowed nor an everyday word starting a sentence.
        var result = ""
        var word = ""
        var previous: (word: String, wasName: Bool)? = nil
        var gap = ""   // what lies between the previous word and this one
        var sentenceStart = true
        var wordStartsSentence = true
        func flush() {
            guard !word.isEmpty else { return }
            let lower = word.lowercased()
            let capitalised = word.first!.isUppercase
            let listed = names.contains(lower) && (capitalised || !Self.everydayWords.contains(lower))
            let adjacent = { (p: (word: String, wasName: Bool)) in gap == " " || (Self.isTitle(p.word) && gap == ". ") }
            let follows = previous.map { ($0.wasName || Self.isTitle($0.word)) && adjacent($0) } ?? false
            let afterTitle = previous.map { Self.isTitle($0.word) && adjacent($0) } ?? false
            // After a title a name may be written in lower case ("my gran mary"), but not a pronoun or
            // other small word ("Miss you all").
            let surname = (capitalised || afterTitle && !Self.functionWords.contains(lower)) && follows && !Self.notSurnames.contains(lower)
            let isName = listed || surname || denied(word, startsSentence: wordStartsSentence)
            result += isName ? "[name]" : word
            previous = (word, isName)
            word = ""
            gap = ""
        }
        // An apostrophe ends a word, so "Chloe's" is [name]'s.
        for character in text {
            if character.isLetter || (character == "-" && !word.isEmpty) {
                if word.isEmpty { wordStartsSentence = sentenceStart }
                word.append(character)
                sentenceStart = false
            } else {
                flush()
                result.append(character)
                gap.append(character)
                if ".!?\n\u{2026}".contains(character) {
                    sentenceStart = true
                } else if character.isNumber || ",;:]".contains(character) {
                    sentenceStart = false
                }
            }
        }
        flush()
        return agesBesidePlaces(result)
    }

    /// Deny by default: a capitalised word that is not allowed is a name, unless it starts a sentence
    /// and is an everyday word ("The", "Sometimes"). A word in capitals throughout ("HATE") is a name
    /// only when it is not an everyday word ("JAMIE").
    func denied(_ word: String, startsSentence: Bool) -> Bool {
        guard word.first!.isUppercase, !words.isAllowed(word) else { return false }
        let allCapitals = word.count > 1 && word == word.uppercased()
        if allCapitals || startsSentence { return !words.isCommon(word) }
        return true
    }

    /// Children's homes and units by name: capitalised ("Rowan House", "Oak Lodge"), or in lower case
    /// when a word other than "my", "the", "secure" and the like comes before "unit", "lodge" or "hostel".
    static let unit = try! NSRegularExpression(pattern: #"\b(?:[A-Z][\p{L}'-]*\s+){1,3}(?:House|Lodge|Unit|Cottages?|Centre|Center|Hostel|Project|Farm|Children's\s+Home|Home)\b|(?i:\b(?!(?:my|the|a|an|our|this|that|his|her|their|your|new|old|same|other|residential|childrens|children's|care|secure|foster|big|small|local|last|first|next|different|whole|one|another|each|every|any|which|what|whose|in|at|to|from|of|on|and|or|but|a|assessment|close|support|family)\b)[\p{L}'-]+\s+(?:unit|lodge|hostel)\b)"#)

    /// Words after "live in", "moved to", "from" and the like.
    static let locationWords = try! NSRegularExpression(pattern: #"(?i)\b(?:(?:live|lives|living|lived|stay|stays|staying|stayed|move|moved|moving|grew\s+up|brought\s+up|born|placed)\s+(?:in|at|to|near|beside|into|out\s+of|back\s+to|over\s+to|down\s+to|up\s+to|round\s+in)|from|near)\s+([\p{L}'-]+(?:\s+[\p{L}'-]+){0,2})"#)
    /// One word after "in" or "at" ("at the brae in kirkcaldy"): a place when it is not an everyday word.
    static let locationWordsShort = try! NSRegularExpression(pattern: #"(?i)\b(?:in|at)\s+([\p{L}'-]+)"#)

    /// A town or place named after "live in", "moved to", "from" and the like: the words there, up to
    /// three, that are capitalised or not everyday words and not allowed ("live in leith", "came from
    /// Kirkcaldy"), become [place]. "live in a foster home" stays.
    func placesAfterLocationWords(_ input: String) -> String {
        var text = input
        let matches = (Self.locationWords.matches(in: input, range: NSRange(input.startIndex..., in: input))
            + Self.locationWordsShort.matches(in: input, range: NSRange(input.startIndex..., in: input)))
        // Later matches first; of two at one place, the longer (it covers the shorter).
        var seen: Set<Int> = []
        for match in matches.sorted(by: { ($0.range(at: 1).location, $0.range(at: 1).length) > ($1.range(at: 1).location, $1.range(at: 1).length) })
        where seen.insert(match.range(at: 1).location).inserted && !seen.contains(where: { $0 > match.range(at: 1).location && $0 < match.range(at: 1).location + match.range(at: 1).length }) {
            guard let range = Range(match.range(at: 1), in: text) else { continue }
            let candidate = text[range]
            var end = candidate.startIndex
            var index = candidate.startIndex
            while index < candidate.endIndex {
                let wordEnd = candidate[index...].firstIndex(where: \.isWhitespace) ?? candidate.endIndex
                let word = String(candidate[index..<wordEnd]).trimmingCharacters(in: CharacterSet(charactersIn: "'-"))
                guard !word.isEmpty, !words.isAllowed(word), word.first!.isUppercase || !words.isCommon(word) else { break }
                end = wordEnd
                index = candidate[wordEnd...].firstIndex(where: { !$0.isWhitespace }) ?? candidate.endIndex
            }
            if end > candidate.startIndex { text.replaceSubrange(candidate.startIndex..<end, with: "[place]") }
        }
        return text
    }

    static let numberWord = "(?:zero|oh|o|nought|nil|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|double|triple|treble)"
    /// Four or more numbers in a row, at least two of them written in words ("oh seven seven one two",
    /// "07 seven seven double one"): a phone number or an id spelled out.
    static let numberWordRun = try! NSRegularExpression(pattern: #"(?i)(?<![\p{L}\p{N}])(?:"# + numberWord + #"|\d+)(?:[\s,.\-/]+(?:"# + numberWord + #"|\d+)){3,}(?![\p{L}\p{N}])"#)
    static let numberWordOnly = try! NSRegularExpression(pattern: #"(?i)(?<![\p{L}])"# + numberWord + #"(?![\p{L}])"#)

    static func numbersInWords(_ input: String) -> String {
        var text = input
        for match in numberWordRun.matches(in: input, range: NSRange(input.startIndex..., in: input)).reversed() {
            guard numberWordOnly.numberOfMatches(in: input, range: match.range) >= 2, let range = Range(match.range, in: text) else { continue }
            text.replaceSubrange(range, with: "[number]")
        }
        return text
    }

    /// A number after a word that makes it an address or an id ("house number forty two", "room
    /// twenty", "year nine", "flat 3"): in words or digits, it goes ([number]). "I moved three times" stays.
    static let numberAfterLabel = try! NSRegularExpression(pattern: #"(?i)\b((?:house\s+)?number|no\.|room|flat|door|year|primary|p|bus|ward|block|floor|bed|bedroom)(\s+is)?\s+((?:"# + numberWord + #"|\d+)(?:[\s-]+(?:"# + numberWord + #"|\d+))*)(?![\p{L}\p{N}])"#)

    static func numbersAfterLabels(_ input: String) -> String {
        numberAfterLabel.stringByReplacingMatches(in: input, range: NSRange(input.startIndex..., in: input), withTemplate: "$1$2 [number]")
    }

    /// A given name that is also an everyday word, starting a sentence and followed by what follows a
    /// name ("Will is my best pal", "Hope and Jo visit me"): the everyday word would be kept there.
    static let nameStartingSentence = try! NSRegularExpression(pattern: #"(?m)(?<=^|[.!?]\s|[.!?]\s\s)(?:"# + everydayWords.sorted().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "|") + #")(?=\s+(?:(?:and|is|was|has|had|says|said|visits|visited|listens|helps|helped|comes|came|gets|got|takes|took|always|never|lives|likes|loves|calls|phones|texts)\b|\[name\]))"#)

    static func namesStartingSentences(_ input: String) -> String {
        nameStartingSentence.stringByReplacingMatches(in: input, range: NSRange(input.startIndex..., in: input), withTemplate: "[name]")
    }

    static let ageNumber = "(?:\\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)"
    static let age = try! NSRegularExpression(pattern: #"(?i)(?<=\b(?:i'm|im|i\s{1,3}am|aged|age|turned|turning|i'll\s{1,3}be|i\s{1,3}will\s{1,3}be|i\s{1,3}was)\s)"# + ageNumber + #"(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])"# + ageNumber + #"(?=\s*(?:years?|yrs?|yr)\s*old\b)"#)

    /// An age beside a place gives a child away in a small town: where a place, school, address or
    /// postcode was taken out, an age goes too ("I'm [age] and live in [place]").
    func agesBesidePlaces(_ text: String) -> String {
        guard ["[place]", "[school]", "[address]", "[postcode]"].contains(where: text.contains) else { return text }
        return Self.age.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "[age]")
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

    /// What an e-mail address needs besides an @: a spelled "dot", a bracketed "at" or a provider's name.
    static let addressHint = try! NSRegularExpression(pattern: #"dot|[(\[{]\s*at\s*[)\]}]|gmail|hotmail|outlook|yahoo|icloud|btinternet|googlemail|protonmail"#, options: [.caseInsensitive])

    /// Contact details left in `text` (kind and the text found), for the publication audit.
    public static func contactDetails(in text: String) -> [(kind: String, found: String)] {
        let text = normalised(text)
        var found: [(String, String)] = []
        let range = NSRange(text.startIndex..., in: text)
        // An e-mail pattern needs an @, a bracketed "at", a spelled "dot" or a provider's name: skip it
        // where none is present (the audit reads every public file, most of them long and free of all).
        let mayHaveAddress = text.utf8.contains(0x40) || addressHint.firstMatch(in: text, range: range) != nil
        // A phone number has at least 10 digits and a postcode 2: in ASCII text with fewer, skip them
        // (digits of other scripts are left to the patterns).
        var digits = 0
        for byte in text.utf8 {
            if byte >= 0x30 && byte <= 0x39 { digits += 1 } else if byte >= 0x80 { digits = .max; break }
        }
        for (kind, regex) in auditPatterns {
            if kind == "e-mail" && !mayHaveAddress { continue }
            if kind == "phone" && digits < 10 { continue }
            if kind == "postcode" && digits < 2 { continue }
            for match in regex.matches(in: text, range: range) {
                if let r = Range(match.range, in: text) { found.append((kind, String(text[r]))) }
            }
        }
        return found
    }
}
