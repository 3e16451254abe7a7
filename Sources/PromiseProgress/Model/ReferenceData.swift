import GRDB

/// Lookups built from the reference tables, used to validate and normalise input values.
public struct ReferenceData: Sendable {
    /// Normalised spelling (see ``normaliseName(_:)``) of every accepted code or name, to the current GSS code.
    public let councilAreas: [String: String]
    public let placementTypes: Set<String>
    /// Codelist name to its allowed codes.
    public let codelists: [String: Set<String>]
    /// Current codes as written, a fast path for the common case.
    let exactSpellings: [String: String]
    /// Published measures and periods, each with its period type.
    public let measures: [String: String]
    public let periods: [String: String]
    /// Each published measure's kind of number (count, percentage, rate_per_1000, mean, ratio) and largest plausible value.
    public let measureRanges: [String: (valueType: String, maximum: Double)]
    /// Every reference table's keys (its first column), by table name.
    public var seedCodes: [String: Set<String>] = [:]

    public init(councilAreas: [String: String], placementTypes: Set<String>, codelists: [String: Set<String>],
                measures: [String: String] = [:], periods: [String: String] = [:], measureRanges: [String: (valueType: String, maximum: Double)] = [:]) {
        self.councilAreas = councilAreas
        self.placementTypes = placementTypes
        self.codelists = codelists
        self.measures = measures
        self.periods = periods
        self.measureRanges = measureRanges
        exactSpellings = Dictionary(councilAreas.values.map { ($0, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public static func load(from db: Database) throws -> ReferenceData {
        var areas: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT geography_code, name FROM geography WHERE geography_type = 'council_area'") {
            let code: String = row["geography_code"]
            areas[normaliseName(code)] = code
            areas[normaliseName(row["name"])] = code
        }
        for row in try Row.fetchAll(db, sql: "SELECT alias, geography_code FROM geography_alias") {
            areas[normaliseName(row["alias"])] = row["geography_code"]
        }
        let types = Set(try String.fetchAll(db, sql: "SELECT placement_type_code FROM placement_type"))
        var lists: [String: Set<String>] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT codelist, code FROM codelist") {
            lists[row["codelist"], default: []].insert(row["code"])
        }
        let measureRows = try Row.fetchAll(db, sql: "SELECT measure, period_type, value_type, maximum FROM published_measure")
        let measures = Dictionary(uniqueKeysWithValues: measureRows.map { ($0["measure"] as String, $0["period_type"] as String) })
        let ranges = Dictionary(uniqueKeysWithValues: measureRows.map { ($0["measure"] as String, (valueType: $0["value_type"] as String, maximum: $0["maximum"] as Double)) })
        let periods = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT period_id, period_type FROM period").map {
            ($0["period_id"] as String, $0["period_type"] as String)
        })
        var data = ReferenceData(councilAreas: areas, placementTypes: types, codelists: lists, measures: measures, periods: periods, measureRanges: ranges)
        for spec in Schema.reference where !spec.columns.isEmpty {
            data.seedCodes[spec.name] = Set(try String.fetchAll(db, sql: "SELECT \(spec.columns[0].name) FROM \(spec.name) WHERE \(spec.columns[0].name) IS NOT NULL"))
        }
        return data
    }

    /// Case, surrounding space and repeated inner spaces do not matter when matching names and codes.
    public static func normaliseName(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The current GSS code for a code or name, or nil when unknown.
    public func councilArea(_ text: String) -> String? {
        // Most rows carry a current code exactly as listed: look that up before normalising.
        if let code = exactSpellings[text] { return code }
        return councilAreas[Self.normaliseName(text)]
    }
}
