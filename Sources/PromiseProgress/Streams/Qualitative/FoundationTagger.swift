import Foundation
import GRDB

/// Tags statements with foundations from a reviewable lexicon (`seeds/foundation_lexicon.csv`):
/// each term is matched as a whole word or phrase; a trailing `*` matches any ending (`sibling*`
/// finds siblings); a term with a capital letter in it (`COSLA`, `Bill`) must match its case, any
/// other ignores case. A statement may carry several foundations, and the terms that matched are kept
/// so a reviewer sees why.
public struct FoundationTagger: @unchecked Sendable {
    struct Term { var foundation: String; var term: String; var regex: NSRegularExpression }
    let terms: [Term]

    public init(lexicon: [(foundation: String, term: String)]) {
        terms = lexicon.compactMap { entry in
            let words = entry.term.split(whereSeparator: \.isWhitespace).map { word -> String in
                let prefix = word.hasSuffix("*")
                let escaped = NSRegularExpression.escapedPattern(for: String(prefix ? word.dropLast() : word))
                return escaped + (prefix ? #"[\w’'-]*"# : "")
            }
            guard !words.isEmpty else { return nil }
            let caseSensitive = entry.term.contains(where: \.isUppercase)
            let pattern = #"(?<![\w])"# + words.joined(separator: #"\s+"#) + #"(?![\w])"#
            guard let regex = try? NSRegularExpression(pattern: pattern, options: caseSensitive ? [] : [.caseInsensitive]) else { return nil }
            return Term(foundation: entry.foundation, term: entry.term, regex: regex)
        }
    }

    public static func load(from db: Database) throws -> FoundationTagger {
        FoundationTagger(lexicon: try Row.fetchAll(db, sql: "SELECT foundation_id, term FROM foundation_lexicon ORDER BY rowid").map { ($0["foundation_id"], $0["term"]) })
    }

    /// Foundation to the terms that matched, in lexicon order.
    public func tags(_ text: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        let range = NSRange(text.startIndex..., in: text)
        for term in terms where term.regex.firstMatch(in: text, range: range) != nil {
            result[term.foundation, default: []].append(term.term)
        }
        return result
    }
}
