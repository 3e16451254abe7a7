import Foundation

/// The audit's search for identifiers from the restricted store (of children, episodes, placements
/// and survey respondents) in a public file's text. None may appear, in any letter case.
struct IdentifierSearch {
    /// The identifiers, in lower case: identity is case-insensitive, so is the search.
    let values: Set<String>
    /// Their lengths in bytes: a word of another length is not looked up.
    let lengths: Set<Int>

    init(_ identifiers: Set<String>) {
        values = Set(identifiers.map { $0.lowercased() })
        lengths = Set(values.map(\.utf8.count))
    }

    /// The bytes an identifier is searched for between: ASCII letters, digits, '_' and '-'.
    static let wordBytes: [Bool] = (0..<256).map { byte in
        let b = UInt8(byte)
        let digit = b >= 0x30 && b <= 0x39
        let letter = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
        return digit || letter || b == 0x5F || b == 0x2D
    }

    func findings(in text: String, name: String) -> [PublicationAudit.Finding] {
        guard !values.isEmpty else { return [] }
        var findings: [PublicationAudit.Finding] = []
        var text = text
        // Identifiers are printable ASCII (the input contract), so words are runs of ASCII letters,
        // digits, '_' and '-', read byte by byte: any other byte ends a word. Only a word as long as
        // some identifier is looked up.
        text.withUTF8 { bytes in
            var line = 1, lineStart = 0, wordStart = -1
            func endWord(at end: Int) {
                guard wordStart >= 0 else { return }
                defer { wordStart = -1 }
                guard lengths.contains(end - wordStart) else { return }
                let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[wordStart..<end]), as: UTF8.self)
                guard values.contains(word.lowercased()) else { return }
                let character = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<wordStart]), as: UTF8.self).count + 1
                findings.append(PublicationAudit.Finding(file: name, place: "line \(line), character \(character)",
                                        problem: "contains an identifier from the restricted store (of a child, episode, placement or survey respondent; shaped '\(Bounded.shape(word))', the value itself is not repeated here)"))
            }
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if Self.wordBytes[Int(byte)] {
                    if wordStart < 0 { wordStart = index }
                } else {
                    endWord(at: index)
                    if byte == 0x0A { line += 1; lineStart = index + 1 }
                }
            }
            endWord(at: bytes.count)
        }
        return findings
    }
}
