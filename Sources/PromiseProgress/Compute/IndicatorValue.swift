/// Identifies one cell of an indicator table: period, area and breakdown category.
public struct CellKey: Sendable, Hashable, Comparable {
    public var period: String
    public var geography: String
    public var breakdownType: String
    public var breakdownCode: String

    public init(period: String, geography: String, breakdownType: String = "total", breakdownCode: String = "total") {
        self.period = period
        self.geography = geography
        self.breakdownType = breakdownType
        self.breakdownCode = breakdownCode
    }

    public var isTotal: Bool { breakdownType == "total" }

    public static func < (lhs: CellKey, rhs: CellKey) -> Bool {
        (lhs.period, lhs.geography, lhs.breakdownType, lhs.breakdownCode) < (rhs.period, rhs.geography, rhs.breakdownType, rhs.breakdownCode)
    }
}

/// Shorthand markers of the UK Government Analysis Function, in square brackets and never inside a
/// numeric column: the number stays NULL and the marker has a column of its own.
public enum Marker: String, Sendable, CaseIterable {
    case confidential = "[c]"
    case notAvailable = "[x]"
    case notApplicable = "[z]"
    case low = "[low]"
    case lowReliability = "[u]"
    case estimated = "[e]"
    case provisional = "[p]"
    case revised = "[r]"
    case breakInSeries = "[b]"

    /// What the marker means, for keys on pages.
    public var meaning: String {
        switch self {
        case .confidential: "confidential: suppressed to protect children's privacy"
        case .notAvailable: "not available"
        case .notApplicable: "not applicable"
        case .low: "rounds to zero but is not zero"
        case .lowReliability: "low reliability"
        case .estimated: "estimated"
        case .provisional: "provisional"
        case .revised: "revised since first published"
        case .breakInSeries: "break in series"
        }
    }
}

/// One row of `indicator_value` (and, after disclosure control, of `published_indicator_value`).
public struct IndicatorValue: Sendable, Equatable {
    public var indicatorID: String
    public var key: CellKey
    public var numerator: Int?
    public var denominator: Double?
    public var value: Double?
    public var marker: Marker?
    public var lower95: Double?
    public var upper95: Double?
    public var lower998: Double?
    public var upper998: Double?
    public var ciMethod: String?
    /// Means only: the sample standard deviation, so the t interval can be recomputed in public.
    public var standardDeviation: Double?
    /// Compared with Scotland: better, worse, similar (or higher, lower where there is no judgement).
    public var benchmark: String?
    public var benchmarkMethod: String?
    /// Rank among council areas (1 = highest value) and quintile (1 = highest fifth).
    public var rank: Int?
    public var quintile: Int?
    /// Set on published values only.
    public var suppressionRule: String?

    public init(indicatorID: String, key: CellKey, numerator: Int? = nil, denominator: Double? = nil, value: Double? = nil, marker: Marker? = nil) {
        self.indicatorID = indicatorID
        self.key = key
        self.numerator = numerator
        self.denominator = denominator
        self.value = value
        self.marker = marker
    }

    /// Clears the number and its interval, leaving the marker.
    mutating func withhold(_ marker: Marker) {
        value = nil
        lower95 = nil; upper95 = nil; lower998 = nil; upper998 = nil
        ciMethod = nil
        standardDeviation = nil
        benchmark = nil; benchmarkMethod = nil; rank = nil; quintile = nil
        self.marker = marker
    }
}
