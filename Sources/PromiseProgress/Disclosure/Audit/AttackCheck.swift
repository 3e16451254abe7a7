import Foundation
import GRDB

/// The attack on withheld counts: every relation between counts rebuilt from the public file alone,
/// every published number fixed, and each withheld count bounded by linear programming; then the
/// same with the previous release held too. It also records what the public file states, so the
/// CSVs can be checked against it.
extension PublicationAudit {
    static func trueCounts(in db: Database) throws -> [String: Double] {
        var result: [String: Double] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT indicator_id, period_id, geography_code, breakdown_type, breakdown_code, numerator, denominator FROM indicator_value")
        while let row = try rows.next() {
            let place = "\(row["period_id"] as String)|\(row["geography_code"] as String)|\(row["breakdown_type"] as String)|\(row["breakdown_code"] as String)"
            if let n: Double = row["numerator"] { result["\(row["indicator_id"] as String).numerator|\(place)"] = n }
            if let d: Double = row["denominator"] { result["\(row["indicator_id"] as String).denominator|\(place)"] = d }
        }
        return result
    }

    /// The answers table restates survey results by age group: each age group's answers to a topic may be
    /// listed only where the result for that topic, wave, Scotland and age group is published, and must
    /// add up to it (favourable answers to the numerator, answers in the denominator to the
    /// denominator). Otherwise it would give away a withheld group.
    func answerFindings(_ db: Database, file: String) throws -> [Finding] {
        var findings: [Finding] = []
        // Every answer count is a count of children: neither it nor those not giving it from 1 to 4.
        for row in try Row.fetchAll(db, sql: "SELECT wave, topic, age_group, answer, answers, group_answers FROM survey_answer_distribution") {
            let answers: Int = row["answers"], others = (row["group_answers"] as Int) - answers
            for (count, who) in [(answers, "gave"), (others, "did not give")] where count >= 1 && count <= largestSuppressedCount {
                findings.append(Finding(file: file, place: "survey_answer_distribution \(row["wave"] as String) \(row["topic"] as String) age_group=\(row["age_group"] as String) answer=\(row["answer"] as String)",
                                        problem: "says that \(count) \(who) this answer, a count from 1 to \(largestSuppressedCount)"))
            }
        }
        let blocks = try Row.fetchAll(db, sql: """
            SELECT wave, topic, age_group, SUM(CASE WHEN favourable = 1 THEN answers ELSE 0 END) AS favourable,
                   SUM(CASE WHEN favourable IS NOT NULL THEN answers ELSE 0 END) AS counted
            FROM survey_answer_distribution GROUP BY wave, topic, age_group
            """)
        for block in blocks {
            let place = "survey_answer_distribution \(block["wave"] as String) \(block["topic"] as String) age_group=\(block["age_group"] as String)"
            let results = try Row.fetchAll(db, sql: """
                SELECT i.indicator_id, v.numerator, v.denominator, v.marker FROM indicator i
                LEFT JOIN indicator_value v ON v.indicator_id = i.indicator_id AND v.period_id = ? AND v.geography_code = 'S92000003'
                     AND v.breakdown_type = 'age_group' AND v.breakdown_code = ?
                WHERE i.survey_topic = ?
                """, arguments: [block["wave"], block["age_group"], block["topic"]])
            if results.isEmpty {
                findings.append(Finding(file: file, place: place, problem: "lists answers to a topic no published survey result counts"))
            }
            for result in results {
                guard let numerator = result["numerator"] as Double?, let denominator = result["denominator"] as Double? else {
                    findings.append(Finding(file: file, place: place, problem: "lists the answers of a group whose result (\(result["indicator_id"] as String)) is withheld or absent"))
                    continue
                }
                // The numerator counts the favourable answers, or (low life satisfaction) the unfavourable ones.
                let favourable: Double = block["favourable"], counted: Double = block["counted"]
                if denominator != counted || (numerator != favourable && numerator != counted - favourable) {
                    findings.append(Finding(file: file, place: place, problem: "does not add up to the published result of \(result["indicator_id"] as String) (\(Int(numerator)) of \(Int(denominator)))"))
                }
            }
        }
        return findings
    }

    /// The low-response bands the public file states (`survey_response_band`), each an inequality.
    static func bands(_ db: Database, canonical: [String: String]) throws -> [TableStructure.Band] {
        guard try db.tableExists("survey_response_band") else { return [] }
        return try Row.fetchAll(db, sql: "SELECT indicator_id, period_id, geography_code, breakdown_type, breakdown_code, response_under_a_fifth FROM survey_response_band").compactMap { row in
            let indicator: String = row["indicator_id"]
            guard let part = canonical["\(indicator).numerator"], let whole = canonical["\(indicator).denominator"] else { return nil }
            let key = CellKey(period: row["period_id"], geography: row["geography_code"], breakdownType: row["breakdown_type"], breakdownCode: row["breakdown_code"])
            return TableStructure.Band(part: .init(part, key), whole: .init(whole, key), share: DisclosureControl.lowResponseShare, below: (row["response_under_a_fifth"] as Int) == 1)
        }
    }

    static func cellName(_ row: Row) -> String {
        "indicator_value \(row["indicator_id"] as String) \(row["period_id"] as String) \(row["geography_code"] as String) \(row["breakdown_type"] as String)=\(row["breakdown_code"] as String)"
    }

    /// Rebuilds every relation between counts from the public file and bounds each withheld count.
    mutating func attack(_ db: Database, file: String) throws -> [Finding] {
        typealias Cell = TableStructure.Cell
        var findings: [Finding] = []
        let hasPopulations = try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM sqlite_master WHERE name = 'measure_population'") ?? false
        // The declarations, as published.
        var declared: [String: TableStructure.Declaration] = [:]
        if hasPopulations {
            let hasUnits = try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM pragma_table_info('measure_population') WHERE name = 'unit'") ?? false
            for row in try Row.fetchAll(db, sql: "SELECT indicator_id, measure, population, overlapping, \(hasUnits ? "unit" : "'children' AS unit"), attribute, code FROM measure_population") {
                let measure = "\(row["indicator_id"] as String).\(row["measure"] as String)"
                guard let unit = IndicatorDefinition.CountUnit(rawValue: row["unit"]) else {
                    findings.append(Finding(file: file, place: "measure_population \(measure)", problem: "declares an unknown unit '\(row["unit"] as String? ?? "NULL")'"))
                    continue
                }
                var declaration = declared[measure] ?? TableStructure.Declaration(measure: measure, population: row["population"], overlapping: (row["overlapping"] as Int) == 1, unit: unit)
                if let attribute: String = row["attribute"], let code: String = row["code"] { declaration.conditions[attribute, default: []].insert(code) }
                declared[measure] = declaration
            }
        }
        // Qualitative indicators count public records (commitments), not people: nothing to judge.
        let hasEvidence = try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM pragma_table_info('indicator') WHERE name = 'evidence'") ?? false
        let indicators = try Row.fetchAll(db, sql: "SELECT indicator_id, value_type, value_source FROM indicator" + (hasEvidence ? " WHERE evidence <> 'qualitative'" : ""))
        recordIndicators = hasEvidence ? Set(try String.fetchAll(db, sql: "SELECT indicator_id FROM indicator WHERE evidence = 'qualitative'")) : []
        var valueType: [String: String] = [:]
        for row in indicators where (row["value_source"] as String) == "computed" {
            let id: String = row["indicator_id"]
            valueType[id] = row["value_type"]
            let numerator = "\(id).numerator"
            declared[numerator] = declared[numerator] ?? TableStructure.Declaration(measure: numerator, population: nil)
        }
        // A survey result's respondents are among its response rate's (the same rule disclosure control
        // states, read here from the public indicator table).
        let hasRates = try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM pragma_table_info('indicator') WHERE name = 'response_rate_indicator'") ?? false
        if hasRates {
            for row in try Row.fetchAll(db, sql: "SELECT indicator_id, response_rate_indicator FROM indicator WHERE response_rate_indicator IS NOT NULL AND response_rate_indicator <> indicator_id") {
                let measure = "\(row["indicator_id"] as String).denominator"
                if declared[measure]?.unit == .respondents { declared[measure]!.within = "\(row["response_rate_indicator"] as String).numerator" }
            }
        }
        let canonical = TableStructure.canonicalMeasures(Array(declared.values))
        let byMeasure = TableStructure.byCanonicalMeasure(Array(declared.values), canonical: canonical)
        // Each count's limit: by its declared unit; a denominator with no declaration (a population
        // estimate) is protected as children only where it counts children (percentages and means).
        func limit(indicator: String, part: String) -> Int? {
            if let declaration = declared["\(indicator).\(part)"], declaration.population != nil { return largest(for: declaration.unit) }
            if part == "numerator" { return largestSuppressedCount }
            return ["percentage", "mean"].contains(valueType[indicator] ?? "") ? largestSuppressedCount : nil
        }
        for id in valueType.keys { countLimits[id] = (limit(indicator: id, part: "numerator"), limit(indicator: id, part: "denominator")) }

        // Every cell, published or withheld; one count stated in two places must agree in both.
        var published: [Cell: Double] = [:]
        var withheld: Set<Cell> = []
        var statedAt: [Cell: String] = [:]
        var truthKey: [Cell: String] = [:]
        var empty: Set<Cell> = []
        let rows = try Row.fetchAll(db, sql: """
            SELECT indicator_id, period_id, geography_code, breakdown_type, breakdown_code, numerator, denominator, value, marker
            FROM indicator_value WHERE marker IS NULL OR marker <> '[x]' ORDER BY indicator_id, period_id, geography_code, breakdown_type, breakdown_code
            """)
        for row in rows {
            let indicator: String = row["indicator_id"]
            let stated = "\(indicator)|\(row["period_id"] as String)|\(row["geography_code"] as String)|\(row["breakdown_type"] as String)|\(row["breakdown_code"] as String)"
            for column in ["numerator", "denominator", "value"] { statedInSQLite["\(stated)|\(column)"] = .some(row[column] as Double?) }
            guard let type = valueType[indicator] else { continue }
            let key = CellKey(period: row["period_id"], geography: row["geography_code"], breakdownType: row["breakdown_type"], breakdownCode: row["breakdown_code"])
            let place = "indicator_value \(indicator) \(key.period) \(key.geography) \(key.breakdownType)=\(key.breakdownCode)"
            // Nothing to divide by ([z], or a published denominator of 0, whatever else is withheld): its
            // numerator is a zero-fill that bounds nothing, as disclosure control too treats it.
            if (row["marker"] as String?) == "[z]" || (row["denominator"] as Double?) == 0, let measure = canonical["\(indicator).numerator"] {
                empty.insert(Cell(measure, key))
            }
            for part in ["numerator", "denominator"] {
                if let largest = limit(indicator: indicator, part: part), let amount = row[part] as Double?, amount >= 1, amount <= Double(largest) {
                    findings.append(Finding(file: file, place: part == "numerator" ? place : "\(place) \(part)", problem: "publishes a count from 1 to \(largest)"))
                }
            }
            let value: Double? = row["value"]
            let withheldMarker = (row["marker"] as String?) == "[c]"
            for (part, amount) in [("numerator", row["numerator"] as Double?), ("denominator", row["denominator"] as Double?)] {
                let measure = "\(indicator).\(part)"
                guard let target = canonical[measure] else { continue }
                let cell = Cell(target, key)
                if let amount {
                    if withheld.contains(cell) {
                        findings.append(Finding(file: file, place: "\(place) \(part)", problem: "publishes \(Int(amount)), a count withheld where \(statedAt[cell] ?? "elsewhere") states it"))
                    } else if let other = published[cell], other != amount {
                        findings.append(Finding(file: file, place: "\(place) \(part)", problem: "publishes \(Int(amount)) for a count \(statedAt[cell] ?? "elsewhere") gives as \(Int(other))"))
                    }
                    published[cell] = amount
                } else if withheldMarker {
                    if let other = published[cell] {
                        findings.append(Finding(file: file, place: "\(place) \(part)", problem: "withholds a count \(statedAt[cell] ?? "elsewhere") publishes as \(Int(other))"))
                    }
                    withheld.insert(cell)
                } else {
                    continue
                }
                statedAt[cell] = statedAt[cell] ?? "\(place) \(part)"
                truthKey[cell] = truthKey[cell] ?? "\(measure)|\(key.period)|\(key.geography)|\(key.breakdownType)|\(key.breakdownCode)"
            }
            // Answers are protected with their group of respondents: never published while it is withheld.
            if declared["\(indicator).numerator"]?.unit == .answers, row["numerator"] as Double? != nil, row["denominator"] as Double? == nil, withheldMarker {
                findings.append(Finding(file: file, place: place, problem: "publishes a count of answers while the group of respondents it is out of is withheld"))
            }
            // A value beside a withheld count gives it away (value x denominator, or numerator / value).
            if value != nil, withheldMarker || (row["numerator"] as Double?) == nil && type != "count" {
                findings.append(Finding(file: file, place: place, problem: "publishes a value while a count it is computed from is withheld"))
            }
        }
        // The respondents not giving an answer, known wherever both the answers and their group are published.
        var answerGroups: [String: String] = [:]
        for (measure, declaration) in declared where declaration.unit == .answers && measure.hasSuffix(".numerator") {
            let indicator = String(measure.dropLast(".numerator".count))
            if let numerator = canonical[measure], let group = canonical["\(indicator).denominator"] { answerGroups[numerator] = group }
        }
        var complementTruth: [Cell: Double] = [:]
        for cell in withheld.union(published.keys) where !empty.contains(cell) {
            guard let group = answerGroups[cell.measure] else { continue }
            let whole = Cell(group, cell.key), others = Cell(TableStructure.complementMeasure(of: cell.measure), cell.key)
            guard published[whole] != nil || withheld.contains(whole) else { continue }
            if let n = published[cell], let d = published[whole] { published[others] = d - n } else { withheld.insert(others) }
            statedAt[others] = "\(statedAt[cell] ?? cell.description) (those not giving the answer)"
            if let trueCounts, let nKey = truthKey[cell], let dKey = truthKey[whole], let n = trueCounts[nKey], let d = trueCounts[dKey] { complementTruth[others] = d - n }
        }
        let placementTypes = Set(try String.fetchAll(db, sql: "SELECT placement_type_code FROM placement_type"))
        let relations = TableStructure.relations(cells: withheld.union(published.keys), declarations: byMeasure,
                                                 domains: [TableStructure.placementAttribute: placementTypes.union([TableStructure.noPlacement])], empty: empty,
                                                 previousPeriod: try TableStructure.previousPeriods(in: db), answerGroups: answerGroups)
            + TableStructure.bandRelations(try Self.bands(db, canonical: canonical), cells: withheld.union(published.keys))
        var problem = AttackProblem(relations: relations, published: published, withheld: withheld)
        // Each withheld count's limit from its declared unit (children 4, respondents 9); a count of
        // answers is protected with its group and is not judged on its own.
        func cellLimit(_ cell: Cell) -> Int? {
            byMeasure[cell.measure].map { $0.population == nil ? largestSuppressedCount : largest(for: $0.unit) } ?? largestSuppressedCount
        }
        func truth(_ cell: Cell) -> Double? {
            if let value = complementTruth[cell] { return value }
            guard let trueCounts, let key = truthKey[cell] else { return nil }
            return trueCounts[key]
        }
        // With the true counts, the standard for the small counts; without, the outsider's standard for all.
        func isSmall(_ cell: Cell) -> Bool? {
            guard let value = truth(cell), let largest = cellLimit(cell) else { return nil }
            return value >= 1 && value <= Double(largest)
        }
        let judged = withheld.filter { cellLimit($0) != nil && (isSmall($0) ?? true) }
        for (largest, group) in Dictionary(grouping: judged, by: { cellLimit($0)! }).sorted(by: { $0.key < $1.key }) {
            let queries = Set(group.compactMap { problem.index[.cell($0)] })
            let ranges: [Int: ProvableRanges.Range]
            do {
                ranges = try problem.ranges.bound(lowerQueries: queries, upperQueries: queries, target: Double(largest + 1))
            } catch {
                return findings + [Finding(file: file, place: "indicator_value", problem: "the published counts contradict the relations between them: \(error)")]
            }
            for cell in group.sorted() {
                guard let variable = problem.index[.cell(cell)], let range = ranges[variable] else { continue }
                let tooNarrow = isSmall(cell) == true ? !range.canBeZero || !range.canReachTarget : AttackProblem.isTooNarrow(range, largest: largest)
                guard tooNarrow else { continue }
                let lower = range.lower.map { String(format: "%.2f", $0) } ?? "0"
                let upper = range.upper.map { String(format: "%.2f", $0) } ?? "\(largest + 1) or more"
                findings.append(Finding(file: file, place: "\(statedAt[cell] ?? cell.description)",
                                        problem: "is withheld, but combining the published tables proves it lies between \(lower) and \(upper); the range must include 0 and \(largest + 1)"))
            }
        }
        if let previousRelease {
            findings += try jointFindings(previous: previousRelease, canonical: canonical, answerGroups: answerGroups, published: published, withheld: withheld,
                                          statedAt: statedAt, truth: truth, problem: &problem)
        }
        linearProgramsSolved += problem.ranges.solves
        return findings
    }

    /// The attacker keeps every release. Against the release before this one:
    /// - a count published in both may not move by 1 to 4 (the difference would isolate those children);
    /// - a count withheld there may not be published here for the same period;
    /// - a count published there and withheld here, whose true value moved by 1 to 4, must provably be
    ///   able to be its previous value and five beyond it in the direction it moved.
    /// Counts withheld in both are left to each release's own attack: with their provable ranges
    /// including their true values in each, nothing links the two.
    func jointFindings(previous: URL, canonical: [String: String], answerGroups: [String: String], published: [TableStructure.Cell: Double],
                                withheld: Set<TableStructure.Cell>, statedAt: [TableStructure.Cell: String], truth: (TableStructure.Cell) -> Double?,
                                problem: inout AttackProblem) throws -> [Finding] {
        typealias Cell = TableStructure.Cell
        var configuration = Configuration()
        configuration.readonly = true
        let name = "promise-public.sqlite (with the previous release's \(previous.lastPathComponent))"
        var before: [Cell: Double] = [:]
        var withheldBefore: Set<Cell> = []
        try DatabaseQueue(path: previous.path, configuration: configuration).read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT indicator_id, period_id, geography_code, breakdown_type, breakdown_code, numerator, denominator, marker
                FROM indicator_value WHERE marker IS NULL OR marker <> '[x]'
                """)
            for row in rows {
                let key = CellKey(period: row["period_id"], geography: row["geography_code"], breakdownType: row["breakdown_type"], breakdownCode: row["breakdown_code"])
                for part in ["numerator", "denominator"] {
                    guard let measure = canonical["\(row["indicator_id"] as String).\(part)"] else { continue }
                    if let amount = row[part] as Double? { before[Cell(measure, key)] = amount } else if (row["marker"] as String?) == "[c]" { withheldBefore.insert(Cell(measure, key)) }
                }
            }
        }
        for (answers, group) in answerGroups {
            for cell in Set(before.keys).union(withheldBefore) where cell.measure == answers {
                let others = Cell(TableStructure.complementMeasure(of: answers), cell.key), whole = Cell(group, cell.key)
                if let n = before[cell], let d = before[whole] { before[others] = d - n } else if before[whole] != nil || withheldBefore.contains(whole) { withheldBefore.insert(others) }
            }
        }
        var findings: [Finding] = []
        var moved: [Int: (cell: Cell, low: Double, high: Double)] = [:]
        for (cell, amount) in published {
            if let old = before[cell], abs(amount - old) >= 0.5, abs(amount - old) <= Double(largestSuppressedCount) + 0.5 {
                findings.append(Finding(file: name, place: statedAt[cell] ?? cell.description,
                                        problem: "moved from \(Int(old)) to \(Int(amount)) since the previous release: a difference of 1 to \(largestSuppressedCount) isolates those children"))
            }
            if withheldBefore.contains(cell) {
                findings.append(Finding(file: name, place: statedAt[cell] ?? cell.description, problem: "was withheld in the previous release and is published in this one"))
            }
        }
        for cell in withheld {
            guard let old = before[cell], let variable = problem.index[.cell(cell)] else { continue }
            // With the true count, the direction it moved; without, both.
            if let value = truth(cell) {
                let change = value - old
                guard abs(change) >= 0.5, abs(change) <= Double(largestSuppressedCount) + 0.5 else { continue }
                let beyond = Double(largestSuppressedCount + 1)
                moved[variable] = change > 0 ? (cell, old, old + beyond) : (cell, max(0, old - beyond), old)
            } else {
                moved[variable] = (cell, old, old)
            }
        }
        if !moved.isEmpty {
            for (variable, extreme) in try problem.ranges.extremes(of: Set(moved.keys)) {
                let (cell, low, high) = moved[variable]!
                let tolerance = ProvableRanges.tolerance
                if extreme.min > low + tolerance || (extreme.max.map { $0 < high - tolerance } ?? false) {
                    let upper = extreme.max.map { String(format: "%.2f", $0) } ?? "without limit"
                    findings.append(Finding(file: name, place: statedAt[cell] ?? cell.description,
                                            problem: "was published as \(Int(before[cell]!)) in the previous release; withheld now, combining both releases proves it lies between \(String(format: "%.2f", extreme.min)) and \(upper), so how many children the revision moved is narrowed (the range must include \(Int(low)) and \(Int(high)))"))
                }
            }
        }
        return findings
    }
}
