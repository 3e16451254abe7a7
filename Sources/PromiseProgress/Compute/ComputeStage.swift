import Foundation
import GRDB

/// Compute: validates the indicator definitions, runs each one, stores every value in
/// `indicator_value`, then applies disclosure control once and stores what may be published in
/// `published_indicator_value`.
public struct ComputeStage: PipelineStage {
    public let name = "compute"
    public init() {}

    public func run(_ context: PipelineContext) throws -> String {
        let store = try context.openWorkStore()
        let layout = context.layout
        var computed = 0
        var suppressed = 0
        var indicatorCount = 0
        try store.queue.write { db in
            try Store.require((StreamRegistry.cleanTables + StreamRegistry.derivedTables).map(\.name), before: name, runFirst: "load", in: db)
            let (catalogue, problems) = try IndicatorCatalogue.inspect(directory: layout.indicatorsDirectory, vocabulary: try .load(from: db), display: layout.display)
            let allProblems = problems + catalogue.checkSQL(in: db)
            if !allProblems.isEmpty { throw ProblemReport(allProblems) }
            let rules = try DisclosureRulesFile.load(layout: layout)
            indicatorCount = catalogue.definitions.count

            var values: [IndicatorValue] = []
            let engine = IndicatorEngine(queryTimeLimit: layout.queryTimeLimit)
            var frames: [String: IndicatorEngine.Frame] = [:]
            for definition in catalogue.definitions {
                let frame = try frames[definition.periodType] ?? IndicatorEngine.Frame.load(from: db, periodType: definition.periodType)
                frames[definition.periodType] = frame
                let started = Date()
                let result = try engine.compute(definition, frame: frame, db: db)
                values += result
                context.logger.log("  \(definition.id): \(result.count) values (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
            }
            try Self.checkSameCells(values, catalogue: catalogue)
            // The revisions policy: periods the last release published stay as it published them.
            let policy = RevisionPolicy(previous: try RevisionPolicy.PreviousRelease.load(from: layout.publishedStoreURL), revise: layout.revisePeriods,
                                        allowSmallRevision: layout.allowSmallRevision)
            let held: [RevisionPolicy.Held]
            (values, held) = policy.hold(values)
            Self.logHeld(held, definitions: catalogue.definitions, revise: layout.revisePeriods, logger: context.logger)
            values = Benchmarking.apply(values, definitions: catalogue.definitions)
            // Disclosure control, then benchmarks and ranks again among published values only.
            var report = DisclosureControl.Report()
            let placementTypes = Set(try String.fetchAll(db, sql: "SELECT placement_type_code FROM placement_type"))
            let published: [IndicatorValue]
            do {
                let previousPeriod = try TableStructure.previousPeriods(in: db)
                published = policy.finish(Benchmarking.apply(try DisclosureControl.apply(values, definitions: catalogue.definitions, rules: rules,
                                                                                          placementTypes: placementTypes, previousPeriod: previousPeriod,
                                                                                          policy: policy, report: &report),
                                                             definitions: catalogue.definitions))
            } catch let failure as DisclosureControl.Failure {
                throw Problem(file: failure.subject ?? layout.display(layout.configDirectory.appendingPathComponent("disclosure-control.yml")), message: failure.description)
            }
            let directions = Self.directions(published, definitions: catalogue.definitions)

            try store.recreate(Schema.indicatorTables.filter { ["indicator", "measure_population", "indicator_value", "published_indicator_value", "direction_of_travel", "held_revision"].contains($0.name) }
                               + [Self.bandTable, RevisionPolicy.withheldCells, PublishedAnswers.table], in: db)
            try Self.insert(catalogue.definitions, db: db)
            try Self.insertPopulations(catalogue.definitions, db: db)
            try Self.insert(values, into: "indicator_value", db: db)
            try Self.insert(published, into: "published_indicator_value", db: db)
            try Self.insert(directions, db: db)
            try Self.insert(held, definitions: catalogue.definitions, db: db)
            try RevisionPolicy.insertWithheld(report.hidden, db: db)
            try Self.insertBands(DisclosureControl.responseBands(values, definitions: catalogue.definitions), db: db)
            let surveyWaves = Set(values.filter { v in catalogue.definition(v.indicatorID)?.evidence == .experiential }.map(\.key.period))
            let leftOut = try PublishedAnswers.write(policy: policy, surveyWaves: surveyWaves, largest: rules.largestSuppressedCount, db: db)
            if leftOut > 0 { context.logger.log("  answer distribution: \(leftOut) age group(s) of a topic left out, an answer count or those not giving it from 1 to \(rules.largestSuppressedCount)") }
            computed = values.count
            suppressed = published.filter { $0.suppressionRule != nil }.count
            let share = report.totalCount > 0 ? Double(report.withheldCount) / Double(report.totalCount) : 0
            try db.execute(sql: """
                UPDATE run SET values_computed = ?, values_suppressed = ?, values_low_reliability = ?, cells_counted = ?,
                  cells_withheld_primary = ?, cells_withheld_group = ?, cells_withheld_secondary = ?, cells_withheld_protection = ?,
                  cells_withheld_revision = ?, values_held_for_revision = ?,
                  count_total = ?, count_withheld = ?, disclosure_relations = ?, disclosure_linear_programs = ?, disclosure_seconds = ?
                WHERE run_id = ?
                """, arguments: [computed, suppressed, published.filter { $0.marker == .lowReliability }.count, report.cells,
                                 report.withheld[.primary] ?? 0, report.withheld[.group] ?? 0, report.withheld[.secondary] ?? 0, report.withheld[.protection] ?? 0,
                                 report.withheld[.revision] ?? 0, held.count,
                                 report.totalCount, report.withheldCount, report.relations, report.linearProgramsSolved, report.seconds, context.runID])
            context.logger.log("  disclosure control: \(report.cells) counts in \(report.relations) relations; withheld \(report.withheldTotal) (primary \(report.withheld[.primary] ?? 0), group \(report.withheld[.group] ?? 0), secondary \(report.withheld[.secondary] ?? 0), protection \(report.withheld[.protection] ?? 0), revision \(report.withheld[.revision] ?? 0)), hiding \(String(format: "%.2f", 100 * share))% of the total count; \(report.linearProgramsSolved) linear programmes in \(report.rounds) rounds, \(String(format: "%.2f", report.seconds)) s")
        }
        return "\(indicatorCount) indicators, \(computed) values, \(suppressed) suppressed for publication"
    }

    static let bandTable = TableSpec("survey_response_band", kind: .indicator,
        description: "Whether each survey group's response was under a fifth of those invited (low response), for every group whose invitations are recorded, including those whose response rate is withheld: results from a low-response group may not represent it. Protected with the published counts: an attacker reads each band as an inequality between the group's respondents and those invited.",
        columns: [
            ColumnSpec("indicator_id", "TEXT", "NOT NULL", "The response-rate indicator."),
            ColumnSpec("period_id", "TEXT", "NOT NULL", "Survey wave."),
            ColumnSpec("geography_code", "TEXT", "NOT NULL", "Area."),
            ColumnSpec("breakdown_type", "TEXT", "NOT NULL", "total or age_group."),
            ColumnSpec("breakdown_code", "TEXT", "NOT NULL", "Category."),
            ColumnSpec("response_under_a_fifth", "INTEGER", "NOT NULL", "1 when fewer than a fifth of those invited answered (shown as (low) beside results), 0 otherwise."),
        ], tableConstraints: ["PRIMARY KEY (indicator_id, period_id, geography_code, breakdown_type, breakdown_code)"])

    static func insertBands(_ bands: [(indicatorID: String, key: CellKey, below: Bool)], db: Database) throws {
        let insert = try BulkInsert(into: bandTable.name, columns: bandTable.columns.map(\.name), in: db)
        for band in bands.sorted(by: { ($0.indicatorID, $0.key) < ($1.indicatorID, $1.key) }) {
            try insert.insert([band.indicatorID, band.key.period, band.key.geography, band.key.breakdownType, band.key.breakdownCode, band.below ? 1 : 0])
        }
    }

    /// The stream an indicator's values come from, in words.
    static func stream(of definition: IndicatorDefinition?) -> String {
        guard let definition else { return "unknown" }
        switch (definition.evidence, definition.valueSource) {
        case (.experiential, _): return "survey"
        case (.qualitative, _): return "commitments tracker"
        case (_, .published): return "published tables"
        default: return "child-level records"
        }
    }

    /// One warning per period and stream with values held for a revision release.
    static func logHeld(_ held: [RevisionPolicy.Held], definitions: [IndicatorDefinition], revise: Set<String>, logger: RunLogger) {
        let byID = Dictionary(uniqueKeysWithValues: definitions.map { ($0.id, $0) })
        let groups = Dictionary(grouping: held) { "\($0.key.period)|\(stream(of: byID[$0.indicatorID]))" }
        for key in groups.keys.sorted() {
            let parts = key.split(separator: "|").map(String.init)
            logger.log("held for revision: \(groups[key]!.count) value(s) of \(parts[0]) from the \(parts[1]) differ from the published release; they stay as published (table held_revision) until a revision release: build --revise \(parts[0])", level: .warning)
        }
        if !revise.isEmpty { logger.log("  revision release of \(revise.sorted().joined(separator: ", ")): counts revised by 1 to 4 are withheld, revised figures marked [r]") }
    }

    static func insert(_ held: [RevisionPolicy.Held], definitions: [IndicatorDefinition], db: Database) throws {
        let byID = Dictionary(uniqueKeysWithValues: definitions.map { ($0.id, $0) })
        let spec = Schema.indicatorTables.first { $0.name == "held_revision" }!
        let insert = try BulkInsert(into: spec.name, columns: spec.columns.map(\.name), in: db)
        for h in held {
            try insert.insert([h.indicatorID, h.key.period, h.key.geography, h.key.breakdownType, h.key.breakdownCode, stream(of: byID[h.indicatorID]),
                               h.published?.numerator, h.published?.denominator, h.published?.value, h.current?.numerator, h.current?.denominator, h.current?.value])
        }
    }

    /// Measures declared to count the same children (same population and conditions) are one cell to
    /// disclosure control, so they must have the same value everywhere; a difference would be a leak.
    static func checkSameCells(_ values: [IndicatorValue], catalogue: IndicatorCatalogue) throws {
        let canonical = TableStructure.canonicalMeasures(DisclosureControl.declarations(catalogue.definitions))
        var seen: [TableStructure.Cell: (Double, String)] = [:]
        for value in values.sorted(by: { ($0.indicatorID, $0.key) < ($1.indicatorID, $1.key) }) where value.marker != .notAvailable {
            for (part, amount) in [("numerator", value.numerator.map(Double.init)), ("denominator", value.denominator)] {
                let measure = "\(value.indicatorID).\(part)"
                guard let amount, let target = canonical[measure] else { continue }
                let cell = TableStructure.Cell(target, value.key)
                if let (other, from) = seen[cell], other != amount {
                    let definition = catalogue.definition(value.indicatorID)
                    throw Problem(file: definition?.file ?? value.indicatorID, field: "\(part).counts",
                                  message: "counts the same children as \(from) but differs for \(value.key.period) \(value.key.geography) \(value.key.breakdownType)=\(value.key.breakdownCode): \(amount) against \(other)")
                }
                seen[cell] = seen[cell] ?? (amount, measure)
            }
        }
    }

    /// One row per measure, attribute and allowed code: the `counts:` declarations, public so anyone can
    /// rebuild the relations between the published counts.
    static func insertPopulations(_ definitions: [IndicatorDefinition], db: Database) throws {
        let spec = Schema.indicatorTables.first { $0.name == "measure_population" }!
        let insert = try BulkInsert(into: spec.name, columns: spec.columns.map(\.name), in: db)
        for definition in definitions {
            for (part, measure) in [("numerator", definition.numerator), ("denominator", definition.denominator)] {
                guard let measure, let population = measure.population else { continue }
                let overlapping = population.overlapping ? 1 : 0
                let unit = population.unit.rawValue
                if population.conditions.isEmpty {
                    try insert.insert([definition.id, part, population.name, overlapping, nil, nil, unit])
                }
                for attribute in population.conditions.keys.sorted() {
                    for code in population.conditions[attribute]!.sorted() {
                        try insert.insert([definition.id, part, population.name, overlapping, attribute, code, unit])
                    }
                }
            }
        }
    }

    /// Both rules for every indicator and area, from the published total series.
    static func directions(_ published: [IndicatorValue], definitions: [IndicatorDefinition]) -> [(indicator: String, geography: String, result: DirectionOfTravel)] {
        let byID = Dictionary(uniqueKeysWithValues: definitions.map { ($0.id, $0) })
        let totals = published.filter { $0.key.isTotal && $0.marker != .notAvailable }
        let series = Dictionary(grouping: totals) { "\($0.indicatorID)|\($0.key.geography)" }
        var result: [(String, String, DirectionOfTravel)] = []
        for key in series.keys.sorted() {
            let rows = series[key]!.sorted { $0.key.period < $1.key.period }
            guard let definition = byID[rows[0].indicatorID] else { continue }
            let points = rows.map { DirectionOfTravel.Point(period: $0.key.period, value: $0.value, numerator: $0.numerator, denominator: $0.denominator, standardDeviation: $0.standardDeviation) }
            result.append((definition.id, rows[0].key.geography,
                           DirectionOfTravel.npfChange(points, threshold: definition.directionThreshold, unit: definition.directionThresholdUnit, polarity: definition.polarity,
                                                      valueType: definition.valueType, requireSignificance: rows[0].key.geography != TableStructure.scotland)))
            result.append((definition.id, rows[0].key.geography,
                           DirectionOfTravel.linearTrend(points, valueType: definition.valueType, polarity: definition.polarity)))
        }
        return result
    }

    static func insert(_ directions: [(indicator: String, geography: String, result: DirectionOfTravel)], db: Database) throws {
        let spec = Schema.indicatorTables.first { $0.name == "direction_of_travel" }!
        let insert = try BulkInsert(into: spec.name, columns: spec.columns.map(\.name), in: db)
        for (indicator, geography, d) in directions {
            try insert.insert([indicator, geography, d.rule.rawValue, d.status.rawValue, d.reason, d.fromPeriod, d.toPeriod, d.points, d.inputs, d.statistic, d.threshold, d.pValue,
                               d.thresholdMet.map { $0 ? 1 : 0 }, d.significanceTest, d.significancePValue])
        }
    }

    static func insert(_ definitions: [IndicatorDefinition], db: Database) throws {
        let insert = try BulkInsert(into: "indicator", columns: Schema.indicatorTables[0].columns.map(\.name), in: db)
        for d in definitions {
            try insert.insert([
                d.id, d.title, d.shortTitle, d.shortDefinition, d.definition, d.outcome, d.foundation, d.visionStatement, d.role.rawValue, d.valueType.rawValue, d.valueSource.rawValue, d.evidence.rawValue, d.surveyTopic, d.responseRateIndicator,
                d.unit, d.polarity.rawValue, d.numerator.description, d.numerator.sql, d.denominator?.description, d.denominator?.sql,
                d.breakdowns.map(\.rawValue).joined(separator: ","), d.councilAreaValues ? 1 : 0, d.councilAreaBreakdowns.map(\.rawValue).joined(separator: ","), d.source, d.periodType, d.periodBasis.rawValue, d.caveats,
                d.confidenceMethod.rawValue, d.frequency.rawValue, d.publisher, d.lastUpdated, d.nextUpdateDue, d.headlineRule,
                d.directionThreshold, d.directionThresholdUnit.rawValue, d.file, d.sha256, d.target?.value, d.target?.label,
            ])
        }
    }

    static func insert(_ values: [IndicatorValue], into table: String, db: Database) throws {
        var columns = Schema.indicatorValueColumns.map(\.name)
        let published = table == "published_indicator_value"
        if published { columns.append("suppression_rule") }
        let insert = try BulkInsert(into: table, columns: columns, in: db)
        for v in values {
            var row: [(any DatabaseValueConvertible)?] = [
                v.indicatorID, v.key.period, v.key.geography, v.key.breakdownType, v.key.breakdownCode,
                v.numerator, v.denominator, v.value, v.marker?.rawValue,
                v.lower95, v.upper95, v.lower998, v.upper998, v.ciMethod, v.standardDeviation,
                v.benchmark, v.benchmarkMethod, v.rank, v.quintile,
            ]
            if published { row.append(v.suppressionRule) }
            try insert.insert(row)
        }
    }
}
