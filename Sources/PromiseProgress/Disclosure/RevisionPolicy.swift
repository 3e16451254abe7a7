import Foundation
import GRDB

/// The revisions policy (README, "Revisions"): an attacker keeps every release, so two releases a
/// night apart must not differ by a few children. A nightly build therefore never changes a figure,
/// nor what is withheld, for a period the release it follows already published:
/// - every (indicator, period) that release published is *frozen*: its values are computed from the
///   counts that release was built from (kept in its restricted store), its withheld counts stay
///   withheld and its published counts stay published, so disclosure control protects new periods
///   around them as an attacker who holds the old release would see them;
/// - whatever the current inputs would change in a frozen period is *held*: listed in the restricted
///   `held_revision` table and the run log, and published only by a revision release;
/// - a revision release (`build --revise PERIOD`) recomputes its periods from the current inputs, but
///   keeps withheld what was withheld, withholds every count revised by 1 to 4, and requires each such
///   count's provable range to reach both its previous value and five beyond it (in the direction it
///   moved), so an attacker holding both releases cannot tell how many children a revision moved.
///   Revised figures are marked [r].
public struct RevisionPolicy {
    /// The release this build follows, as published and as computed.
    public struct PreviousRelease {
        /// `published_indicator_value` of that release (with why each withheld value is withheld).
        public var published: [IndicatorValue]
        /// `indicator_value` of that release: the counts its published values were computed from.
        public var computed: [IndicatorValue]
        /// `published_answer_distribution` of that release (nil: it had none, an older layout).
        public var answers: [Row]?
        /// Why each count was withheld in that release (`withheld_cell`; empty for an older layout).
        public var reasons: [TableStructure.Cell: DisclosureControl.Reason] = [:]

        public init(published: [IndicatorValue], computed: [IndicatorValue], answers: [Row]? = nil) {
            self.published = published
            self.computed = computed
            self.answers = answers
        }

        /// Reads the release's restricted store; nil when there is none (the first release) or it has
        /// no published values yet.
        public static func load(from store: URL) throws -> PreviousRelease? {
            guard FileManager.default.fileExists(atPath: store.path) else { return nil }
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: store.path, configuration: configuration)
            return try queue.read { db in
                guard try db.tableExists("published_indicator_value"), try db.tableExists("indicator_value") else { return nil }
                let published = try values(from: "published_indicator_value", db: db)
                guard !published.isEmpty else { return nil }
                let answers = try db.tableExists(PublishedAnswers.table.name)
                    ? try Row.fetchAll(db, sql: "SELECT \(PublishedAnswers.table.columns.map(\.name).joined(separator: ", ")) FROM \(PublishedAnswers.table.name)") : nil
                var previous = PreviousRelease(published: published, computed: try values(from: "indicator_value", db: db), answers: answers)
                if try db.tableExists(RevisionPolicy.withheldCells.name) {
                    for row in try Row.fetchAll(db, sql: "SELECT measure, period_id, geography_code, breakdown_type, breakdown_code, reason FROM withheld_cell") {
                        guard let reason = DisclosureControl.Reason(rawValue: row[5]) else { continue }
                        previous.reasons[TableStructure.Cell(row[0], CellKey(period: row[1], geography: row[2], breakdownType: row[3], breakdownCode: row[4]))] = reason
                    }
                }
                return previous
            }
        }

        static func values(from table: String, db: Database) throws -> [IndicatorValue] {
            let hasRule = table == "published_indicator_value"
            let columns = Schema.indicatorValueColumns.map(\.name) + (hasRule ? ["suppression_rule"] : [])
            return try Row.fetchAll(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM \(table)").map { row in
                var value = IndicatorValue(indicatorID: row[0], key: CellKey(period: row[1], geography: row[2], breakdownType: row[3], breakdownCode: row[4]),
                                           numerator: row[5], denominator: row[6], value: row[7], marker: (row[8] as String?).flatMap(Marker.init(rawValue:)))
                value.lower95 = row[9]; value.upper95 = row[10]; value.lower998 = row[11]; value.upper998 = row[12]
                value.ciMethod = row[13]; value.standardDeviation = row[14]; value.benchmark = row[15]; value.benchmarkMethod = row[16]
                value.rank = row[17]; value.quintile = row[18]
                if hasRule { value.suppressionRule = row[19] }
                return value
            }
        }
    }

    /// Every withheld cell of a release and why: restricted (a reason tells a range).
    public static let withheldCells = TableSpec("withheld_cell", kind: .indicator,
        description: "Restricted. Every count disclosure control withheld in this release (a numerator or denominator, keyed by its canonical measure; a measure ending ~others is those in a survey group not giving the answer), with why: primary, group, secondary, protection or revision. The next release inherits these reasons for every period it does not revise.",
        columns: [
            ColumnSpec("measure", "TEXT", "NOT NULL", "Canonical measure: indicator id and numerator or denominator."),
            ColumnSpec("period_id", "TEXT", "NOT NULL", "Period."),
            ColumnSpec("geography_code", "TEXT", "NOT NULL", "Area."),
            ColumnSpec("breakdown_type", "TEXT", "NOT NULL", "Breakdown."),
            ColumnSpec("breakdown_code", "TEXT", "NOT NULL", "Category."),
            ColumnSpec("reason", "TEXT", "NOT NULL", "primary, group, secondary, protection or revision."),
        ], tableConstraints: ["PRIMARY KEY (measure, period_id, geography_code, breakdown_type, breakdown_code)"])

    static func insertWithheld(_ hidden: [TableStructure.Cell: DisclosureControl.Reason], db: Database) throws {
        let insert = try BulkInsert(into: withheldCells.name, columns: withheldCells.columns.map(\.name), in: db)
        for (cell, reason) in hidden.sorted(by: { $0.key < $1.key }) {
            try insert.insert([cell.measure, cell.key.period, cell.key.geography, cell.key.breakdownType, cell.key.breakdownCode, reason.rawValue])
        }
    }

    /// One value the current inputs would change in a frozen period.
    public struct Held: Sendable, Equatable {
        public var indicatorID: String
        public var key: CellKey
        public var published: IndicatorValue?
        public var current: IndicatorValue?
    }

    public var previous: PreviousRelease?
    /// Periods this build revises (`--revise`).
    public var revise: Set<String>
    /// Publish a revision however few areas it moves (`--allow-small-revision`).
    public var allowSmallRevision: Bool

    /// A revision that moves counts by 1 to 4 in fewer council areas than this is refused: an outside
    /// attack on a revision of one withdrawn child read most of the child's record from which counts
    /// were newly withheld, decoys and all. Small changes wait, held, until enough records change (or
    /// the scheduled revision), when the moved counts are spread over many areas and tell nothing.
    public static let smallestRevision = 5

    public init(previous: PreviousRelease?, revise: Set<String> = [], allowSmallRevision: Bool = false) {
        self.previous = previous
        self.revise = revise
        self.allowSmallRevision = allowSmallRevision
    }

    struct Pair: Hashable { var indicator: String; var period: String }

    /// One value's place: indicator, period, area and breakdown.
    static func id(_ v: IndicatorValue) -> String { "\(v.indicatorID)|\(v.key.period)|\(v.key.geography)|\(v.key.breakdownType)|\(v.key.breakdownCode)" }

    /// Every (indicator, period) the previous release published, and those of them frozen now.
    var publishedPairs: Set<Pair> { Set((previous?.published ?? []).map { Pair(indicator: $0.indicatorID, period: $0.key.period) }) }
    var frozenPairs: Set<Pair> { publishedPairs.filter { !revise.contains($0.period) } }

    /// The values to protect: those of frozen periods as the previous release computed them; and what
    /// the current inputs would change there, held.
    public func hold(_ values: [IndicatorValue]) -> (values: [IndicatorValue], held: [Held]) {
        guard let previous else { return (values, []) }
        let frozen = frozenPairs
        guard !frozen.isEmpty else { return (values, []) }
        var current: [String: IndicatorValue] = [:]
        var kept: [IndicatorValue] = []
        for value in values {
            if frozen.contains(Pair(indicator: value.indicatorID, period: value.key.period)) { current[Self.id(value)] = value } else { kept.append(value) }
        }
        var held: [Held] = []
        var seen: Set<String> = []
        for value in previous.computed where frozen.contains(Pair(indicator: value.indicatorID, period: value.key.period)) {
            kept.append(value)
            let key = Self.id(value)
            seen.insert(key)
            let now = current[key]
            if !Self.sameFigures(value, now) {
                held.append(Held(indicatorID: value.indicatorID, key: value.key, published: value, current: now))
            }
        }
        for (key, value) in current where !seen.contains(key) {
            held.append(Held(indicatorID: value.indicatorID, key: value.key, published: nil, current: value))
        }
        held.sort { ($0.indicatorID, $0.key) < ($1.indicatorID, $1.key) }
        return (kept, held)
    }

    static func sameFigures(_ a: IndicatorValue, _ b: IndicatorValue?) -> Bool {
        guard let b else { return false }
        func close(_ x: Double?, _ y: Double?) -> Bool {
            switch (x, y) {
            case (nil, nil): true
            case (let x?, let y?): abs(x - y) <= 1e-9 * max(1, abs(x))
            default: false
            }
        }
        return a.numerator == b.numerator && close(a.denominator, b.denominator) && close(a.value, b.value) && a.marker == b.marker
            && close(a.standardDeviation, b.standardDeviation)
    }

    /// What the previous release fixes for disclosure control, cell by cell (`counts` are this build's
    /// cells, frozen ones at the previous release's counts).
    func fixed(counts: [TableStructure.Cell: Int], canonical: [String: String], answerGroups: [String: String]) throws -> DisclosureControl.Fixed {
        var fixed = DisclosureControl.Fixed()
        guard let previous else { return fixed }
        typealias Cell = TableStructure.Cell
        // The previous release's cells: published with their count, or withheld (with why), and the
        // counts they were computed from.
        var wasPublished: [Cell: Int] = [:]
        var wasWithheld: [Cell: DisclosureControl.Reason] = [:]
        var wasCounted: [Cell: Int] = [:]
        for value in previous.published where value.marker != .notAvailable {
            for (part, amount) in [("numerator", value.numerator), ("denominator", value.denominator.map { Int($0.rounded()) })] {
                guard let measure = canonical["\(value.indicatorID).\(part)"] else { continue }
                let cell = Cell(measure, value.key)
                if let amount { wasPublished[cell] = amount } else if value.marker == .confidential {
                    let reason = value.suppressionRule.flatMap { rule in rule.split(separator: ":").first.flatMap { DisclosureControl.Reason(rawValue: String($0)) } }
                    wasWithheld[cell] = reason ?? .revision
                }
            }
        }
        for value in previous.computed where value.marker != .notAvailable {
            if let n = value.numerator, let measure = canonical["\(value.indicatorID).numerator"] { wasCounted[Cell(measure, value.key)] = n }
            if let d = value.denominator, let measure = canonical["\(value.indicatorID).denominator"] { wasCounted[Cell(measure, value.key)] = Int(d.rounded()) }
        }
        // The respondents not giving an answer: published where both their answers and group were.
        for (answers, group) in answerGroups {
            for (cell, n) in wasCounted where cell.measure == answers {
                let others = Cell(TableStructure.complementMeasure(of: answers), cell.key), whole = Cell(group, cell.key)
                if let d = wasCounted[whole] { wasCounted[others] = d - n }
                if let n = wasPublished[cell], let d = wasPublished[whole] { wasPublished[others] = d - n }
                else if wasPublished[cell] != nil || wasWithheld[cell] != nil || wasWithheld[whole] != nil { wasWithheld[others] = .secondary }
            }
        }
        for (cell, count) in counts {
            let revised = revise.contains(cell.key.period)
            if !revised {
                if wasPublished[cell] != nil { fixed.published.insert(cell) }
                if let reason = wasWithheld[cell] { fixed.withheld[cell] = previous.reasons[cell] ?? reason }
                continue
            }
            // A revision: what was withheld stays withheld; a count moved by 1 to 4 is withheld, and its
            // range must reach its previous value and five beyond it.
            if wasWithheld[cell] != nil { fixed.withheld[cell] = .revision }
            guard let before = wasPublished[cell] ?? wasCounted[cell] else { continue }
            let change = count - before
            guard change != 0, abs(change) <= 4 else { continue }
            fixed.withheld[cell] = .revision
            var low = Double(change > 0 ? before : max(0, before - 5)), high = Double(change > 0 ? before + 5 : before)
            if count >= 1 && count <= 4 { low = 0; high = max(high, 5) }
            fixed.intervals[cell] = low...high
        }
        // A small revision gives its records away whatever is withheld: refuse it unless told.
        if !allowSmallRevision {
            for period in revise.sorted() {
                let areas = Set(fixed.intervals.keys.filter { $0.key.period == period && $0.key.geography != TableStructure.scotland }.map(\.key.geography))
                guard !areas.isEmpty, areas.count < Self.smallestRevision else { continue }
                throw DisclosureControl.Failure(description: "a revision of \(period) would move counts by 1 to 4 in only \(areas.count) council area\(areas.count == 1 ? "" : "s"), so anyone holding both releases could tell which records moved; nothing was published. The changes stay held (table held_revision) until they reach at least \(Self.smallestRevision) areas or the scheduled revision; to publish now regardless, add --allow-small-revision", subject: "--revise \(period)")
            }
        }
        return fixed
    }

    /// The published values: frozen periods exactly as the previous release published them; revised
    /// values that changed marked [r].
    public func finish(_ published: [IndicatorValue]) -> [IndicatorValue] {
        guard let previous else { return published }
        let frozen = frozenPairs
        let before = Dictionary(previous.published.map { (Self.id($0), $0) }, uniquingKeysWith: { first, _ in first })
        // In place, so a release's rows keep one order whatever the release before it.
        var result: [IndicatorValue] = []
        var placed: Set<String> = []
        for value in published {
            guard frozen.contains(Pair(indicator: value.indicatorID, period: value.key.period)) else { result.append(value); continue }
            if let old = before[Self.id(value)] { result.append(old); placed.insert(Self.id(old)) }
        }
        result += previous.published.filter { frozen.contains(Pair(indicator: $0.indicatorID, period: $0.key.period)) && !placed.contains(Self.id($0)) }
        for index in result.indices where revise.contains(result[index].key.period) {
            let value = result[index]
            guard let old = before[Self.id(value)], old.value != nil, value.value != nil, !Self.sameFigures(old, value), value.marker == nil else { continue }
            result[index].marker = .revised
        }
        return result
    }
}

/// The published part of the survey's answer distribution (`survey_answer_distribution`): how many
/// gave each answer to a topic across Scotland, by age group. Every answer count is a count of
/// children, so an age group is published only where
/// - the survey result for that topic, wave, Scotland and age group is published with both counts
///   (otherwise the answers would give away a withheld group), and
/// - no answer was given by 1 to 4, and no answer was left by 1 to 4 of those who answered ("21 of 23
///   said yes" says that 2 did not).
/// Under the revisions policy a wave the last release published keeps exactly its published rows; a
/// revision release leaves out an age group any of whose answers moved by 1 to 4.
public enum PublishedAnswers {
    public static var table: TableSpec {
        let derived = ExperientialStream.derived.first { $0.name == "survey_answer_distribution" }!
        return TableSpec("published_answer_distribution", kind: .indicator,
                         description: "What is published of survey_answer_distribution (the public file's table of that name): an age group's answers to a topic in a wave only where the survey result for that topic, wave, Scotland and age group is published with both counts, and no answer count, nor the number who did not give an answer, is from 1 to 4. A wave the previous release published keeps its published rows (revisions policy).",
                         columns: derived.columns)
    }

    /// Age groups whose result is published with both counts, for every indicator of the topic.
    static let candidatesSQL = """
        SELECT d.* FROM survey_answer_distribution d
        WHERE EXISTS (SELECT 1 FROM indicator i WHERE i.survey_topic = d.topic)
          AND NOT EXISTS (
            SELECT 1 FROM indicator i
            LEFT JOIN published_indicator_value v ON v.indicator_id = i.indicator_id AND v.period_id = d.wave
                 AND v.geography_code = 'S92000003' AND v.breakdown_type = 'age_group' AND v.breakdown_code = d.age_group
            WHERE i.survey_topic = d.topic
              AND (v.indicator_id IS NULL OR v.numerator IS NULL OR v.denominator IS NULL OR v.marker IS '[c]'))
        ORDER BY d.wave, d.topic, d.age_group, d.sort_order, d.answer
        """

    /// Fills the table (made by compute); returns how many age groups were left out for small answer counts.
    @discardableResult
    public static func write(policy: RevisionPolicy, surveyWaves: Set<String>, largest: Int, db: Database) throws -> Int {
        let spec = table
        let columns = spec.columns.map(\.name)
        struct Group: Hashable { var wave: String; var topic: String; var ageGroup: String }
        func group(_ row: Row) -> Group { Group(wave: row["wave"], topic: row["topic"], ageGroup: row["age_group"]) }
        let candidates = Dictionary(grouping: try Row.fetchAll(db, sql: candidatesSQL), by: group)
        let previousRows = policy.previous?.answers ?? []
        let previous = Dictionary(grouping: previousRows, by: group)
        // Waves the last release published a survey result for, not revised now: frozen.
        let published = Set((policy.previous?.published ?? []).map(\.key.period)).intersection(surveyWaves)
        let frozen = policy.previous?.answers == nil ? Set<String>() : published.subtracting(policy.revise)
        func small(_ n: Int) -> Bool { n >= 1 && n <= largest }
        var rows: [Row] = previousRows.filter { frozen.contains($0["wave"]) }
        var leftOut = 0
        for (key, members) in candidates where !frozen.contains(key.wave) {
            let groupAnswers: Int = members[0]["group_answers"]
            if members.contains(where: { small($0["answers"]) || small(groupAnswers - ($0["answers"] as Int)) }) { leftOut += 1; continue }
            // A revision that moved an answer by 1 to 4 would isolate those children between releases.
            if policy.revise.contains(key.wave), let before = previous[key] {
                let old = Dictionary(before.map { ($0["answer"] as String, $0["answers"] as Int) }, uniquingKeysWith: { a, _ in a })
                if members.contains(where: { small(abs(($0["answers"] as Int) - (old[$0["answer"]] ?? 0))) }) { leftOut += 1; continue }
            }
            rows += members
        }
        rows.sort { (group($0).wave, group($0).topic, group($0).ageGroup, $0["sort_order"] as Int? ?? 0, $0["answer"] as String)
            < (group($1).wave, group($1).topic, group($1).ageGroup, $1["sort_order"] as Int? ?? 0, $1["answer"] as String) }
        let insert = try BulkInsert(into: spec.name, columns: columns, in: db)
        for row in rows { try insert.insert(columns.map { row[$0] as DatabaseValue }) }
        return leftOut
    }
}
