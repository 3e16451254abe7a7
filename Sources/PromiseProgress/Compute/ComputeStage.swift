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
            try Store.require(Schema.clean.map(\.name) + Schema.analysis.map(\.name), before: name, runFirst: "load", in: db)
            let (catalogue, problems) = try IndicatorCatalogue.inspect(directory: layout.indicatorsDirectory, vocabulary: try .load(from: db), display: layout.display)
            let allProblems = problems + catalogue.checkSQL(in: db)
            if !allProblems.isEmpty { throw ProblemReport(allProblems) }
            let rules = try DisclosureRulesFile.load(layout: layout, catalogue: catalogue)
            indicatorCount = catalogue.definitions.count

            var values: [IndicatorValue] = []
            let engine = IndicatorEngine()
            var frames: [String: IndicatorEngine.Frame] = [:]
            for definition in catalogue.definitions {
                let frame = try frames[definition.periodType] ?? IndicatorEngine.Frame.load(from: db, periodType: definition.periodType)
                frames[definition.periodType] = frame
                let started = Date()
                let result = try engine.compute(definition, frame: frame, db: db)
                values += result
                context.logger.log("  \(definition.id): \(result.count) values (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
            }
            try Self.checkSameAs(values, catalogue: catalogue)
            values = Benchmarking.apply(values, definitions: catalogue.definitions)
            // Benchmarks and ranks of published values are worked out again among published values only.
            let published = Benchmarking.apply(DisclosureControl.apply(values, definitions: catalogue.definitions, rules: rules), definitions: catalogue.definitions)
            let directions = Self.directions(published, definitions: catalogue.definitions)

            try store.recreate(Schema.indicatorTables.filter { ["indicator", "indicator_value", "published_indicator_value", "direction_of_travel"].contains($0.name) }, in: db)
            try Self.insert(catalogue.definitions, db: db)
            try Self.insert(values, into: "indicator_value", db: db)
            try Self.insert(published, into: "published_indicator_value", db: db)
            try Self.insert(directions, db: db)
            computed = values.count
            suppressed = published.filter { $0.suppressionRule != nil }.count
            let byRule = { (prefix: String) in published.filter { $0.suppressionRule?.hasPrefix(prefix) == true }.count }
            try db.execute(sql: """
                UPDATE run SET values_computed = ?, values_suppressed = ?, values_suppressed_primary = ?,
                  values_suppressed_secondary = ?, values_suppressed_derived = ? WHERE run_id = ?
                """, arguments: [computed, suppressed, byRule("primary"), byRule("secondary"), byRule("derived"), context.runID])
            for row in try Row.fetchAll(db, sql: """
                SELECT substr(suppression_rule, 1, instr(suppression_rule, ':') - 1) AS rule, COUNT(*) AS n
                FROM published_indicator_value WHERE suppression_rule IS NOT NULL GROUP BY 1 ORDER BY 1
                """) {
                context.logger.log("  suppressed by \(row["rule"] as String): \(row["n"] as Int)")
            }
        }
        return "\(indicatorCount) indicators, \(computed) values, \(suppressed) suppressed for publication"
    }

    /// A measure declared `same_as` another must have the same value everywhere: disclosure
    /// control treats them as one cell, so a difference would be a leak.
    static func checkSameAs(_ values: [IndicatorValue], catalogue: IndicatorCatalogue) throws {
        var lookup: [MeasureReference: [CellKey: Double]] = [:]
        for value in values {
            if let n = value.numerator { lookup[MeasureReference(indicator: value.indicatorID, part: .numerator), default: [:]][value.key] = Double(n) }
            if let d = value.denominator { lookup[MeasureReference(indicator: value.indicatorID, part: .denominator), default: [:]][value.key] = d }
        }
        for definition in catalogue.definitions {
            for (part, measure) in [(MeasureReference.Part.numerator, definition.numerator), (.denominator, definition.denominator)] {
                guard let measure, let target = measure.sameAs else { continue }
                let mine = lookup[MeasureReference(indicator: definition.id, part: part)] ?? [:]
                let theirs = lookup[target] ?? [:]
                for (key, value) in mine.sorted(by: { $0.key < $1.key }) {
                    if let other = theirs[key], other != value {
                        throw Problem(file: definition.file, line: measure.sqlLine, field: "\(part.rawValue).same_as",
                                      message: "declared the same as \(target), but differs for \(key.period) \(key.geography) \(key.breakdownType)=\(key.breakdownCode): \(value) against \(other)")
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
            let points = rows.map { DirectionOfTravel.Point(period: $0.key.period, value: $0.value, numerator: $0.numerator, denominator: $0.denominator) }
            result.append((definition.id, rows[0].key.geography,
                           DirectionOfTravel.npfChange(points, threshold: definition.directionThreshold, unit: definition.directionThresholdUnit, polarity: definition.polarity)))
            result.append((definition.id, rows[0].key.geography,
                           DirectionOfTravel.linearTrend(points, valueType: definition.valueType, polarity: definition.polarity)))
        }
        return result
    }

    static func insert(_ directions: [(indicator: String, geography: String, result: DirectionOfTravel)], db: Database) throws {
        let spec = Schema.indicatorTables.first { $0.name == "direction_of_travel" }!
        let insert = try BulkInsert(into: spec.name, columns: spec.columns.map(\.name), in: db)
        for (indicator, geography, d) in directions {
            try insert.insert([indicator, geography, d.rule.rawValue, d.status.rawValue, d.reason, d.fromPeriod, d.toPeriod, d.points, d.inputs, d.statistic, d.threshold, d.pValue])
        }
    }

    static func insert(_ definitions: [IndicatorDefinition], db: Database) throws {
        let insert = try BulkInsert(into: "indicator", columns: Schema.indicatorTables[0].columns.map(\.name), in: db)
        for d in definitions {
            try insert.insert([
                d.id, d.title, d.shortTitle, d.shortDefinition, d.definition, d.outcome, d.foundation, d.visionStatement, d.role.rawValue, d.valueType.rawValue, d.valueSource.rawValue,
                d.unit, d.polarity.rawValue, d.numerator.description, d.numerator.sql, d.denominator?.description, d.denominator?.sql,
                d.breakdowns.map(\.rawValue).joined(separator: ","), d.source, d.periodType, d.periodBasis.rawValue, d.caveats,
                d.confidenceMethod.rawValue, d.frequency.rawValue, d.publisher, d.lastUpdated, d.nextUpdateDue, d.headlineRule,
                d.directionThreshold, d.directionThresholdUnit.rawValue, d.file, d.sha256,
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
                v.lower95, v.upper95, v.lower998, v.upper998, v.ciMethod,
                v.benchmark, v.benchmarkMethod, v.rank, v.quintile,
            ]
            if published { row.append(v.suppressionRule) }
            try insert.insert(row)
        }
    }
}
