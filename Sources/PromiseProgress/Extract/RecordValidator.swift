import Foundation

/// Checks one row of an input file against its stream's declaration and normalises it: each
/// field by its column's rule, then the file's row rules. Pure: no I/O, so tests feed it rows
/// directly. Every problem in the row is reported, not only the first.
public struct RecordValidator: Sendable {
    public let reference: ReferenceData
    static let scotland = "S92000003"

    public init(reference: ReferenceData) { self.reference = reference }

    /// Returns the normalised values (nil for empty optional values) or the problems found.
    public func validate(_ values: [String], file: StreamFile) -> Result<[String?], ValidationFailure> {
        var normalised: [String?] = []
        var problems: [FieldProblem] = []
        for (column, raw) in zip(file.columns, values) {
            let text = Self.mayHaveSurroundingSpace(raw) ? raw.trimmingCharacters(in: Self.spaces) : raw
            switch check(text, rule: column.rule) {
            case .success(let value): normalised.append(value)
            case .failure(let reason):
                normalised.append(nil)
                problems.append(FieldProblem(column: column.name, value: raw, rule: reason.rule, reason: reason.message))
            }
        }
        if problems.isEmpty {
            let row = RowValues(names: file.columnNames, values: normalised)
            for rule in file.rowRules { problems += rule.check(row, reference) }
        }
        return problems.isEmpty ? .success(normalised) : .failure(ValidationFailure(problems: problems))
    }

    /// What is trimmed around a value: space, tab and the Unicode spaces (no-break, figure, thin…).
    /// Not the zero-width characters Foundation counts as white space: they are invisible, so trimming
    /// them would merge values silently; an identifier holding one is rejected, naming it.
    static let spaces = CharacterSet.whitespaces.subtracting(CharacterSet(charactersIn: "\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}\u{180E}"))

    /// True when the first or last byte could be white space (ASCII space or tab, or any non-ASCII
    /// byte, which might start a Unicode space): only then is the slower trim worth doing.
    static func mayHaveSurroundingSpace(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return false }
        func maybe(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte >= 0x80 }
        return maybe(first) || maybe(last)
    }

    public struct ValidationFailure: Error, Sendable, Equatable {
        public let problems: [FieldProblem]
    }

    struct Reason: Error {
        let rule: String
        let message: String
    }

    private func check(_ text: String, rule: ValueRule) -> Result<String?, Reason> {
        switch rule {
        case .identifier:
            if text.isEmpty { return .failure(Reason(rule: "missing_value", message: "expected an identifier, found an empty value")) }
            // One identity per child, respondent and record: identifiers are printable ASCII (the input
            // contract), so an export that changes the encoding (NFD, full-width letters) cannot make a
            // second identity; letter case is folded when keys are compared (transform's duplicate_id).
            if !text.utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) {
                let scalars = Array(text.unicodeScalars)
                let index = scalars.firstIndex { $0.value < 0x20 || $0.value > 0x7E } ?? 0
                let found = scalars[index]
                return .failure(Reason(rule: "invalid_identifier", message: "expected an identifier in printable ASCII (letters, digits, punctuation and spaces, as the input contract says), found U+\(String(format: "%04X", found.value)) '\(String(found))' at character \(index + 1); check the export's encoding"))
            }
            if text.utf8.count > 64, text.count > 64 { return .failure(Reason(rule: "invalid_identifier", message: "expected an identifier of at most 64 characters, found \(text.count)")) }
            return .success(text)
        case .councilArea:
            if let code = reference.councilArea(text) { return .success(code) }
            return .failure(Reason(rule: text.isEmpty ? "missing_value" : "unknown_council_area", message: text.isEmpty
                ? "expected a council area code or name, found an empty value"
                : "expected a council area (a current or superseded GSS code such as S12000049, or a name such as 'Glasgow City'), found '\(text)'"))
        case .date:
            if text.isEmpty { return .failure(Reason(rule: "missing_value", message: "expected a date YYYY-MM-DD, found an empty value")) }
            return Self.date(text)
        case .optionalDate:
            return text.isEmpty ? .success(nil) : Self.date(text)
        case .code(let list):
            return code(text, list: list, optional: false)
        case .optionalCode(let list):
            return code(text, list: list, optional: true)
        case .area:
            if text == Self.scotland || text.lowercased() == "scotland" { return .success(Self.scotland) }
            if let code = reference.councilArea(text) { return .success(code) }
            return .failure(Reason(rule: text.isEmpty ? "missing_value" : "unknown_council_area",
                                   message: "expected Scotland (S92000003) or a council area code or name, found '\(text)'"))
        case .publishedMeasure:
            if reference.measures[text] != nil { return .success(text) }
            return .failure(Reason(rule: text.isEmpty ? "missing_value" : "unknown_code",
                                   message: "expected a measure from seeds/published_measure.csv (\(reference.measures.keys.sorted().joined(separator: ", "))), found '\(text)'"))
        case .period:
            if reference.periods[text] != nil { return .success(text) }
            return .failure(Reason(rule: text.isEmpty ? "missing_value" : "unknown_code", message: "expected a period id from seeds/period.csv such as 2023-24 or fy2023-24, found '\(text)'"))
        case .breakdown:
            if text == "total" { return .success(text) }
            return .failure(Reason(rule: "unknown_code", message: "expected 'total' (breakdowns of published values are not accepted yet), found '\(text)'"))
        case .optionalNumber:
            if text.isEmpty { return .success(nil) }
            if Self.isPlainDecimal(text) { return .success(text) }
            return .failure(Reason(rule: "invalid_number", message: "expected a plain decimal number such as 12.5 (digits, an optional '-' and decimal point; no exponent, hex or thousands separator), found '\(text)'"))
        case .optionalMarker:
            if text.isEmpty || Marker(rawValue: text) != nil { return .success(text.isEmpty ? nil : text) }
            return .failure(Reason(rule: "unknown_code", message: "expected a marker (\(Marker.allCases.map(\.rawValue).joined(separator: " "))) or empty, found '\(text)'"))
        case .seedCode(let table):
            let allowed = reference.seedCodes[table] ?? []
            if allowed.contains(text) { return .success(text) }
            let listed = allowed.count <= 12 ? " (\(allowed.sorted().joined(separator: ", ")))" : ""
            return .failure(Reason(rule: text.isEmpty ? "missing_value" : "unknown_code", message: "expected a code from seeds/\(table).csv\(listed), found '\(text)'"))
        case .optionalIdentifier:
            if text.isEmpty { return .success(nil) }
            return check(text, rule: .identifier)
        case .identity:
            // Held as given until transform's duplicate check has named any other letter case.
            return check(text, rule: .identifier)
        case .count:
            if !text.isEmpty, text.utf8.count <= 9, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { return .success(String(Int(text)!)) }
            return .failure(Reason(rule: text.isEmpty ? "missing_value" : "invalid_number", message: "expected a whole number of 0 or more in digits (at most 9), found '\(text)'"))
        case .freeText:
            if text.count > 4000 { return .failure(Reason(rule: "too_long", message: "expected at most 4,000 characters, found \(text.count)")) }
            return .success(text.isEmpty ? nil : text)
        case .placementType:
            if reference.placementTypes.contains(text) { return .success(text) }
            return .failure(Reason(rule: "unknown_placement_type", message: "expected a placement type from seeds/placement_type.csv (\(reference.placementTypes.sorted().joined(separator: ", "))), found '\(text)'"))
        }
    }

    /// One strict grammar for published numbers: `-?digits(.digits)?`. Rejects `0x1p6`, `1e300`, `inf`, `1,000`.
    static func isPlainDecimal(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 >= 48 && $0 <= 57 } }) else { return false }
        return parts[0].count <= 15
    }

    /// Compares two plain decimals (``isPlainDecimal(_:)``) exactly, digit by digit: -1, 0 or 1.
    public static func compareDecimal(_ a: String, _ b: String) -> Int {
        func parts(_ text: String) -> (negative: Bool, whole: [UInt8], fraction: [UInt8]) {
            var bytes = Array(text.utf8)
            let negative = bytes.first == UInt8(ascii: "-")
            if negative { bytes.removeFirst() }
            let dot = bytes.firstIndex(of: UInt8(ascii: ".")) ?? bytes.count
            var whole = Array(bytes[..<dot]), fraction = dot < bytes.count ? Array(bytes[(dot + 1)...]) : []
            while whole.first == UInt8(ascii: "0") { whole.removeFirst() }
            while fraction.last == UInt8(ascii: "0") { fraction.removeLast() }
            return (negative && !(whole.isEmpty && fraction.isEmpty), whole, fraction)
        }
        func magnitude(_ x: ([UInt8], [UInt8]), _ y: ([UInt8], [UInt8])) -> Int {
            if x.0.count != y.0.count { return x.0.count < y.0.count ? -1 : 1 }
            if x.0 != y.0 { return x.0.lexicographicallyPrecedes(y.0) ? -1 : 1 }
            if x.1 == y.1 { return 0 }
            return x.1.lexicographicallyPrecedes(y.1) ? -1 : 1
        }
        let x = parts(a), y = parts(b)
        if x.negative != y.negative { return x.negative ? -1 : 1 }
        let m = magnitude((x.whole, x.fraction), (y.whole, y.fraction))
        return x.negative ? -m : m
    }

    private static func date(_ text: String) -> Result<String?, Reason> {
        // A date that parses is already in its one valid spelling.
        if CivilDate(iso: text) != nil { return .success(text) }
        return .failure(Reason(rule: "invalid_date", message: "expected a real date written YYYY-MM-DD, found '\(text)'"))
    }

    private func code(_ text: String, list: String, optional: Bool) -> Result<String?, Reason> {
        if text.isEmpty && optional { return .success(nil) }
        let allowed = reference.codelists[list] ?? []
        if allowed.contains(text) { return .success(text) }
        // Accept a different case ("Male") but store the code as listed.
        if let match = allowed.first(where: { $0.caseInsensitiveCompare(text) == .orderedSame }) { return .success(match) }
        return .failure(Reason(rule: text.isEmpty ? "missing_value" : "unknown_code", message: "expected one of \(allowed.sorted().joined(separator: ", "))\(optional ? " or empty" : ""), found '\(text)'"))
    }
}
