import Foundation

/// Writes RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled, LF line endings.
public struct CSVWriter {
    public private(set) var text = ""

    public init(header: [String]) {
        append(header)
    }

    public mutating func append(_ fields: [String]) {
        text += Self.line(fields)
        text += "\n"
    }

    /// One record without its line ending.
    public static func line(_ fields: [String]) -> String {
        fields.map(encode).joined(separator: ",")
    }

    static func encode(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
