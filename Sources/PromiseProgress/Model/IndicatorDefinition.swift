/// One indicator as written in its file under `Indicators/`: what it measures, for whom, how it
/// is computed (SQL over documented tables) and how it should be read.
public struct IndicatorDefinition: Sendable, Equatable {
    public enum ValueType: String, Sendable, CaseIterable {
        case count, percentage
        case ratePer1000 = "rate_per_1000"
        /// An average: computed from a sum, a sum of squares and a count (t interval), or published.
        case mean
        /// A median; published sources only for now (the median of child-level values needs every value, not sums).
        case median
        /// Any other ratio in the indicator's unit (e.g. per registered place); published sources only for now.
        case ratio

        /// True when the denominator counts children (percentages, means), so disclosure control protects it.
        public var countsChildrenInDenominator: Bool { self == .percentage || self == .mean }

        /// Unit for headings and table columns.
        public var symbol: String {
            switch self {
            case .count, .mean, .median, .ratio: ""
            case .percentage: "%"
            case .ratePer1000: "per 1,000"
            }
        }
    }

    /// Where values come from: computed from child-level records, or taken from a published table.
    public enum ValueSource: String, Sendable, CaseIterable {
        case computed, published
    }

    public enum Polarity: String, Sendable, CaseIterable {
        case higherIsBetter = "higher_is_better"
        case lowerIsBetter = "lower_is_better"
        case noJudgement = "no_judgement"
    }

    public enum Role: String, Sendable, CaseIterable { case core, contextual }

    public enum PeriodBasis: String, Sendable, CaseIterable {
        case snapshot
        case duringPeriod = "during_period"
    }

    /// A breakdown offered besides the total; the SQL returns a column of this name.
    public enum Breakdown: String, Sendable, CaseIterable {
        case sex
        case ageBand = "age_band"
        case placementType = "placement_type"
        /// The survey's age groups (codelist survey_age_group), one per survey version.
        case ageGroup = "age_group"
        /// The five foundations (seeds/foundation.csv), for measures of commitments.
        case foundation
    }

    /// The three kinds of evidence the framework draws on.
    public enum Evidence: String, Sendable, CaseIterable {
        /// Statistics and child-level administrative returns.
        case quantitative
        /// What children and families say, from surveys.
        case experiential
        /// Progress updates, commitments and case studies.
        case qualitative
    }

    /// What one count counts, which decides how disclosure control protects it.
    public enum CountUnit: String, Sendable, CaseIterable {
        /// Children: counts from 1 to `largest_suppressed_count` are withheld.
        case children
        /// Survey respondents, a group answering: a group smaller than `smallest_respondent_group` is withheld.
        case respondents
        /// Public records (documents, commitments): nothing about a person, so not withheld.
        case records
        /// Answers of one kind within a group of respondents (e.g. "yes"): children giving an answer, so
        /// withheld from 1 to `largest_suppressed_count` (and so are those not giving it), and withheld
        /// with their group.
        case answers

        /// The one rule for the largest protected count of a unit, for disclosure control and the audit
        /// alike: counts from 1 to it are withheld, and a withheld one must provably reach 0 and one more.
        /// Nil: not protected on its own size (public records).
        public func largestProtected(children: Int, respondentGroup: Int) -> Int? {
            switch self {
            // Answers are children too: "1 of 23 has low life satisfaction" singles a child out.
            case .children, .answers: children
            case .respondents: respondentGroup - 1
            case .records: nil
            }
        }
    }

    /// Numerator or denominator: plain words and SQL.
    public struct Measure: Sendable, Equatable {
        public var description: String
        public var sql: String
        /// Line of the `sql:` key in the definition file, for error messages.
        public var sqlLine: Int
        /// Which children the measure counts, for disclosure control's table structure. Two measures
        /// with the same population and conditions are one cell; others are related through them.
        public var population: Population?

        public init(description: String, sql: String, sqlLine: Int, population: Population? = nil) {
            self.description = description
            self.sql = sql
            self.sqlLine = sqlLine
            self.population = population
        }
    }

    /// The `counts:` declaration of a measure: the population it counts, the conditions on it (placement
    /// conditions resolved to placement type codes), and whether one child can be counted in more than
    /// one council area or category.
    public struct Population: Sendable, Equatable {
        public var name: String
        public var conditions: [String: Set<String>]
        /// When true the SQL returns one row per child (a `unit_id` column) and every total, category
        /// and Scotland figure is a count of distinct children made by its own query.
        public var overlapping: Bool
        /// What is counted: children unless declared otherwise.
        public var unit: CountUnit

        public init(name: String, conditions: [String: Set<String>] = [:], overlapping: Bool = false, unit: CountUnit = .children) {
            self.name = name
            self.conditions = conditions
            self.overlapping = overlapping
            self.unit = unit
        }
    }

    /// How the change between two periods is measured for the National Performance Framework rule.
    public enum ThresholdUnit: String, Sendable, CaseIterable {
        case percentagePoints = "percentage_points"
        case percent
    }

    /// How uncertainty is expressed; must suit the value type.
    public enum ConfidenceMethod: String, Sendable, CaseIterable {
        case wilson
        case poissonExactByar = "poisson_exact_byar"
        case studentT = "student_t"
        case none

        /// The method each value type uses.
        public static func expected(for valueType: ValueType) -> ConfidenceMethod {
            switch valueType {
            case .count, .median, .ratio: .none
            case .mean: .studentT
            case .percentage: .wilson
            case .ratePer1000: .poissonExactByar
            }
        }
    }

    public enum Frequency: String, Sendable, CaseIterable { case annual, quarterly, monthly }

    public var id: String
    public var title: String
    public var shortTitle: String
    /// One sentence for tables and tooltips.
    public var shortDefinition: String
    /// The full definition.
    public var definition: String
    /// The framework outcome the indicator gives evidence on.
    public var outcome: String
    public var confidenceMethod: ConfidenceMethod
    public var frequency: Frequency
    public var publisher: String
    /// ISO dates.
    public var lastUpdated: String
    public var nextUpdateDue: String
    /// The rule whose status is shown as the headline.
    public var headlineRule: String
    public var valueSource: ValueSource
    public var rationale: String
    public var foundation: String
    public var visionStatement: Int
    public var role: Role
    public var valueType: ValueType
    public var unit: String
    public var polarity: Polarity
    public var periodType: String
    public var periodBasis: PeriodBasis
    public var source: String
    public var breakdowns: [Breakdown]
    /// Which kind of evidence the indicator gives.
    public var evidence: Evidence = .quantitative
    /// Survey results: the question topic (survey_question.topic) whose answers the page shows in full.
    public var surveyTopic: String?
    /// Survey results: the indicator giving the response rate shown beside every value.
    public var responseRateIndicator: String?
    /// Breakdowns also published for each council area; the others are published for Scotland only,
    /// where the numbers are large enough to publish without withholding most of the table.
    public var councilAreaBreakdowns: [Breakdown] = []
    /// False when the indicator is published for Scotland only: its council area figures would let
    /// small numbers be worked out (the average number of placements and its spread, beside the share
    /// with three or more, pin down how many children in a small area moved three, four or five times).
    public var councilAreaValues: Bool = true
    public var caveats: String
    /// A target the framework set, drawn on the trend chart ("by 2030").
    public struct Target: Sendable, Equatable {
        public var value: Double
        public var label: String
    }
    public var target: Target?
    public var numerator: Measure
    public var denominator: Measure?
    /// Change between the last two points below which the status is "maintaining".
    public var directionThreshold: Double
    public var directionThresholdUnit: ThresholdUnit
    /// Path of the definition file as given.
    public var file: String
    public var sha256: String
}

/// Names one indicator's numerator or denominator, written `indicator-id.numerator`.
public struct MeasureReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Part: String, Sendable, Comparable {
        case numerator, denominator
        public static func < (lhs: Part, rhs: Part) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var indicator: String
    public var part: Part

    public init(indicator: String, part: Part) {
        self.indicator = indicator
        self.part = part
    }

    public init?(_ text: String) {
        let pieces = text.split(separator: ".")
        guard pieces.count == 2, let part = Part(rawValue: String(pieces[1])) else { return nil }
        self.init(indicator: String(pieces[0]), part: part)
    }

    public var description: String { "\(indicator).\(part.rawValue)" }

    public static func < (lhs: MeasureReference, rhs: MeasureReference) -> Bool {
        (lhs.indicator, lhs.part) < (rhs.indicator, rhs.part)
    }
}
