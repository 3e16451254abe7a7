import Foundation

/// What no public file may hold about a person: contact details (e-mail addresses, phone numbers,
/// postcodes) and paths on the build machine in any text, and, in a published quote, anything that
/// could name or locate the child who said it.
public enum PersonalDetailsCheck {
    /// E-mail addresses, phone numbers and postcodes in `text`: none may be published (children's comments are redacted before).
    static func contactFindings(_ text: String, name: String, place: String) -> [PublicationAudit.Finding] {
        CommentRedactor.contactDetails(in: text).map {
            PublicationAudit.Finding(file: name, place: place, problem: "contains what looks like a\($0.kind == "e-mail" ? "n" : "") \($0.kind)\($0.kind == "e-mail" ? " address" : $0.kind == "phone" ? " number" : "") (shaped '\(Bounded.shape($0.found))'; the value itself is not repeated here)")
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
}
