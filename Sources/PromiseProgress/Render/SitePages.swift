import Foundation
import GRDB

/// The published values held in memory once for the pages that cut across indicators: a page per
/// foundation, per vision statement and per council area, and the list of council areas. Read from
/// `published_indicator_value` and `direction_of_travel` only (after disclosure control).
struct PublishedSnapshot {
    struct Value {
        var numerator: Int?
        var denominator: Double?
        var value: Double?
        var marker: String?
        var lower: Double?
        var upper: Double?
        var benchmark: String?
    }

    var definitions: [IndicatorDefinition]
    var values: [String: [CellKey: Value]]
    /// Headline status per indicator and area (the definition's headline rule).
    var headline: [String: [String: String]]
    var periods: [(id: String, label: String, snapshot: String)]
    var councils: [(code: String, name: String)]
    var foundations: [(id: String, name: String, description: String)]
    var visionStatements: [(id: Int, title: String)]
    /// For each survey group (`period|area`, all ages) whose invitations are known, whether fewer than a
    /// fifth of those invited answered (published even where the rate itself is withheld).
    var responseUnderAFifth: [String: Bool] = [:]
    static let scotland = TableStructure.scotland

    static func load(from db: Database, definitions: [IndicatorDefinition]) throws -> PublishedSnapshot {
        var values: [String: [CellKey: Value]] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT indicator_id, period_id, geography_code, breakdown_type, breakdown_code, numerator, denominator, value, marker, lower_95, upper_95, benchmark
            FROM published_indicator_value
            """)
        while let row = try rows.next() {
            let key = CellKey(period: row["period_id"], geography: row["geography_code"], breakdownType: row["breakdown_type"], breakdownCode: row["breakdown_code"])
            values[row["indicator_id"], default: [:]][key] = Value(numerator: row["numerator"], denominator: row["denominator"], value: row["value"], marker: row["marker"],
                                                                   lower: row["lower_95"], upper: row["upper_95"], benchmark: row["benchmark"])
        }
        var headline: [String: [String: String]] = [:]
        let rules = Dictionary(uniqueKeysWithValues: definitions.map { ($0.id, $0.headlineRule) })
        for row in try Row.fetchAll(db, sql: "SELECT indicator_id, geography_code, rule, status FROM direction_of_travel") {
            let id: String = row["indicator_id"]
            if rules[id] == row["rule"] { headline[id, default: [:]][row["geography_code"]] = row["status"] }
        }
        var responseUnderAFifth: [String: Bool] = [:]
        if try db.tableExists(ComputeStage.bandTable.name) {
            for row in try Row.fetchAll(db, sql: "SELECT period_id, geography_code, response_under_a_fifth FROM survey_response_band WHERE breakdown_type = 'total'") {
                responseUnderAFifth["\(row[0] as String)|\(row[1] as String)"] = (row[2] as Int) == 1
            }
        }
        var snapshot = PublishedSnapshot(
            definitions: definitions, values: values, headline: headline,
            periods: try Row.fetchAll(db, sql: "SELECT period_id, label, snapshot_label FROM period ORDER BY sort_key").map { ($0["period_id"], $0["label"], $0["snapshot_label"] ?? $0["label"]) },
            councils: try Row.fetchAll(db, sql: "SELECT geography_code, name FROM geography WHERE geography_type = 'council_area' ORDER BY name").map { ($0["geography_code"], $0["name"]) },
            foundations: try Row.fetchAll(db, sql: "SELECT foundation_id, name, description FROM foundation ORDER BY sort_order").map { ($0["foundation_id"], $0["name"], $0["description"]) },
            visionStatements: try Row.fetchAll(db, sql: "SELECT vision_statement_id, title FROM vision_statement ORDER BY sort_order, vision_statement_id").map { ($0["vision_statement_id"], $0["title"]) })
        snapshot.responseUnderAFifth = responseUnderAFifth
        return snapshot
    }

    func periodLabel(_ id: String, _ definition: IndicatorDefinition) -> String {
        guard let period = periods.first(where: { $0.id == id }) else { return id }
        return definition.periodBasis == .snapshot ? period.snapshot : period.label
    }

    /// The latest period with a Scotland value (not [x]) for the indicator.
    func latestPeriod(_ definition: IndicatorDefinition) -> String? {
        let byKey = values[definition.id] ?? [:]
        return periods.map(\.id).last { byKey[CellKey(period: $0, geography: Self.scotland)].map { $0.marker != Marker.notAvailable.rawValue } ?? false }
    }

    func value(_ definition: IndicatorDefinition, _ key: CellKey) -> Value? { values[definition.id]?[key] }

    /// A value as shown: formatted with its marker, or the marker alone.
    static func text(_ value: Value?, _ type: IndicatorDefinition.ValueType) -> String {
        guard let value else { return Marker.notAvailable.rawValue }
        if let number = value.value { return Formatting.value(number, type: type) + (value.marker.map { " \($0)" } ?? "") }
        return value.marker ?? Marker.notAvailable.rawValue
    }

    /// The words for each status: the indicator pages' own (``SiteModel/statusWords``).
    static var statusWords: [String: String] { SiteModel.statusWords }

    /// Headline statuses counted the way the overview shows them.
    func statusCounts(_ definitions: [IndicatorDefinition]) -> (improving: Int, maintaining: Int, worsening: Int, other: Int) {
        var counts = (improving: 0, maintaining: 0, worsening: 0, other: 0)
        for definition in definitions {
            switch headline[definition.id]?[Self.scotland] {
            case "improving": counts.improving += 1
            case "maintaining": counts.maintaining += 1
            case "worsening": counts.worsening += 1
            default: counts.other += 1
            }
        }
        return counts
    }
}

/// The pages that cut across indicators, each a ``PageDocument``: foundations, vision statements,
/// council areas, and the site's methods, accessibility and downloads pages.
enum SitePages {
    typealias Inline = PageDocument.Inline
    typealias Column = PageDocument.Column
    static let scotland = PublishedSnapshot.scotland

    static func evidenceWords(_ evidence: IndicatorDefinition.Evidence) -> String {
        switch evidence {
        case .quantitative: "Statistics"
        case .experiential: "Survey of children and young people"
        case .qualitative: "Commitments and progress updates"
        }
    }

    /// A table of indicators with their latest Scotland value and headline direction.
    static func indicatorTable(_ definitions: [IndicatorDefinition], snapshot: PublishedSnapshot, id: String, caption: String) -> PageDocument.Block {
        let rows: [[[Inline]]] = definitions.map { d in
            let latest = snapshot.latestPeriod(d)
            let value = latest.flatMap { snapshot.value(d, CellKey(period: $0, geography: scotland)) }
            return [[.page(d.title, path: "indicators/\(d.id)")], [.text(evidenceWords(d.evidence))], [.text(latest.map { snapshot.periodLabel($0, d) } ?? "None yet")],
                    [.text(PublishedSnapshot.text(value, d.valueType))],
                    [.text(snapshot.headline[d.id]?[scotland].flatMap { PublishedSnapshot.statusWords[$0] } ?? "Cannot be calculated")]]
        }
        return .table(id: id, caption: caption, columns: [Column("Indicator"), Column("Evidence"), Column("Latest period"), Column("Scotland", numeric: true), Column("Direction of travel")], rows: rows)
    }

    static func statusSentence(_ counts: (improving: Int, maintaining: Int, worsening: Int, other: Int)) -> String {
        "\(counts.improving) improving, \(counts.maintaining) maintaining, \(counts.worsening) worsening, \(counts.other) where the direction cannot be calculated or is not judged."
    }

    /// Gaps in coverage, in plain words.
    static func gaps(_ definitions: [IndicatorDefinition], snapshot: PublishedSnapshot, visions: [(id: Int, title: String)]) -> [[Inline]] {
        var gaps: [[Inline]] = []
        for vision in visions where !definitions.contains(where: { $0.visionStatement == vision.id }) {
            gaps.append([.text("No indicator yet measures vision statement \(vision.id), "), .page(vision.title, path: "vision/\(vision.id)"), .text(".")])
        }
        // Commitments are counted across foundations (their own page), so only statistics and surveys are looked for here.
        let kinds = Set(definitions.map(\.evidence))
        for kind in [IndicatorDefinition.Evidence.quantitative, .experiential] where !kinds.contains(kind) && !definitions.isEmpty {
            gaps.append([.text("No \(evidenceWords(kind).lowercased()) evidence is counted here yet.")])
        }
        for d in definitions where d.evidence != .qualitative && !d.councilAreaValues {
            gaps.append([.page(d.title, path: "indicators/\(d.id)"), .text(": published for Scotland only, so council areas cannot be compared.")])
        }
        for d in definitions {
            guard let latest = snapshot.latestPeriod(d) else {
                gaps.append([.page(d.title, path: "indicators/\(d.id)"), .text(": no published value yet.")])
                continue
            }
            if snapshot.value(d, CellKey(period: latest, geography: scotland))?.value == nil {
                gaps.append([.page(d.title, path: "indicators/\(d.id)"), .text(": the latest Scotland value is withheld or not available.")])
            }
            if snapshot.headline[d.id]?[scotland] == "cannot_be_calculated" {
                gaps.append([.page(d.title, path: "indicators/\(d.id)"), .text(": the direction of travel cannot be calculated (see its page for why).")])
            }
        }
        return gaps
    }

    // MARK: - Foundations and vision statements

    static func foundation(_ foundation: (id: String, name: String, description: String), snapshot: PublishedSnapshot, evidence: EvidenceModel, quotes: Int) -> PageDocument {
        let definitions = snapshot.definitions.filter { $0.foundation == foundation.id }
        var page = PageDocument(title: "\(foundation.name): the whole picture", crumbs: [("Overview", "index")], lead: foundation.description)
        let counts = snapshot.statusCounts(definitions.filter { $0.evidence != .qualitative })
        page.add(.heading(2, "Is it improving?"))
        page.add(.paragraph([.text("Of the \(definitions.filter { $0.evidence != .qualitative }.count) statistics and survey results for this foundation, in Scotland:"), .text(" "), .strong(statusSentence(counts))]))
        page.add(.heading(2, "Indicators"))
        if definitions.isEmpty {
            page.add(.note([.text("No indicators for this foundation yet.")]))
        } else {
            page.add(indicatorTable(definitions, snapshot: snapshot, id: "indicators", caption: "\(foundation.name): every indicator, latest value for Scotland"))
        }
        // Vision statements cut across the foundations: those this foundation's indicators speak to.
        let visions = snapshot.visionStatements.filter { v in definitions.contains { $0.visionStatement == v.id } }
        page.add(.heading(2, "Vision statements it speaks to"))
        page.add(visions.isEmpty ? .note([.text("None yet.")]) : .list(visions.map { v in
            let n = definitions.filter { $0.visionStatement == v.id }.count
            return [.page("\(v.id). \(v.title)", path: "vision/\(v.id)"), .text(": \(n) indicator\(n == 1 ? "" : "s") from this foundation")]
        }))
        page.add(.heading(2, "Evidence that informs it"))
        var streams: [[Inline]] = []
        streams.append([.text("Statistics: \(definitions.filter { $0.evidence == .quantitative }.count) indicators from administrative returns and published tables.")])
        streams.append([.text("What children and young people say: \(definitions.filter { $0.evidence == .experiential }.count) survey results"),
                        .text(quotes > 0 ? ", and \(quotes) published quotes (" : "."), quotes > 0 ? .page("in their own words", path: "quotes") : .text(""), .text(quotes > 0 ? ")." : "")])
        if let f = evidence.foundations.first(where: { $0.id == foundation.id }) {
            let delivered = f.commitments.filter { $0.status == "Delivered" }.count
            streams.append([.text("Commitments and progress: \(f.commitments.count) commitments in the tracker (\(delivered) delivered), \(f.progress.count) progress statements from documents ("),
                            .page("commitments and evidence of progress", path: "evidence/\(foundation.id)"), .text(").")])
        } else {
            streams.append([.text("Commitments and progress: none recorded yet.")])
        }
        var gapList = gaps(definitions, snapshot: snapshot, visions: [])
        if (evidence.foundations.first { $0.id == foundation.id }?.commitments.isEmpty ?? true) {
            gapList.insert([.text("No commitment in the tracker is tagged to this foundation yet.")], at: 0)
        }
        page.add(.list(streams))
        page.add(.heading(2, "Gaps in coverage"))
        page.add(gapList.isEmpty ? .paragraph([.text("None: every vision statement has an indicator and every indicator has a current value and direction.")]) : .list(gapList))
        return page
    }

    static func vision(_ vision: (id: Int, title: String), snapshot: PublishedSnapshot) -> PageDocument {
        let definitions = snapshot.definitions.filter { $0.visionStatement == vision.id }
        let foundations = snapshot.foundations.filter { f in definitions.contains { $0.foundation == f.id } }
        var page = PageDocument(title: "Vision statement \(vision.id): \(vision.title)", crumbs: [("Overview", "index")],
                                lead: "One of the vision statements of The Promise progress framework. They cut across the five foundations: the indicators below come from \(foundations.isEmpty ? "none yet" : foundations.map(\.name).joined(separator: ", ")).")
        if !foundations.isEmpty {
            page.add(.paragraph([.text("Foundations: ")] + foundations.enumerated().flatMap { index, f -> [Inline] in
                (index > 0 ? [.text(", ")] : []) + [.page(f.name, path: "foundations/\(f.id)")]
            }))
        }
        page.add(.heading(2, "Indicators"))
        if definitions.isEmpty {
            page.add(.note([.text("No indicator measures this vision statement yet. Progress on it is not shown anywhere on this site; that is a gap in the framework, not a sign of progress or of its absence.")]))
        } else {
            page.add(.paragraph([.text("In Scotland:"), .text(" "), .strong(statusSentence(snapshot.statusCounts(definitions.filter { $0.evidence != .qualitative })))]))
            page.add(indicatorTable(definitions, snapshot: snapshot, id: "indicators", caption: "Vision statement \(vision.id): indicators, latest value for Scotland"))
            let gapList = gaps(definitions, snapshot: snapshot, visions: [])
            page.add(.heading(2, "Gaps in coverage"))
            page.add(gapList.isEmpty ? .paragraph([.text("None.")]) : .list(gapList))
        }
        return page
    }

    // MARK: - Council areas

    /// One row of a council page: an indicator in its latest period.
    struct AreaRow {
        var definition: IndicatorDefinition
        var period: String
        var area: PublishedSnapshot.Value?
        var scotland: PublishedSnapshot.Value?
        var councilValues: [Double]
    }

    static func areaRows(_ code: String, snapshot: PublishedSnapshot) -> [AreaRow] {
        snapshot.definitions.filter { $0.councilAreaValues && $0.evidence != .qualitative }.compactMap { d in
            guard let period = snapshot.latestPeriod(d) else { return nil }
            let byKey = snapshot.values[d.id] ?? [:]
            let councilValues = snapshot.councils.compactMap { byKey[CellKey(period: period, geography: $0.code)]?.value }
            return AreaRow(definition: d, period: period, area: byKey[CellKey(period: period, geography: code)],
                           scotland: byKey[CellKey(period: period, geography: scotland)], councilValues: councilValues)
        }
    }

    static func areaCSV(_ code: String, name: String, rows: [AreaRow], snapshot: PublishedSnapshot) -> [[String]] {
        var table = [["indicator_id", "indicator", "period_id", "period_label", "geography_code", "geography_name", "breakdown_type", "breakdown_code",
                      "numerator", "denominator", "value", "marker", "lower_95", "upper_95", "scotland_value", "compared_with_scotland",
                      "not_compared_because", "council_lowest", "council_highest", "response_under_a_fifth"]]
        for row in rows {
            let v = row.area
            table.append([row.definition.id, row.definition.title, row.period, snapshot.periodLabel(row.period, row.definition), code, name, "total", "total",
                          v?.numerator.map(String.init) ?? "", v?.denominator.map { Formatting.plain($0) } ?? "", v?.value.map { Formatting.plain($0) } ?? "",
                          v?.marker ?? (v == nil ? Marker.notAvailable.rawValue : ""), v?.lower.map { Formatting.plain($0) } ?? "", v?.upper.map { Formatting.plain($0) } ?? "",
                          row.scotland?.value.map { Formatting.plain($0) } ?? "", v?.benchmark ?? "", v?.benchmark == nil ? notCompared(row) : "",
                          row.councilValues.min().map { Formatting.plain($0) } ?? "", row.councilValues.max().map { Formatting.plain($0) } ?? "",
                          row.definition.evidence == .experiential ? snapshot.responseUnderAFifth["\(row.period)|\(code)"].map { $0 ? "yes" : "no" } ?? "" : ""])
        }
        return table
    }

    /// Why an area's value is not compared with Scotland, in a few words.
    static func notCompared(_ row: AreaRow) -> String {
        if row.definition.valueType == .count { return "a count (areas differ in size)" }
        guard let area = row.area, area.value != nil else {
            return row.area?.marker == Marker.confidential.rawValue ? "withheld [c]" : "no value for the area"
        }
        if area.lower == nil || area.upper == nil { return "no confidence interval (the source publishes the value alone)" }
        if row.scotland?.value == nil { return "no value for Scotland" }
        return "not compared"
    }

    /// The reasons for the rows not compared, counted: "3 counts, 2 withheld [c], ...".
    static func notComparedSummary(_ rows: [AreaRow]) -> String {
        var counts: [(String, Int)] = []
        for row in rows {
            let reason = notCompared(row)
            if let index = counts.firstIndex(where: { $0.0 == reason }) { counts[index].1 += 1 } else { counts.append((reason, 1)) }
        }
        return counts.map { "\($0.1) \($0.0)" }.joined(separator: "; ")
    }

    static func area(_ code: String, name: String, snapshot: PublishedSnapshot) -> (PageDocument, [[String]]) {
        let rows = areaRows(code, snapshot: snapshot)
        var page = PageDocument(title: "\(name) compared with Scotland", crumbs: [("Overview", "index"), ("Council areas", "areas/index")],
                                lead: "Every indicator published for council areas, for \(name), in its latest period, against Scotland. An area is called better or worse only where its 95% confidence interval does not include Scotland's value.")
        let compared = rows.filter { $0.area?.benchmark != nil }
        func names(_ call: Set<String>) -> [Inline] {
            let matching = compared.filter { call.contains($0.area!.benchmark!) }
            guard !matching.isEmpty else { return [.text("none")] }
            var inline: [Inline] = []
            for (index, row) in matching.enumerated() {
                if index > 0 { inline.append(.text(index == matching.count - 1 ? " and " : ", ")) }
                inline.append(.page(row.definition.shortTitleOrTitle, path: "indicators/\(row.definition.id)"))
            }
            return inline
        }
        let similar = compared.filter { $0.area!.benchmark == "similar" }.count
        let why = notComparedSummary(rows.filter { $0.area?.benchmark == nil })
        page.add(.heading(2, "Where \(name) differs from Scotland"))
        page.add(.list([
            [.strong("Significantly better:"), .text(" ")] + names(["better"]),
            [.strong("Significantly worse:"), .text(" ")] + names(["worse"]),
            [.strong("Significantly higher or lower (no better or worse):"), .text(" ")] + names(["higher", "lower"]),
            [.text("Similar to Scotland: \(similar) indicators. Not compared: \(rows.count - compared.count)" + (why.isEmpty ? "." : " (\(why))."))],
        ]))
        let chartRows = rows.filter { $0.definition.valueType != .count }.map { row in
            SpineChart.Row(label: row.definition.shortTitleOrTitle, area: row.area?.value, scotland: row.scotland?.value, councilValues: row.councilValues,
                           call: row.area?.benchmark, mirrored: row.definition.polarity == .lowerIsBetter,
                           missing: row.area?.marker.map { $0 == "[c]" ? "[c] withheld" : $0 } ?? "no value")
        }
        let chart = SpineChart(id: "spine-\(code)", title: "\(name) against Scotland, latest period of each indicator",
                               description: "For each indicator, Scotland is the centre line; the grey bar runs from the lowest to the highest council area, the darker part covering the middle half; \(name)'s value is a triangle pointing up where significantly better or higher, down where significantly worse or lower, a circle where similar, a diamond where not compared. The words at the end of each row say the same.",
                               rows: chartRows)
        // On paper the numbers matter more than the picture: the printed summary has a compact
        // table in place of the chart and the full table.
        page.add(.screenOnly([.heading(2, "Spine chart"),
                              .figure(svg: chart.svg, caption: "\(name) against Scotland. Where lower is better the row is mirrored, so better is always to the right.")]))
        var figures: [PageDocument.Block] = [.heading(2, "The figures")]
        let tableRows: [[[Inline]]] = rows.map { row in
            let d = row.definition
            let range = row.councilValues.isEmpty ? "" : "\(Formatting.value(row.councilValues.min()!, type: d.valueType)) to \(Formatting.value(row.councilValues.max()!, type: d.valueType))"
            return [[.page(d.shortTitleOrTitle, path: "indicators/\(d.id)")], [.text(snapshot.periodLabel(row.period, d))],
                    [.text(PublishedSnapshot.text(row.area, d.valueType) + (d.evidence == .experiential && snapshot.responseUnderAFifth["\(row.period)|\(code)"] == true ? " (low response: under 20% answered)" : ""))],
                    [.text(Formatting.interval(row.area?.lower, row.area?.upper, type: d.valueType))],
                    [.text(PublishedSnapshot.text(row.scotland, d.valueType))],
                    [.text(row.area?.benchmark.map { ComparisonMark.words($0) } ?? "Not compared: \(notCompared(row))")], [.text(range)]]
        }
        figures.append(.table(id: "figures", caption: "\(name) and Scotland, latest period of each indicator",
                              columns: [Column("Indicator"), Column("Period"), Column(name, numeric: true), Column("95% confidence interval"), Column("Scotland", numeric: true),
                                        Column("Compared with Scotland"), Column("Council areas, lowest to highest")], rows: tableRows))
        page.add(.screenOnly(figures))
        page.add(.printOnly([.table(id: "figures-print", caption: "\(name) and Scotland, latest period of each indicator",
                                    columns: [Column("Indicator"), Column("Period"), Column(name, numeric: true), Column("Scotland", numeric: true), Column("Compared with Scotland")],
                                    rows: tableRows.map { [$0[0], $0[1], $0[2], $0[4], $0[5]] })]))
        page.add(.paragraph([.text("Download this table: "), .file("area-\(code).csv", path: "../data/pages/area-\(code).csv"), .text(". Indicators published for Scotland only are not shown.")]))
        // Figures the source revised after first publishing them, in any period: the table above shows
        // the latest period only, where revisions are rare, so they are listed here with their [r].
        let revised: [[[Inline]]] = snapshot.definitions.filter { $0.councilAreaValues && $0.evidence != .qualitative }.flatMap { d in
            snapshot.periods.compactMap { period -> [[Inline]]? in
                guard let value = snapshot.value(d, CellKey(period: period.id, geography: code)), value.marker == Marker.revised.rawValue else { return nil }
                return [[.page(d.shortTitleOrTitle, path: "indicators/\(d.id)")], [.text(snapshot.periodLabel(period.id, d))], [.text(PublishedSnapshot.text(value, d.valueType))]]
            }
        }
        if !revised.isEmpty {
            page.add(.screenOnly([
                .heading(2, "Revised figures"),
                .paragraph([.text("The source revised these figures for \(name) after first publishing them. Each is shown with [r] here and on its indicator's page; "),
                            .page("what changed", path: "changes"), .text(" lists what changed since the last build.")]),
                .table(id: "revised", caption: "\(name): figures revised by their source", columns: [Column("Indicator"), Column("Period"), Column("Value", numeric: true)], rows: revised),
            ]))
        }
        return (page, areaCSV(code, name: name, rows: rows, snapshot: snapshot))
    }

    static func areaIndex(_ snapshot: PublishedSnapshot) -> PageDocument {
        var page = PageDocument(title: "Council areas", crumbs: [("Overview", "index")], lead: "A page for each of Scotland's 32 council areas: every indicator published for council areas, against Scotland.")
        var rows: [[[Inline]]] = []
        for council in snapshot.councils {
            let areaRows = areaRows(council.code, snapshot: snapshot)
            let better = areaRows.filter { $0.area?.benchmark == "better" }.count, worse = areaRows.filter { $0.area?.benchmark == "worse" }.count
            rows.append([[.page(council.name, path: "areas/\(council.code)")], [.text(String(better))], [.text(String(worse))]])
        }
        page.add(.table(id: "areas", caption: "Council areas: how many indicators are significantly better or worse than Scotland",
                        columns: [Column("Council area"), Column("Significantly better", numeric: true), Column("Significantly worse", numeric: true)], rows: rows))
        return page
    }
}

extension IndicatorDefinition {
    var shortTitleOrTitle: String { shortTitle.isEmpty ? title : shortTitle }
}
