import Foundation
import GRDB

/// Computes every value of one indicator: runs its SQL (one row per council area, period and
/// breakdown category), rolls categories up to explicit totals, adds Scotland as the sum of the
/// council areas, fills categories with no rows as zero, and works out the value and its intervals.
public struct IndicatorEngine {
    /// Everything the engine lays values out over.
    public struct Frame: Sendable {
        public var periods: [String]
        public var councilAreas: [String]
        public var scotland: String
        public var categories: [IndicatorDefinition.Breakdown: [String]]

        public static func load(from db: Database, periodType: String) throws -> Frame {
            Frame(
                periods: try String.fetchAll(db, sql: "SELECT period_id FROM period WHERE period_type = ? ORDER BY sort_key", arguments: [periodType]),
                councilAreas: try String.fetchAll(db, sql: "SELECT geography_code FROM geography WHERE geography_type = 'council_area' ORDER BY geography_code"),
                scotland: try String.fetchOne(db, sql: "SELECT geography_code FROM geography WHERE geography_type = 'country'") ?? "S92000003",
                categories: [
                    .sex: try String.fetchAll(db, sql: "SELECT code FROM codelist WHERE codelist = 'sex' ORDER BY sort_order"),
                    .ageBand: try String.fetchAll(db, sql: "SELECT age_band_code FROM age_band ORDER BY sort_order"),
                    .placementType: try String.fetchAll(db, sql: "SELECT placement_type_code FROM placement_type ORDER BY sort_order"),
                    .ageGroup: try String.fetchAll(db, sql: "SELECT code FROM codelist WHERE codelist = 'survey_age_group' ORDER BY sort_order"),
                    .foundation: try String.fetchAll(db, sql: "SELECT foundation_id FROM foundation ORDER BY sort_order"),
                ])
        }
    }

    /// Code used for a breakdown value the SQL returned as NULL, so categories still add up to the total.
    public static let unknownCategory = "unknown"

    /// Longest one query may run, in seconds.
    public var queryTimeLimit: Double

    public init(queryTimeLimit: Double = 300) {
        self.queryTimeLimit = queryTimeLimit
    }

    /// Runs one measure's SQL read-only and bounded (``BoundedQuery``), naming the definition on refusal.
    func bounded<T>(_ definition: IndicatorDefinition, _ measure: IndicatorDefinition.Measure, field: String, db: Database, _ body: () throws -> T) throws -> T {
        do {
            return try BoundedQuery.run(in: db, seconds: queryTimeLimit, body)
        } catch let refusal as BoundedQuery.Refusal {
            throw BoundedQuery.problem(refusal, definition: definition, line: measure.sqlLine, field: field)
        }
    }

    public func compute(_ definition: IndicatorDefinition, frame: Frame, db: Database) throws -> [IndicatorValue] {
        if definition.valueSource == .published { return try published(definition, frame: frame, db: db) }
        let numerators = definition.numerator.population?.overlapping == true
            ? try distinctCounts(definition.numerator, definition: definition, frame: frame, db: db)
            : try sums(definition.numerator, column: "numerator", definition: definition, frame: frame, db: db)
        let denominators = try definition.denominator.map { try sums($0, column: "denominator", definition: definition, frame: frame, db: db) }
        // A mean also needs the sum of squares of what it averages, for its t interval.
        let squares = definition.valueType == .mean ? try sums(definition.numerator, column: "sum_of_squares", definition: definition, frame: frame, db: db) : nil
        // A period has data when either count has rows: with a denominator there, a numerator with
        // none is a true zero (0 of 4 commitments delivered), not a value the source lacks.
        let periodsWithData = Set(numerators.cells.keys.map(\.period)).union(denominators.map { Set($0.cells.keys.map(\.period)) } ?? [])

        var values: [IndicatorValue] = []
        for period in frame.periods {
            // An indicator published for Scotland only has no council rows at all.
            for geography in [frame.scotland] + (definition.councilAreaValues ? frame.councilAreas : []) {
                var keys = [CellKey(period: period, geography: geography)]
                // Breakdowns not listed for council areas are published for Scotland only.
                for breakdown in definition.breakdowns where geography == frame.scotland || definition.councilAreaBreakdowns.contains(breakdown) {
                    var categories = frame.categories[breakdown] ?? []
                    if numerators.unknown.contains(breakdown) { categories.append(Self.unknownCategory) }
                    keys += categories.map { CellKey(period: period, geography: geography, breakdownType: breakdown.rawValue, breakdownCode: $0) }
                }
                // A council area with no respondents in a survey wave did not take part: not available, not zero.
                let tookPart = definition.evidence != .experiential || geography == frame.scotland
                    || (denominators?.value(CellKey(period: period, geography: geography), frame: frame) ?? 1) > 0
                for key in keys {
                    var row = IndicatorValue(indicatorID: definition.id, key: key)
                    guard periodsWithData.contains(period), tookPart else {
                        row.marker = .notAvailable
                        values.append(row)
                        continue
                    }
                    let n = numerators.value(key, frame: frame)
                    row.numerator = Int(n)
                    if let denominators {
                        // A breakdown the denominator does not have (e.g. a rate by sex) uses the total denominator.
                        let dKey = denominators.breakdowns.contains(key.breakdownType) ? key
                            : CellKey(period: key.period, geography: key.geography)
                        let d = denominators.value(dKey, frame: frame)
                        row.denominator = d
                        Self.fill(&row, numerator: Int(n), denominator: d, valueType: definition.valueType)
                        if let squares, d > 0 {
                            Self.fillMean(&row, sum: n, sumOfSquares: squares.value(key, frame: frame), count: d)
                        }
                    } else {
                        row.value = n
                    }
                    values.append(row)
                }
            }
        }
        return values
    }

    /// Values taken from a published table: per period and area the latest vintage, marked [r] when an
    /// earlier vintage gave a different value; [x] where the source has nothing. Scotland is as published.
    func published(_ definition: IndicatorDefinition, frame: Frame, db: Database) throws -> [IndicatorValue] {
        struct Vintage { var date: String; var value: Double?; var marker: String? }
        var vintages: [CellKey: [Vintage]] = [:]
        let areas = Set(frame.councilAreas + [frame.scotland])
        let periods = Set(frame.periods)
        let statement = try prepare(definition.numerator.sql, definition.numerator, field: "numerator.sql", definition: definition, db: db)
        let fetched = try bounded(definition, definition.numerator, field: "numerator.sql", db: db) { try Row.fetchAll(statement) }
        for row in fetched {
            let period: String? = row["period_id"], area: String? = row["geography_code"]
            guard let period, periods.contains(period), let area, areas.contains(area) else {
                throw Problem(file: definition.file, line: definition.numerator.sqlLine, field: "numerator.sql",
                              message: "the query returned period_id '\(period ?? "NULL")' and geography_code '\(area ?? "NULL")'; expected a \(definition.periodType) period and Scotland or a council area")
            }
            vintages[CellKey(period: period, geography: area), default: []].append(Vintage(date: row["vintage"], value: row["value"], marker: row["marker"]))
        }
        var values: [IndicatorValue] = []
        for period in frame.periods {
            for area in [frame.scotland] + frame.councilAreas {
                let key = CellKey(period: period, geography: area)
                var row = IndicatorValue(indicatorID: definition.id, key: key)
                guard let history = vintages[key]?.sorted(by: { $0.date < $1.date }), let latest = history.last else {
                    row.marker = .notAvailable
                    values.append(row)
                    continue
                }
                row.value = latest.value
                row.marker = latest.marker.flatMap(Marker.init(rawValue:))
                if row.marker == nil, history.dropLast().contains(where: { $0.value != latest.value }) { row.marker = .revised }
                if row.value == nil, row.marker == nil { row.marker = .notAvailable }
                values.append(row)
            }
        }
        return values
    }

    /// Value and t intervals for a mean.
    static func fillMean(_ row: inout IndicatorValue, sum: Double, sumOfSquares: Double, count: Double) {
        row.value = sum / count
        if count > 1 { row.standardDeviation = max(0, (sumOfSquares - sum * sum / count) / (count - 1)).squareRoot() }
        if let ci95 = ConfidenceInterval.mean(sum: sum, sumOfSquares: sumOfSquares, count: count, level: .ninetyFive),
           let ci998 = ConfidenceInterval.mean(sum: sum, sumOfSquares: sumOfSquares, count: count, level: .ninetyNinePointEight) {
            (row.lower95, row.upper95, row.lower998, row.upper998) = (ci95.lower, ci95.upper, ci998.lower, ci998.upper)
            row.ciMethod = ConfidenceInterval.Method.studentT.rawValue
        }
    }

    /// Value and intervals for a percentage or rate.
    static func fill(_ row: inout IndicatorValue, numerator n: Int, denominator d: Double, valueType: IndicatorDefinition.ValueType) {
        guard d > 0 else {
            row.marker = .notApplicable
            return
        }
        switch valueType {
        case .mean:
            row.value = Double(n) / d   // intervals: fillMean
        case .count, .median, .ratio:
            row.value = Double(n)
        case .percentage:
            row.value = 100 * Double(n) / d
            if let ci95 = ConfidenceInterval.wilson(successes: Double(n), trials: d, level: .ninetyFive),
               let ci998 = ConfidenceInterval.wilson(successes: Double(n), trials: d, level: .ninetyNinePointEight) {
                (row.lower95, row.upper95) = (100 * ci95.lower, 100 * ci95.upper)
                (row.lower998, row.upper998) = (100 * ci998.lower, 100 * ci998.upper)
                row.ciMethod = ConfidenceInterval.Method.wilson.rawValue
            }
        case .ratePer1000:
            row.value = 1000 * Double(n) / d
            let ci95 = ConfidenceInterval.poissonCount(n, level: .ninetyFive)
            let ci998 = ConfidenceInterval.poissonCount(n, level: .ninetyNinePointEight)
            (row.lower95, row.upper95) = (1000 * ci95.lower / d, 1000 * ci95.upper / d)
            (row.lower998, row.upper998) = (1000 * ci998.lower / d, 1000 * ci998.upper / d)
            row.ciMethod = ci95.method.rawValue
        }
    }

    // MARK: - Sums

    /// Council-level sums at every breakdown level, with Scotland derived on demand.
    struct Sums {
        var cells: [CellKey: Double] = [:]
        /// Breakdown columns the query returned.
        var breakdowns: Set<String> = ["total"]
        /// Breakdowns for which the query returned NULL categories.
        var unknown: Set<IndicatorDefinition.Breakdown> = []
        /// Set when Scotland is counted by its own query (distinct children), or given directly by an
        /// indicator published for Scotland only (national commitments), not added up.
        var countedScotland = false

        func value(_ key: CellKey, frame: Frame) -> Double {
            if key.geography == frame.scotland, !countedScotland {
                return frame.councilAreas.reduce(0) { total, area in
                    total + (cells[CellKey(period: key.period, geography: area, breakdownType: key.breakdownType, breakdownCode: key.breakdownCode)] ?? 0)
                }
            }
            return cells[key] ?? 0
        }
    }

    /// Prepares a measure's SQL read-only, naming the definition when it fails.
    private func prepare(_ sql: String, _ measure: IndicatorDefinition.Measure, field: String, definition: IndicatorDefinition, db: Database) throws -> Statement {
        do {
            return try bounded(definition, measure, field: field, db: db) { try BoundedQuery.prepare(sql, in: db) }
        } catch let error as DatabaseError {
            throw Problem(file: definition.file, line: measure.sqlLine, field: field, message: "the SQL failed: \(error.message ?? "\(error)")")
        }
    }

    /// Reads the key columns of one row a measure's query returned (period, council area, breakdown
    /// category), refusing any value outside the frame with the definition's file, line and field.
    private struct KeyReader {
        let definition: IndicatorDefinition
        let measure: IndicatorDefinition.Measure
        let field: String
        let frame: Frame
        let periods: Set<String>
        let areas: Set<String>

        init(_ definition: IndicatorDefinition, _ measure: IndicatorDefinition.Measure, field: String, frame: Frame) {
            (self.definition, self.measure, self.field, self.frame) = (definition, measure, field, frame)
            periods = Set(frame.periods)
            areas = Set(frame.councilAreas)
        }

        func problem(_ message: String) -> Problem {
            Problem(file: definition.file, line: measure.sqlLine, field: field, message: message)
        }

        func period(_ row: Row) throws -> String {
            guard let period: String = row["period_id"], periods.contains(period) else {
                throw problem("the query returned period_id '\(row["period_id"] as String? ?? "NULL")', which is not a \(definition.periodType) period in seeds/period.csv")
            }
            return period
        }

        func area(_ row: Row, note: String) throws -> String {
            // An indicator published for Scotland only may give Scotland directly (national records).
            if !definition.councilAreaValues, let area: String = row["geography_code"], area == frame.scotland { return area }
            guard let area: String = row["geography_code"], areas.contains(area) else {
                throw problem("the query returned geography_code '\(row["geography_code"] as String? ?? "NULL")'; expected current council area codes only\(note)")
            }
            return area
        }

        /// The category code, or nil where the query returned NULL.
        func category(_ row: Row, _ breakdown: IndicatorDefinition.Breakdown) throws -> String? {
            guard let value: String = row[breakdown.rawValue] else { return nil }
            guard frame.categories[breakdown]?.contains(value) ?? false else {
                throw problem("the query returned \(breakdown.rawValue) '\(value)'; expected one of \((frame.categories[breakdown] ?? []).joined(separator: ", ")) or NULL")
            }
            return value
        }
    }

    /// Distinct children, each level by its own query over the definition's rows (one per child and
    /// event, with `unit_id`): council and Scotland, total and every category. A child who starts twice
    /// either side of a birthday, or in two council areas, is counted once in the total and in Scotland.
    private func distinctCounts(_ measure: IndicatorDefinition.Measure, definition: IndicatorDefinition, frame: Frame, db: Database) throws -> Sums {
        let reader = KeyReader(definition, measure, field: "numerator.sql", frame: frame)
        var sums = Sums()
        sums.countedScotland = true
        let returned = Set(try prepare(measure.sql, measure, field: reader.field, definition: definition, db: db).columnNames)
        let breakdowns = definition.breakdowns.filter { returned.contains($0.rawValue) }
        sums.breakdowns.formUnion(breakdowns.map(\.rawValue))
        let body = measure.sql.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: ";"))
        for byArea in [true, false] {
            for breakdown in [nil] + breakdowns.map(Optional.some) {
                let columns = ["period_id"] + (byArea ? ["geography_code"] : []) + (breakdown.map { [$0.rawValue] } ?? [])
                let sql = "SELECT \(columns.joined(separator: ", ")), COUNT(DISTINCT unit_id) AS n FROM (\(body)) GROUP BY \(columns.joined(separator: ", "))"
                let statement = try prepare(sql, measure, field: reader.field, definition: definition, db: db)
                for row in try bounded(definition, measure, field: reader.field, db: db, { try Row.fetchAll(statement) }) {
                    var key = CellKey(period: try reader.period(row), geography: byArea ? try reader.area(row, note: "") : frame.scotland)
                    if let breakdown {
                        let code = try reader.category(row, breakdown)
                        if code == nil { sums.unknown.insert(breakdown) }
                        key.breakdownType = breakdown.rawValue
                        key.breakdownCode = code ?? Self.unknownCategory
                    }
                    sums.cells[key] = row["n"]
                }
            }
        }
        return sums
    }

    private func sums(_ measure: IndicatorDefinition.Measure, column: String, definition: IndicatorDefinition, frame: Frame, db: Database) throws -> Sums {
        let reader = KeyReader(definition, measure, field: "\(column).sql", frame: frame)
        let statement = try prepare(measure.sql, measure, field: reader.field, definition: definition, db: db)
        let returned = Set(statement.columnNames)
        let breakdowns = definition.breakdowns.filter { returned.contains($0.rawValue) }
        var sums = Sums()
        sums.breakdowns.formUnion(breakdowns.map(\.rawValue))
        let fetched = try bounded(definition, measure, field: reader.field, db: db) { try Row.fetchAll(statement) }
        for row in fetched {
            let period = try reader.period(row)
            let area = try reader.area(row, note: " (Scotland is added as their sum)")
            if area == frame.scotland { sums.countedScotland = true }
            let amount: Double = row[column] ?? 0
            sums.cells[CellKey(period: period, geography: area), default: 0] += amount
            for breakdown in breakdowns {
                let code = try reader.category(row, breakdown)
                if code == nil { sums.unknown.insert(breakdown) }
                sums.cells[CellKey(period: period, geography: area, breakdownType: breakdown.rawValue, breakdownCode: code ?? Self.unknownCategory), default: 0] += amount
            }
        }
        return sums
    }
}
