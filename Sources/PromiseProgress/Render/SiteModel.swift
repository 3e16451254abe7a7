import Foundation
import GRDB

/// Everything the dashboards show, read from the store. Built only from published values and
/// aggregate run and quality tables: child-level tables are never read here.
public struct SiteModel {
    public struct Foundation {
        public var id: String
        public var name: String
        public var description: String
        public var indicators: [IndicatorPage]
        public var hasIndicators: Bool { !indicators.isEmpty }
    }

    /// One value as shown in a table cell: a formatted number, or a marker.
    public struct Cell: Sendable {
        public var text: String
        public var isMarker: Bool
        public var markerMeaning: String

        static func number(_ text: String) -> Cell { Cell(text: text, isMarker: false, markerMeaning: "") }
        static func marker(_ marker: Marker) -> Cell { Cell(text: marker.rawValue, isMarker: true, markerMeaning: marker.meaning) }
        static let empty = Cell(text: "", isMarker: false, markerMeaning: "")
    }

    public struct TableRow {
        public var label: String
        public var code: String
        public var number: Cell
        public var denominator: Cell
        public var value: Cell
        public var interval: String
        public var isScotland: Bool
        /// Compared with Scotland, in words ("Better than Scotland"); empty when there is no call.
        public var benchmark: String
        /// Survey results: the share of those invited who answered, in the row's wave, area and age
        /// group ("41%", "14% (low)", or a marker); empty for other indicators.
        public var responseRate = ""
    }

    /// One answer to a survey topic across Scotland: how many gave it.
    public struct AnswerRow {
        /// The age group (survey version) answering.
        public var group: String
        public var label: String
        public var answers: Int
        public var share: String
        /// "Not in the denominator" for don't know and prefer not to say.
        public var note: String
        /// Every answer the age group gave to the topic (the share's denominator).
        public var groupAnswers = 0
    }

    /// A child's own words, redacted, attributed by age group only.
    public struct Quote {
        public var text: String
        public var attribution: String
    }

    /// A direction-of-travel status for Scotland, in words.
    public struct Direction {
        public var rule: String
        public var status: String
        public var detail: String
    }

    public struct BreakdownTable {
        public var title: String
        public var rows: [TableRow]
    }

    public struct IndicatorPage {
        public var definition: IndicatorDefinition
        public var foundationName: String
        public var visionStatementTitle: String
        /// Label of each period the way this indicator counts (a snapshot date or a year).
        public var periodLabels: [(id: String, label: String)]
        public var trend: [TableRow]
        public var latestPeriodLabel: String
        public var latest: TableRow?
        public var areas: [TableRow]
        public var breakdowns: [BreakdownTable]
        public var chart: TrendChart
        public var markersUsed: [Marker]
        public var directions: [Direction]
        /// The headline status for the index: the trend test where it can be calculated, else the NPF rule.
        public var headlineDirection: String
        /// Survey results: every answer to the topic across Scotland in the latest wave.
        public var answerDistribution: [AnswerRow] = []
        /// True when an age group's answers are not shown because its result is withheld.
        public var answersWithheld = false
        /// Survey results: true when some group shown answered at a rate below a fifth.
        public var hasLowResponse = false
        /// What the trend says, in a sentence or two.
        public var plainSummary = ""
        /// Council areas against Scotland in the latest period (percentages, rates and means with council values).
        var comparison: ComparisonChart?
        /// The page's figures as CSV rows (first row the header).
        public var pageCSV: [[String]] = []

        /// The page's direction-of-travel table as CSV rows (first row the header).
        public var directionCSV: [[String]] {
            [["indicator_id", "geography_code", "rule", "status", "how_decided"]]
                + directions.map { [definition.id, "S92000003", $0.rule, $0.status, $0.detail] }
        }

        /// The page's table of every answer given, as CSV rows (first row the header).
        public var answersCSV: [[String]] {
            [["indicator_id", "period_label", "age_group", "answer", "answers", "group_answers", "share", "how_it_counts"]]
                + answerDistribution.map { [definition.id, latestPeriodLabel, $0.group, $0.label, String($0.answers), String($0.groupAnswers),
                                            Formatting.plain(100 * Double($0.answers) / Double(max($0.groupAnswers, 1))), $0.note] }
        }
    }

    /// The folders before a stream folder in a relative path ("Data/" in "Data/quantitative/children.csv").
    static let streamFolderPrefix = try! NSRegularExpression(
        pattern: #"(?<![\w./])(?:[^/\s:'"]+/)+(?=(?:"# + StreamRegistry.inputFolders.map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|") + #")/)"#)

    /// A path as a public page may show it: never a folder of the build machine. An input file is named
    /// from its stream folder (quantitative/children.csv); anything else absolute by its file name.
    static func publicPath(_ text: String) -> String {
        // A relative path through a stream folder ("Data/quantitative/children.csv", "../in/qualitative/x.md")
        // is named from that folder too, so the page does not depend on how --input was given.
        var result = streamFolderPrefix.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "")
        while let range = result.range(of: #"(?<![\w.])/(?:[^/\s:'"]+/)+[^/\s:'"]*"#, options: .regularExpression) {
            let path = String(result[range])
            let parts = path.split(separator: "/").map(String.init)
            let kept: [String]
            if let stream = parts.lastIndex(where: { (StreamRegistry.inputFolders + ["Indicators", "seeds", "config"]).contains($0) }) {
                kept = Array(parts[stream...])
            } else {
                kept = [parts.last ?? ""]
            }
            result.replaceSubrange(range, with: kept.joined(separator: "/"))
        }
        return result
    }

    /// How an answer counts in this result: in the numerator ("counted"), in the denominator only, or
    /// in neither. The numerator's declared answers say which side it counts (favourable answers for
    /// most results; the low range for low life satisfaction).
    static func answerNote(favourable: Int?, definition: IndicatorDefinition) -> String {
        guard let favourable else { return "Not in the denominator (don't know, prefer not to say)" }
        let counted = definition.numerator.population?.conditions["answer"] ?? ["favourable"]
        let side = favourable == 1 ? "favourable" : "unfavourable"
        return counted.contains(side) ? "Counted in this result" : "In the denominator only"
    }

    static let pageCSVColumns = ["section", "indicator_id", "period_id", "period_label", "geography_code", "geography_name", "breakdown_type", "breakdown_code",
                                 "numerator", "denominator", "value", "marker", "lower_95", "upper_95", "compared_with_scotland", "response_rate"]

    /// "Rose from 18.2% in 2019-20 to 21.4% in 2024-25; the trend over the last five periods is
    /// statistically significant (p = 0.003)." Built from the published Scotland values only.
    static func plainSummary(_ definition: IndicatorDefinition, points: [(label: String, value: Double?)], trendStatus: String?, pValue: Double?,
                             trendReason: String? = nil, latestChange: String?, latestChangeP: Double? = nil, latestChangePeriods: (from: String, to: String)? = nil) -> String {
        let known = points.filter { $0.value != nil }
        guard let first = known.first, let last = known.last else { return "There is no published value for Scotland yet." }
        let a = Formatting.value(first.value!, type: definition.valueType), b = Formatting.value(last.value!, type: definition.valueType)
        // "in 2024-25", "at 31 July 2024", "in the 2025 survey".
        func named(_ label: String) -> String { label.hasSuffix("survey") ? "the \(label)" : label }
        func when(_ label: String) -> String {
            label.hasSuffix("survey") ? "in the \(label)" : label.first?.isNumber == true && label.contains(" ") ? "at \(label)" : "in \(label)"
        }
        var text: String
        if known.count == 1 {
            text = "In Scotland: \(b) \(when(last.label)), the only period with a published value."
        } else {
            let verb = abs(last.value! - first.value!) < 1e-9 ? "was the same," : last.value! > first.value! ? "rose from" : "fell from"
            text = verb == "was the same," ? "In Scotland it was \(b) both \(when(first.label)) and \(when(last.label))." : "In Scotland it \(verb) \(a) \(when(first.label)) to \(b) \(when(last.label))."
        }
        if known.count < points.count { text += " Some periods have no published value (shown as gaps)." }
        func p(_ value: Double) -> String { value < 0.001 ? "p < 0.001" : "p = \(Formatting.decimal(value, places: 3))" }
        switch trendStatus {
        case "cannot_be_calculated", nil:
            text += " The five-period trend cannot be tested" + (trendReason.map { ": \($0)." } ?? ".")
        case "maintaining":
            text += " The trend over the last five periods is not statistically significant" + (pValue.map { " (\(p($0)))" } ?? "") + "."
        default:
            text += " The trend over the last five periods is statistically significant" + (pValue.map { " (\(p($0)))" } ?? "")
                + ": \(statusWords[trendStatus!]?.lowercased() ?? trendStatus!)."
        }
        if let latestChange, let words = statusWords[latestChange] {
            let span = latestChangePeriods.map { " (from \(named($0.from)) to \(named($0.to)))" } ?? ""
            var sentence = " Headline direction of travel, the latest change\(span): \(words.lowercased())"
            if let latestChangeP, latestChange != "cannot_be_calculated" {
                sentence += latestChangeP < 0.05 ? "; the change is statistically significant (\(p(latestChangeP)))" : "; the change is not statistically significant (\(p(latestChangeP))), so it may be chance"
            }
            text += sentence + "."
        }
        return text
    }

    public struct FileQuality {
        public var file: String
        public var read: Int
        public var rejected: Int
        public var loaded: Int
        /// Rows about people (children, survey respondents): their exact number would tell anyone who
        /// keeps every night's page how many records changed, even while the figures are held, so the
        /// page rounds them (exact counts are in the restricted store's run_input).
        public var aboutPeople: Bool = false
    }

    /// Rounds a count of rows about people to the nearest thousand for a public page ("about 31,000").
    static func peopleRows(_ count: Int) -> String {
        count < 1_000 ? "fewer than 1,000" : "about " + Formatting.count(Int((Double(count) / 1_000).rounded()) * 1_000)
    }

    public struct RuleCount {
        public var label: String
        public var count: Int
    }

    public var foundations: [Foundation]
    public var indicators: [IndicatorPage]
    /// A few quotes per foundation id, from the latest survey wave.
    public var quotes: [String: [Quote]] = [:]
    /// Every published quote of the latest survey wave, by foundation in framework order.
    public var allQuotes: [(foundation: String, quotes: [Quote])] = []
    public var runID: String
    public var runStartedAt: String
    public var files: [FileQuality]
    public var rejectionsByRule: [RuleCount]
    public var suppressionsByRule: [RuleCount]
    /// Withheld counts and the share of the count they hide, in a sentence.
    public var informationLoss: String
    public var valuesPublished: Int
    /// Notes the run made (ignored columns and the like): about files, never about children.
    public var notes: [String]

    // MARK: - Loading

    public static func load(from db: Database, catalogue: IndicatorCatalogue, runID: String, rules: DisclosureControl.Rules = .init()) throws -> SiteModel {
        let periods = try Row.fetchAll(db, sql: "SELECT period_id, label, snapshot_label FROM period ORDER BY sort_key")
        let areaNames = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT geography_code, name FROM geography").map {
            ($0["geography_code"] as String, $0["name"] as String)
        })
        let councilOrder = try String.fetchAll(db, sql: "SELECT geography_code FROM geography WHERE geography_type = 'council_area' ORDER BY name")
        let visionTitles = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT vision_statement_id, title FROM vision_statement").map {
            ($0["vision_statement_id"] as Int, $0["title"] as String)
        })
        var categoryLabels: [String: [(code: String, label: String)]] = [
            "sex": try Row.fetchAll(db, sql: "SELECT code, label FROM codelist WHERE codelist = 'sex' ORDER BY sort_order").map { ($0["code"], $0["label"]) },
            "age_band": try Row.fetchAll(db, sql: "SELECT age_band_code, label FROM age_band ORDER BY sort_order").map { ($0["age_band_code"], $0["label"]) },
            "placement_type": try Row.fetchAll(db, sql: "SELECT placement_type_code, label FROM placement_type ORDER BY sort_order").map { ($0["placement_type_code"], $0["label"]) },
            "age_group": try Row.fetchAll(db, sql: "SELECT code, label FROM codelist WHERE codelist = 'survey_age_group' ORDER BY sort_order").map { ($0["code"], $0["label"]) },
        ]
        for key in categoryLabels.keys { categoryLabels[key]!.append((IndicatorEngine.unknownCategory, "Not recorded")) }
        // Commitments are broken down by the foundation they serve.
        categoryLabels["foundation"] = try Row.fetchAll(db, sql: "SELECT foundation_id, name FROM foundation ORDER BY sort_order").map { ($0["foundation_id"], $0["name"]) }
        let foundationRows = try Row.fetchAll(db, sql: "SELECT foundation_id, name, description FROM foundation ORDER BY sort_order")
        let foundationNames = Dictionary(uniqueKeysWithValues: foundationRows.map { ($0["foundation_id"] as String, $0["name"] as String) })

        // Every published value, read once and decoded by column position.
        var valuesByIndicator: [String: [StoredValue]] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT indicator_id, \(StoredValue.columns) FROM published_indicator_value ORDER BY indicator_id, period_id, geography_code, breakdown_type, breakdown_code")
        while let row = try cursor.next() {
            valuesByIndicator[row[0], default: []].append(StoredValue(row, from: 1))
        }
        let allGroups = try String.fetchAll(db, sql: "SELECT DISTINCT age_group FROM survey")
        var pages: [IndicatorPage] = []
        for definition in catalogue.definitions {
            let values = valuesByIndicator[definition.id] ?? []
            var byKey: [CellKey: StoredValue] = [:]
            for stored in values { byKey[stored.key] = stored }
            let labels: [(id: String, label: String)] = periods.map {
                ($0["period_id"], definition.periodBasis == .snapshot ? $0["snapshot_label"] : $0["label"])
            }.filter { period in byKey[CellKey(period: period.0, geography: "S92000003")] != nil }
            // Survey results: the response rate of the row's group (its age group, else its area's total).
            var rates: [CellKey: StoredValue] = [:]
            // Whether each group's response was under a fifth, published even where its rate is withheld.
            var lowBands: [CellKey: Bool] = [:]
            if let rateID = definition.responseRateIndicator {
                for stored in valuesByIndicator[rateID] ?? [] { rates[stored.key] = stored }
                if try db.tableExists(ComputeStage.bandTable.name) {
                    for row in try Row.fetchAll(db, sql: "SELECT period_id, geography_code, breakdown_type, breakdown_code, response_under_a_fifth FROM survey_response_band WHERE indicator_id = ?", arguments: [rateID]) {
                        lowBands[CellKey(period: row[0], geography: row[1], breakdownType: row[2], breakdownCode: row[3])] = (row[4] as Int) == 1
                    }
                }
            }
            let lowBand = "under \(Int(100 * DisclosureControl.lowResponseShare))% (low)"
            // The age groups whose survey version asks the topic: a row for all ages takes the response
            // rate of those groups only (a question for 8 to 17 year olds is not judged by how many 4 to 7
            // year olds answered).
            let askedGroups = try definition.surveyTopic.map {
                try String.fetchAll(db, sql: "SELECT DISTINCT s.age_group FROM survey_question q JOIN survey s ON s.survey_id = q.survey_id WHERE q.topic = ? ORDER BY s.age_group", arguments: [$0])
            } ?? []
            var hasLowResponse = false
            func responseRate(_ key: CellKey) -> String {
                guard definition.responseRateIndicator != nil else { return "" }
                let value: Double
                if key.breakdownType == "age_group" || Set(askedGroups) == Set(allGroups) {
                    let rateKey = key.breakdownType == "age_group" ? key : CellKey(period: key.period, geography: key.geography)
                    guard let stored = rates[rateKey] else { return Marker.notAvailable.rawValue }
                    guard let published = stored.value else {
                        if lowBands[rateKey] == true { hasLowResponse = true; return lowBand }
                        return stored.marker ?? Marker.notAvailable.rawValue
                    }
                    value = published
                } else {
                    // From the published counts of the groups asked; none may be withheld (their sum is not published).
                    var answered = 0.0, invited = 0.0
                    for group in askedGroups {
                        let stored = rates[CellKey(period: key.period, geography: key.geography, breakdownType: "age_group", breakdownCode: group)]
                        guard let stored else { continue }
                        guard let n = stored.numerator, let d = stored.denominator else {
                            // Every group asked under a fifth: the whole is too. Some: said so, as a warning.
                            let bands = askedGroups.map { lowBands[CellKey(period: key.period, geography: key.geography, breakdownType: "age_group", breakdownCode: $0)] }
                            if !bands.isEmpty, bands.allSatisfy({ $0 != false }), bands.contains(true) { hasLowResponse = true; return lowBand }
                            if bands.contains(true) { hasLowResponse = true; return "under \(Int(100 * DisclosureControl.lowResponseShare))% in some age groups (low)" }
                            return Marker.confidential.rawValue
                        }
                        answered += n
                        invited += d
                    }
                    guard invited > 0 else { return Marker.notAvailable.rawValue }
                    value = 100 * answered / invited
                }
                let low = value < lowResponseRate
                if low { hasLowResponse = true }
                return Formatting.value(value, type: .percentage) + (low ? " (low)" : "")
            }
            func row(_ key: CellKey, label: String) -> TableRow? {
                guard let stored = byKey[key] else { return nil }
                var made = makeRow(stored, label: label, code: key.breakdownType == "total" ? key.geography : key.breakdownCode,
                                   definition: definition, isScotland: key.geography == "S92000003")
                made.responseRate = responseRate(key)
                return made
            }
            let trend = labels.compactMap { row(CellKey(period: $0.id, geography: "S92000003"), label: $0.label) }
            // The latest period with a value for Scotland.
            let latestPeriod = labels.last { byKey[CellKey(period: $0.id, geography: "S92000003")]?.marker != Marker.notAvailable.rawValue }
            var areas: [TableRow] = []
            var breakdowns: [BreakdownTable] = []
            if let latestPeriod {
                areas = councilOrder.compactMap { row(CellKey(period: latestPeriod.id, geography: $0), label: areaNames[$0] ?? $0) }
                for breakdown in definition.breakdowns {
                    let rows = (categoryLabels[breakdown.rawValue] ?? []).compactMap {
                        row(CellKey(period: latestPeriod.id, geography: "S92000003", breakdownType: breakdown.rawValue, breakdownCode: $0.code), label: $0.label)
                    }
                    breakdowns.append(BreakdownTable(title: "By \(breakdown == .ageBand ? "age" : breakdown.rawValue.replacingOccurrences(of: "_", with: " "))", rows: rows))
                }
            }
            let markers = Set(values.compactMap { $0.marker.flatMap(Marker.init(rawValue:)) })
            let points = labels.map { period -> TrendChart.Point in
                let stored = byKey[CellKey(period: period.id, geography: "S92000003")]
                return TrendChart.Point(label: period.label.replacingOccurrences(of: "31 July ", with: ""),
                                        value: stored?.value, lower: stored?.lower95, upper: stored?.upper95,
                                        isBreak: stored?.marker == Marker.breakInSeries.rawValue)
            }
            let directions = try Row.fetchAll(db, sql: """
                SELECT * FROM direction_of_travel WHERE indicator_id = ? AND geography_code = 'S92000003' ORDER BY rule DESC
                """, arguments: [definition.id]).map { Self.direction($0, definition: definition, periods: labels) }
            let headlineRow = try Row.fetchOne(db, sql: "SELECT status, p_value, from_period, to_period FROM direction_of_travel WHERE indicator_id = ? AND geography_code = 'S92000003' AND rule = ?",
                                               arguments: [definition.id, definition.headlineRule])
            let headline = (headlineRow?["status"] as String?).flatMap { Self.statusWords[$0] } ?? ""
            var distribution: [AnswerRow] = []
            var answersWithheld = false
            if let topic = definition.surveyTopic, let latestPeriod {
                // Only what the public file publishes: age groups whose result for the topic is published.
                let rows = try Row.fetchAll(db, sql: """
                    SELECT * FROM (\(PublicData.publishedAnswersSQL)) WHERE wave = ? AND topic = ?
                    ORDER BY age_group, favourable IS NULL, sort_order, answer_label
                    """, arguments: [latestPeriod.id, topic])
                let groupLabels = Dictionary(uniqueKeysWithValues: categoryLabels["age_group"]!.map { ($0.code, $0.label) })
                for stored in rows {
                    let answers: Int = stored["answers"], group: Int = stored["group_answers"]
                    distribution.append(AnswerRow(group: groupLabels[stored["age_group"]] ?? stored["age_group"], label: stored["answer_label"], answers: answers,
                                                  share: Formatting.value(100 * Double(answers) / Double(max(group, 1)), type: .percentage),
                                                  note: Self.answerNote(favourable: stored["favourable"], definition: definition),
                                                  groupAnswers: group))
                }
                let asked = try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT age_group) FROM survey_answer_distribution WHERE wave = ? AND topic = ?", arguments: [latestPeriod.id, topic]) ?? 0
                answersWithheld = Set(rows.map { $0["age_group"] as String }).count < asked
            }
            // The first and last periods with a value: a withheld or missing end is a gap, not a figure.
            let valued = trend.filter { !$0.value.isMarker && !$0.value.text.isEmpty }
            let first = valued.first, last = valued.last
            let summary = first.map { "\(definition.title), Scotland, \($0.label) to \(last?.label ?? ""): from \($0.value.text) to \(last?.value.text ?? "")." }
                .map { valued.count < trend.count ? $0 + " Periods without a published value are gaps." : $0 } ?? "No published values."
            let trendTest = try Row.fetchOne(db, sql: "SELECT status, p_value, reason FROM direction_of_travel WHERE indicator_id = ? AND geography_code = 'S92000003' AND rule = 'linear_trend'", arguments: [definition.id])
            let periodLabel = { (id: String?) in labels.first { $0.id == id }?.label ?? id ?? "" }
            let plain = Self.plainSummary(definition, points: labels.map { ($0.label, byKey[CellKey(period: $0.id, geography: "S92000003")]?.value) },
                                          trendStatus: trendTest?["status"], pValue: trendTest?["p_value"], trendReason: trendTest?["reason"],
                                          latestChange: headlineRow?["status"], latestChangeP: headlineRow?["p_value"],
                                          latestChangePeriods: headlineRow.map { (periodLabel($0["from_period"]), periodLabel($0["to_period"])) })
            // Council areas against Scotland, latest period: the chart beside the table.
            var comparison: ComparisonChart?
            if let latestPeriod, definition.councilAreaValues, definition.valueType != .count, definition.evidence != .qualitative {
                let scotlandValue = byKey[CellKey(period: latestPeriod.id, geography: "S92000003")]?.value
                let rows = councilOrder.map { code -> ComparisonChart.Row in
                    let stored = byKey[CellKey(period: latestPeriod.id, geography: code)]
                    return ComparisonChart.Row(label: areaNames[code] ?? code, value: stored?.value, lower: stored?.lower95, upper: stored?.upper95, call: stored?.benchmark,
                                               missing: stored?.marker.map { $0 == "[c]" ? "[c] withheld" : $0 } ?? "no value")
                }
                comparison = ComparisonChart(id: "areas-\(definition.id)", title: "\(definition.title): council areas against Scotland, \(latestPeriod.label)",
                                             description: "Each council area's value with its 95% confidence interval as a horizontal bar; the vertical line is Scotland. A triangle pointing up marks an area significantly better (or higher) than Scotland, pointing down significantly worse (or lower), a circle similar, a diamond not compared; the word at the end of each row says the same.",
                                             rows: rows, scotland: scotlandValue, valueType: definition.valueType)
            }
            // Exactly what the page shows, as one CSV: the Scotland trend, the council areas and each breakdown.
            var pageCSV = [Self.pageCSVColumns]
            func csvRow(_ section: String, _ key: CellKey, _ name: String, _ periodLabel: String) {
                guard let stored = byKey[key] else { return }
                let numbers = [stored.numerator, stored.denominator, stored.value].map { $0.map(Formatting.plain) ?? "" }
                pageCSV.append([section, definition.id, key.period, periodLabel, key.geography, name, key.breakdownType, key.breakdownCode] + numbers
                               + [stored.marker ?? "", stored.lower95.map(Formatting.plain) ?? "", stored.upper95.map(Formatting.plain) ?? "",
                                  stored.benchmark ?? "", row(key, label: name)?.responseRate ?? ""])
            }
            for period in labels { csvRow("trend", CellKey(period: period.id, geography: "S92000003"), "Scotland", period.label) }
            if let latestPeriod {
                for code in councilOrder { csvRow("council areas", CellKey(period: latestPeriod.id, geography: code), areaNames[code] ?? code, latestPeriod.label) }
                for breakdown in definition.breakdowns {
                    for category in categoryLabels[breakdown.rawValue] ?? [] {
                        csvRow("by \(breakdown.rawValue)", CellKey(period: latestPeriod.id, geography: "S92000003", breakdownType: breakdown.rawValue, breakdownCode: category.code), "Scotland", latestPeriod.label)
                    }
                }
            }
            pages.append(IndicatorPage(
                definition: definition,
                foundationName: foundationNames[definition.foundation] ?? definition.foundation,
                visionStatementTitle: visionTitles[definition.visionStatement] ?? "",
                periodLabels: labels, trend: trend, latestPeriodLabel: latestPeriod?.label ?? "",
                latest: latestPeriod.flatMap { row(CellKey(period: $0.id, geography: "S92000003"), label: "Scotland") },
                areas: areas, breakdowns: breakdowns,
                chart: TrendChart(id: "chart-\(definition.id)", title: "\(definition.title): Scotland", description: summary + (definition.valueSource == .computed && definition.valueType != .count ? " The shaded band and the bar at each point show the 95% confidence interval." : "") + (definition.target.map { " The dashed line is the target, \($0.label)." } ?? ""),
                                  points: points, valueType: definition.valueType, target: definition.target.map { ($0.value, "Target: \(Formatting.value($0.value, type: definition.valueType)) \($0.label)") }),
                markersUsed: Marker.allCases.filter(markers.contains), directions: directions, headlineDirection: headline,
                answerDistribution: distribution, answersWithheld: answersWithheld, hasLowResponse: hasLowResponse,
                plainSummary: plain, comparison: comparison, pageCSV: pageCSV))
        }

        let foundations = foundationRows.map { row in
            Foundation(id: row["foundation_id"], name: row["name"], description: row["description"],
                       indicators: pages.filter { $0.definition.foundation == row["foundation_id"] as String })
        }
        let run = try Row.fetchOne(db, sql: "SELECT run_id, started_at FROM run WHERE run_id = ?", arguments: [runID])
        var informationLoss = ""
        let files = try Row.fetchAll(db, sql: "SELECT source_file, rows_read, rows_rejected, rows_loaded FROM run_input WHERE run_id = ? ORDER BY source_file", arguments: [runID]).map {
            let file = publicPath($0["source_file"])
            let stream = StreamRegistry.all.first { StreamReuse.owns($0, relativePath: file) }
            return FileQuality(file: file, read: $0["rows_read"], rejected: $0["rows_rejected"], loaded: $0["rows_loaded"],
                               aboutPeople: stream.map { [.children, .respondents].contains($0.unitOfDisclosure) } ?? false)
        }
        let rejections = try Row.fetchAll(db, sql: """
            SELECT source_file, rule, COUNT(DISTINCT source_line) AS n FROM rejected_row GROUP BY source_file, rule ORDER BY source_file, rule
            """).map { RuleCount(label: publicPath($0["source_file"]) + ": " + ($0["rule"] as String), count: $0["n"]) }
        // Aggregates only: how many counts were withheld for each reason, never which.
        var suppressions: [RuleCount] = []
        if let totals = try Row.fetchOne(db, sql: "SELECT * FROM run WHERE run_id = ?", arguments: [runID]) {
            for (column, label) in [("cells_withheld_primary", "Counts of 1 to 4 children, and survey groups of 1 to 9 respondents"),
                                    ("cells_withheld_group", "Counts inside a withheld total (zeros included), and answers inside a withheld survey group"),
                                    ("cells_withheld_secondary", "Second counts in a sum, so no single withheld count can be worked out by subtraction"),
                                    ("cells_withheld_protection", "Further counts, so that combining every published table by linear programming cannot narrow a withheld count")] {
                suppressions.append(RuleCount(label: label, count: totals[column] ?? 0))
            }
            let total: Int = totals["count_total"] ?? 0
            let hidden: Int = totals["count_withheld"] ?? 0
            let cells: Int = totals["cells_counted"] ?? 0
            let withheldCells = suppressions.reduce(0) { $0 + $1.count }
            let cellShare = cells > 0 ? 100 * Double(withheldCells) / Double(cells) : 0
            let countShare = total > 0 ? 100 * Double(hidden) / Double(total) : 0
            let lowReliability: Int = totals["values_low_reliability"] ?? 0
            informationLoss = "\(Formatting.count(withheldCells)) of \(Formatting.count(cells)) counts are withheld (\(Formatting.decimal(cellShare))%); together they hold \(Formatting.decimal(countShare, places: 2))% of everything counted across the tables (children, survey respondents and their answers). \(Formatting.count(lowReliability)) values rest on a denominator below 10 and are marked [u] (low reliability)."
        }
        let published = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM published_indicator_value WHERE value IS NOT NULL") ?? 0
        let notes = try Row.fetchAll(db, sql: "SELECT source_file, message FROM run_note WHERE run_id = ? ORDER BY source_file, rowid", arguments: [runID]).map {
            "\(publicPath($0["source_file"] as String? ?? "")): \(publicPath($0["message"] as String))"
        }
        var model = SiteModel(foundations: foundations, indicators: pages, runID: runID, runStartedAt: run?["started_at"] ?? runID,
                              files: files, rejectionsByRule: rejections, suppressionsByRule: suppressions, informationLoss: informationLoss, valuesPublished: published, notes: notes)
        let all = try quotes(from: db, rules: rules, limit: nil)
        model.quotes = try quotes(from: db, rules: rules, limit: 3)
        model.allQuotes = foundationRows.compactMap { row in
            let id: String = row["foundation_id"]
            return all[id].map { (row["name"] as String, $0) }
        }
        return model
    }

    /// Below this share of those invited answering (a fifth), survey results carry a caveat.
    static let lowResponseRate = 100 * DisclosureControl.lowResponseShare

    /// Quotes per foundation from the latest wave with any (up to `limit`), taken as the public table
    /// `quote` is (consented, redacted, from large enough groups): the shortest first.
    static func quotes(from db: Database, rules: DisclosureControl.Rules, limit: Int?) throws -> [String: [Quote]] {
        guard try db.tableExists("survey_quote") else { return [:] }
        let query = PublicData.source(of: PublicData.quotes, rules: rules)
        let rows = try Row.fetchAll(db, sql: "SELECT q.*, p.label AS wave_label, p.sort_key, c.label AS age_label FROM (\(query.sql)) q JOIN period p ON p.period_id = q.wave "
                                        + "LEFT JOIN codelist c ON c.codelist = 'survey_age_group' AND c.code = q.age_group", arguments: query.arguments)
        var result: [String: [Quote]] = [:]
        for (foundation, quotes) in Dictionary(grouping: rows, by: { $0["foundation_id"] as String }) {
            let latest = quotes.map { $0["sort_key"] as Int }.max()
            let chosen = quotes.filter { ($0["sort_key"] as Int) == latest }
                .sorted { (($0["quote"] as String).count, $0["quote"] as String) < (($1["quote"] as String).count, $1["quote"] as String) }
            // Distinct texts only: the same words from several children are one quote.
            var seen: Set<String> = []
            result[foundation] = chosen.filter { seen.insert($0["quote"] as String).inserted }.prefix(limit ?? Int.max).map {
                let age: String? = $0["age_label"]
                let who = age.map { "A child or young person \($0.lowercased())" } ?? "Children and young people in more than one age group"
                return Quote(text: $0["quote"], attribution: "\(who), \($0["wave_label"] as String)")
            }
        }
        return result
    }

    static let statusWords = [
        "improving": "Improving", "worsening": "Worsening", "maintaining": "Maintaining", "increasing": "Increasing",
        "decreasing": "Decreasing", "cannot_be_calculated": "Cannot be calculated",
    ]

    static func direction(_ row: GRDB.Row, definition: IndicatorDefinition, periods: [(id: String, label: String)]) -> Direction {
        let label = { (id: String?) in periods.first { $0.id == id }?.label ?? id ?? "" }
        let status: String = row["status"]
        let rule: String = row["rule"]
        var detail: String
        if let reason: String = row["reason"] {
            detail = "Cannot be calculated: \(reason)."
        } else if rule == "npf_change" {
            let change: Double = row["statistic"]
            let unit = definition.directionThresholdUnit == .percentagePoints ? " percentage points" : "%"
            detail = "Changed by \(Formatting.decimal(change))\(unit) from \(label(row["from_period"])) to \(label(row["to_period"])); changes smaller than \(Formatting.decimal(row["threshold"]))\(unit) count as maintaining."
        } else {
            let p: Double = row["p_value"]
            detail = "Chi-squared test for linear trend over \(label(row["from_period"])) to \(label(row["to_period"])): statistic \(Formatting.decimal(row["statistic"], places: 2)), p \(p < 0.001 ? "< 0.001" : "= " + Formatting.decimal(p, places: 3)); a trend counts when p is below 0.05."
        }
        return Direction(rule: rule == "npf_change" ? "Change since the previous period" : "Trend over five periods",
                         status: statusWords[status] ?? status, detail: detail)
    }

    static func makeRow(_ stored: StoredValue, label: String, code: String, definition: IndicatorDefinition, isScotland: Bool) -> TableRow {
        let marker = stored.marker.flatMap(Marker.init(rawValue:))
        let value = stored.value
        let numerator = stored.numerator.map { Int($0.rounded()) }
        let denominator = stored.denominator
        // A value can carry a marker too ([r] revised, [p] provisional): both are shown.
        let valueCell: Cell = value.map { .number(Formatting.value($0, type: definition.valueType) + (marker.map { " \($0.rawValue)" } ?? "")) }
            ?? marker.map(Cell.marker) ?? .empty
        let numberCell: Cell = definition.valueSource == .published ? .empty
            : numerator.map { .number(Formatting.count($0)) } ?? .marker(marker ?? .confidential)
        let denominatorCell: Cell = definition.valueType == .count ? .empty
            : denominator.map { .number(Formatting.count(Int($0.rounded()))) } ?? .marker(marker ?? .confidential)
        let benchmark: String = stored.benchmark.map {
            ["better": "Better than Scotland", "worse": "Worse than Scotland", "similar": "Similar to Scotland",
             "higher": "Higher than Scotland", "lower": "Lower than Scotland"][$0] ?? $0
        } ?? ""
        return TableRow(label: label, code: code, number: numberCell, denominator: denominatorCell, value: valueCell,
                   interval: Formatting.interval(stored.lower95, stored.upper95, type: definition.valueType),
                   isScotland: isScotland, benchmark: benchmark)
    }
}

/// One row of `published_indicator_value` as the pages use it, decoded once by column position
/// (looking columns up by name for every cell of every page costs more than the rest of the model).
struct StoredValue {
    static let columns = "period_id, geography_code, breakdown_type, breakdown_code, numerator, denominator, value, lower_95, upper_95, marker, benchmark"
    var key: CellKey
    var numerator: Double?, denominator: Double?, value: Double?
    var lower95: Double?, upper95: Double?
    var marker: String?, benchmark: String?

    /// Reads ``columns`` from `row`, starting at column `first`.
    init(_ row: GRDB.Row, from first: Int) {
        key = CellKey(period: row[first], geography: row[first + 1], breakdownType: row[first + 2], breakdownCode: row[first + 3])
        numerator = row[first + 4]
        denominator = row[first + 5]
        value = row[first + 6]
        lower95 = row[first + 7]
        upper95 = row[first + 8]
        marker = row[first + 9]
        benchmark = row[first + 10]
    }
}
