import Foundation
import GRDB

/// What a comment may keep written with a capital letter. Redaction denies by default: a capitalised
/// word is taken out as a name unless it is on the reviewed allow list (`seeds/redaction_allow.csv`:
/// I, Mum, days, months, ...) or, at the start of a sentence, an everyday word in lower case ("The",
/// "Sometimes"). Everyday words are the lower-case entries of Debian's British English word list
/// (package `wbritish`); its capitalised entries are proper nouns, names and places among them, and
/// count for nothing.
public struct RedactionWords: Sendable {
    /// Where Debian's `wbritish` puts the word list.
    public static let wordListPath = "/usr/share/dict/british-english"

    /// Lower-case entries of the word list.
    public let common: Set<String>
    /// Allow-list terms, lower-cased.
    public let allowed: Set<String>

    public init(common: Set<String>, allowed: Set<String>) {
        self.common = common
        self.allowed = Set(allowed.map { $0.lowercased() })
    }

    /// An everyday word: its lower-case form is a lower-case entry of the word list. A hyphenated word
    /// is everyday when the whole is, or every part is.
    public func isCommon(_ word: String) -> Bool {
        let lower = word.lowercased()
        if common.contains(lower) { return true }
        guard lower.contains("-") else { return false }
        let parts = lower.split(separator: "-")
        return !parts.isEmpty && parts.allSatisfy { common.contains(String($0)) }
    }

    public func isAllowed(_ word: String) -> Bool { allowed.contains(word.lowercased()) }

    /// The lower-case entries of the word list at `path`. A missing or unreadable list is an error that
    /// names the path: without it every comment would be redacted less, never silently.
    public static func commonWords(at path: String = wordListPath) throws -> Set<String> {
        if path == wordListPath {
            lock.lock()
            defer { lock.unlock() }
            if let cached = cache.words { return cached }
            let words = try read(path)
            cache.words = words
            return words
        }
        return try read(path)
    }

    private final class Cache: @unchecked Sendable { var words: Set<String>? }
    private static let cache = Cache()
    private static let lock = NSLock()

    private static func read(_ path: String) throws -> Set<String> {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            throw OperatorError(.internalError, "cannot read the word list \(path), which comment redaction needs to tell everyday words from names; "
                                + "install Debian's package wbritish (scripts/install-system-libraries does, or: apt-get install wbritish) and run again. "
                                + "Without it no comment is redacted or published.")
        }
        var words = Set<String>()
        words.reserveCapacity(90_000)
        for line in text.split(whereSeparator: \.isNewline) {
            guard let first = line.first, first.isLowercase else { continue }
            words.insert(String(line))
        }
        guard words.count > 1_000 else {
            throw OperatorError(.internalError, "the word list \(path) holds only \(words.count) lower-case words; expected Debian's wbritish (about 80,000). Reinstall it: apt-get install --reinstall wbritish")
        }
        return words
    }

    /// The word list and the allow list (`redaction_allow`, when the store has it).
    public static func load(from db: Database) throws -> RedactionWords {
        let allowed = try db.tableExists("redaction_allow") ? try String.fetchAll(db, sql: "SELECT term FROM redaction_allow") : []
        return RedactionWords(common: try commonWords(), allowed: Set(allowed))
    }
}
