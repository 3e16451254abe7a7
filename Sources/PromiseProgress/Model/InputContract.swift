/// The documented contract for child-level input files under `Data/quantitative/`.
/// docs/input-contract.md is the human-readable copy; a test keeps the two in step.
public enum InputContract {
    /// How a column's text is checked and normalised by transform.
    public enum ValueRule: Sendable, Equatable {
        /// A non-empty identifier of at most 64 characters.
        case identifier
        /// A council area: current GSS code, superseded code, official name or a known name variant.
        case councilArea
        /// An ISO date `YYYY-MM-DD` that exists in the calendar.
        case date
        /// An ISO date, or empty.
        case optionalDate
        /// A code of the named list in `seeds/codelist.csv`.
        case code(String)
        /// A code of the named list, or empty.
        case optionalCode(String)
        /// A code of `seeds/placement_type.csv`.
        case placementType
        /// Scotland (`S92000003`) or a council area, spelt as for ``councilArea``.
        case area
        /// A measure of `seeds/published_measure.csv`.
        case publishedMeasure
        /// A period id of `seeds/period.csv`.
        case period
        /// `total` (breakdowns of published values are not accepted yet).
        case breakdown
        /// A number, or empty when a marker says why there is none.
        case optionalNumber
        /// One of the Analysis Function markers, or empty.
        case optionalMarker
    }

    public struct Column: Sendable {
        public let name: String
        public let rule: ValueRule
        public let description: String
    }

    public struct File: Sendable {
        public let fileName: String
        /// The clean table rows end up in.
        public let table: String
        public let columns: [Column]

        public var stagingTable: String { "stg_\(table)" }
        public var columnNames: [String] { columns.map(\.name) }
    }

    public static let children = File(fileName: "children.csv", table: "child", columns: [
        Column(name: "child_id", rule: .identifier, description: "Unique identifier of the child."),
        Column(name: "la_code", rule: .councilArea, description: "Council area returning the child: current or superseded GSS code, or name."),
        Column(name: "date_of_birth", rule: .date, description: "Date of birth, YYYY-MM-DD."),
        Column(name: "sex", rule: .code("sex"), description: "male, female or not_known."),
        Column(name: "ethnic_group", rule: .code("ethnic_group"), description: "Code from codelist ethnic_group."),
        Column(name: "disability", rule: .code("disability"), description: "yes, no or not_known."),
    ])

    public static let episodes = File(fileName: "episodes.csv", table: "episode", columns: [
        Column(name: "episode_id", rule: .identifier, description: "Unique identifier of the episode of care."),
        Column(name: "child_id", rule: .identifier, description: "Child (must be in children.csv)."),
        Column(name: "la_code", rule: .councilArea, description: "Council area responsible for the episode."),
        Column(name: "start_date", rule: .date, description: "First day looked after, YYYY-MM-DD."),
        Column(name: "end_date", rule: .optionalDate, description: "Day the child ceased to be looked after; empty while still looked after."),
        Column(name: "legal_reason", rule: .code("legal_reason"), description: "Code from codelist legal_reason."),
        Column(name: "destination", rule: .optionalCode("destination"), description: "Code from codelist destination when the episode has ended; empty while open."),
    ])

    public static let placements = File(fileName: "placements.csv", table: "placement", columns: [
        Column(name: "placement_id", rule: .identifier, description: "Unique identifier of the placement."),
        Column(name: "episode_id", rule: .identifier, description: "Episode (must be in episodes.csv)."),
        Column(name: "start_date", rule: .date, description: "First day of the placement, YYYY-MM-DD."),
        Column(name: "end_date", rule: .optionalDate, description: "Day the placement ended; empty while open."),
        Column(name: "placement_type", rule: .placementType, description: "Code from seeds/placement_type.csv."),
        Column(name: "siblings_looked_after", rule: .code("siblings_looked_after"), description: "yes, no or not_known: has a brother or sister also looked after."),
        Column(name: "living_with_siblings", rule: .code("living_with_siblings"), description: "all, some, none or not_applicable."),
        Column(name: "separation_reason", rule: .optionalCode("separation_reason"), description: "Why the child lives apart from some or all siblings; empty when living with all or not applicable."),
    ])

    /// Published aggregate values, one file per source under `quantitative/published/` (any name ending .csv).
    public static let published = File(fileName: "published/*.csv", table: "published_value", columns: [
        Column(name: "measure", rule: .publishedMeasure, description: "Measure code from seeds/published_measure.csv."),
        Column(name: "period", rule: .period, description: "Period id from seeds/period.csv, of the measure's period type."),
        Column(name: "geography_code", rule: .area, description: "Scotland or a council area."),
        Column(name: "breakdown", rule: .breakdown, description: "total."),
        Column(name: "value", rule: .optionalNumber, description: "The published value in the measure's unit; empty when a marker says why."),
        Column(name: "marker", rule: .optionalMarker, description: "Shorthand marker such as [c], [x], [p]; empty otherwise."),
        Column(name: "vintage", rule: .date, description: "Publication date of the value, YYYY-MM-DD. A later vintage revises an earlier one."),
    ])

    /// The child-level files, in the order they must be processed (parents before children).
    public static let files: [File] = [children, episodes, placements]

    /// Every input stream.
    public static let allFiles: [File] = files + [published]
}
