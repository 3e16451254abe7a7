import Foundation
import GRDB
import Mustache

/// Render: writes the public outputs into the work area from published values only —
/// `public/site/` (HTML), `public/markdown/` (the same content as Markdown) and `public/data/`
/// (CSV per indicator and `promise-public.sqlite`). Publishing to `out/public/` is the build's last step.
public struct RenderStage: PipelineStage {
    public let name = "render"
    public init() {}

    /// How many quotes a person approved, and a warning when some wait for review or there is no review file.
    static func logQuoteReview(_ counts: QuoteReviewList.Counts, layout: PipelineLayout, logger: RunLogger) {
        let waiting = counts.pending + counts.changed
        let all = counts.approved + counts.rejected + waiting
        guard all > 0 else { return }
        logger.log("  quotes: \(counts.published) published (\(counts.approved) approved, one text once), \(counts.rejected) rejected, \(counts.pending) awaiting review, \(counts.changed) changed since reviewed; list: \(layout.display(layout.outputDirectory.appendingPathComponent("current/\(QuoteReviewList.fileName)"))) once published (restricted)")
        let reviewFile = layout.inputDirectory.appendingPathComponent(ExperientialStream.quoteReviewPath)
        if !FileManager.default.fileExists(atPath: reviewFile.path) {
            logger.log("no quote is published: \(layout.display(reviewFile)) is missing, so no quote has a reviewer's approval; \(all) quotes await review in \(QuoteReviewList.fileName) beside the restricted store", level: .warning)
        } else if waiting > 0 {
            logger.log("\(waiting) quotes are not published until a person approves their redacted text (\(counts.changed) changed since they were reviewed): see \(QuoteReviewList.fileName) beside the restricted store", level: .warning)
        }
    }

    public func run(_ context: PipelineContext) throws -> String {
        let store = try context.openWorkStore()
        let layout = context.layout
        let root = layout.workPublicDirectory
        try? FileManager.default.removeItem(at: root)
        let site = root.appendingPathComponent("site"), markdown = root.appendingPathComponent("markdown"), data = root.appendingPathComponent("data")
        let folders = ["indicators", "evidence", "documents", "foundations", "vision", "areas"]
        for folder in [site, site.appendingPathComponent("assets"), markdown, data, data.appendingPathComponent("pages")]
            + folders.flatMap({ [site.appendingPathComponent($0), markdown.appendingPathComponent($0)] }) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        var files = 0
        var pageSeconds = 0.0, pages = 0, modelSeconds = 0.0
        try store.queue.read { db in
            let started = Date()
            try Store.require(["published_indicator_value"], before: name, runFirst: "compute", in: db)
            let catalogue = try IndicatorCatalogue.load(directory: layout.indicatorsDirectory, vocabulary: try .load(from: db), display: layout.display)
            let rules = try DisclosureRulesFile.load(layout: layout)
            let snapshot = try PublishedSnapshot.load(from: db, definitions: catalogue.definitions)
            let evidence = try EvidenceModel.load(from: db)
            let previous = layout.publishedPublicDirectory.appendingPathComponent("data/promise-public.sqlite")
            let (changes, changeRows) = try ChangesPage.build(current: db, previous: FileManager.default.fileExists(atPath: previous.path) ? previous : nil, snapshot: snapshot)
            let run = try Row.fetchOne(db, sql: "SELECT * FROM run WHERE run_id = ?", arguments: [context.runID])

            // Pages are independent jobs, each returning the files it wrote. Those built from the
            // snapshot start on another core while this thread reads the indicator pages' model
            // (the database connection stays on this thread); the indicator pages follow on every core.
            let library = try Self.library()
            func write(_ text: String, _ url: URL) throws -> Int {
                try Data((url.pathExtension == "html" ? ResponsiveTables.label(text) : text).utf8).write(to: url)
                return 1
            }
            /// One page as HTML under site/ and as Markdown under markdown/, at the same path.
            func page(_ template: String, _ markdownTemplate: String, _ view: [String: Any], at path: String) throws -> Int {
                let root = String(repeating: "../", count: path.filter { $0 == "/" }.count)
                return try write(Self.render(library, template, view, root: root), site.appendingPathComponent(path + ".html"))
                    + write(Self.render(library, markdownTemplate, view, root: root), markdown.appendingPathComponent(path + ".md"))
            }
            /// A ``PageDocument`` as HTML (inside the site's header and footer) and as Markdown.
            func document(_ page: PageDocument, at path: String) throws -> Int {
                let root = String(repeating: "../", count: path.filter { $0 == "/" }.count)
                return try write(Self.render(library, "shell", ["pageTitle": page.title, "runID": context.runID, "body": page.htmlBody(root: root)], root: root),
                                 site.appendingPathComponent(path + ".html"))
                    + write(page.markdown(root: root) + Templates.markdownFooter(runID: context.runID), markdown.appendingPathComponent(path + ".md"))
            }
            func csv(_ rows: [[String]], _ name: String) throws -> Int {
                var writer = CSVWriter(header: rows[0])
                for row in rows.dropFirst() { writer.append(row) }
                return try write(writer.text, data.appendingPathComponent("pages/\(name).csv"))
            }
            var snapshotJobs: [() throws -> Int] = []
            snapshotJobs.append { try write(Templates.stylesheet, site.appendingPathComponent("assets/style.css")) }
            for council in snapshot.councils {
                snapshotJobs.append {
                    let (page, rows) = SitePages.area(council.code, name: council.name, snapshot: snapshot)
                    return try document(page, at: "areas/\(council.code)") + csv(rows, "area-\(council.code)")
                }
            }
            snapshotJobs.append { try document(SitePages.areaIndex(snapshot), at: "areas/index") }
            for vision in snapshot.visionStatements {
                snapshotJobs.append { try document(SitePages.vision(vision, snapshot: snapshot), at: "vision/\(vision.id)") }
            }
            snapshotJobs.append { try document(changes, at: "changes") + csv(changeRows, "changes") }
            snapshotJobs.append { try document(InfoPages.methods(snapshot: snapshot, rules: rules, run: run), at: "methods") }
            snapshotJobs.append { try document(InfoPages.downloads(catalogue.definitions, archive: PublicData.archiveName, councils: snapshot.councils), at: "downloads") }
            for foundation in evidence.foundations {
                snapshotJobs.append { try page("evidence", "markdownEvidence", Presenter.evidence(foundation, runID: context.runID), at: "evidence/\(foundation.id)") }
            }
            for document in evidence.documents {
                snapshotJobs.append { try page("document", "markdownDocument", Presenter.document(document, runID: context.runID), at: "documents/\(document.id)") }
            }
            let snapshotPages = Parallel.start(snapshotJobs)
            let model: SiteModel
            do {
                model = try SiteModel.load(from: db, catalogue: catalogue, runID: context.runID, rules: rules)
            } catch {
                _ = try? snapshotPages.wait()
                throw error
            }
            modelSeconds = Date().timeIntervalSince(started)

            var jobs: [() throws -> Int] = []
            jobs.append {
                var indexView = Presenter.index(model)
                indexView["glance"] = snapshot.foundations.map { foundation -> [String: Any] in
                    // Outcomes only: commitments are process evidence, and contextual indicators (the
                    // survey's response rate) describe the evidence, not children's lives.
                    let counts = snapshot.statusCounts(catalogue.definitions.filter { $0.foundation == foundation.id && $0.evidence != .qualitative && $0.role == .core })
                    let verdict = Self.verdict(improving: counts.improving, maintaining: counts.maintaining, worsening: counts.worsening)
                    return ["id": foundation.id, "name": foundation.name, "improving": counts.improving, "maintaining": counts.maintaining,
                            "worsening": counts.worsening, "other": counts.other, "verdict": verdict]
                }
                return try write(Self.render(library, "index", indexView, root: ""), site.appendingPathComponent("index.html"))
                    + write(Self.render(library, "markdownIndex", indexView, root: ""), markdown.appendingPathComponent("index.md"))
            }
            jobs.append {
                let quality = Presenter.dataQuality(model)
                return try write(Self.render(library, "dataQuality", quality, root: ""), site.appendingPathComponent("data-quality.html"))
                    + write(Self.render(library, "markdownDataQuality", quality, root: ""), markdown.appendingPathComponent("data-quality.md"))
            }
            // The foundation pages count the quotes the model publishes.
            let quoteCounts = Dictionary(grouping: model.allQuotes, by: \.foundation).mapValues { $0.reduce(0) { $0 + $1.quotes.count } }
            for foundation in snapshot.foundations {
                jobs.append { try document(SitePages.foundation(foundation, snapshot: snapshot, evidence: evidence, quotes: quoteCounts[foundation.name] ?? quoteCounts[foundation.id] ?? 0), at: "foundations/\(foundation.id)") }
            }
            jobs.append { try page("quotes", "markdownQuotes", Presenter.quotes(model), at: "quotes") }
            for indicator in model.indicators {
                jobs.append {
                    try page("indicator", "markdownIndicator", Presenter.indicator(indicator, runID: model.runID), at: "indicators/\(indicator.definition.id)")
                        + csv(indicator.pageCSV, "indicator-\(indicator.definition.id)")
                        + (indicator.directions.isEmpty ? 0 : csv(indicator.directionCSV, "indicator-\(indicator.definition.id)-direction"))
                        + (indicator.answerDistribution.isEmpty ? 0 : csv(indicator.answersCSV, "indicator-\(indicator.definition.id)-answers"))
                }
            }
            let written = Result { try Parallel.map(jobs).reduce(0, +) }
            files += try snapshotPages.wait().reduce(0, +) + written.get()
            pageSeconds = Date().timeIntervalSince(started)
            files += try PublicData.write(to: data, from: db, definitions: catalogue.definitions, rules: rules)
            // Pages counted so far, the accessibility statement itself and the two copies of it.
            let pageCount = (try FileManager.default.subpathsOfDirectory(atPath: site.path).filter { $0.hasSuffix(".html") }.count) + 1
            files += try document(InfoPages.accessibility(pages: pageCount, checkedOn: String(context.runID.prefix(10))), at: "accessibility")
            files += try PublicData.writeArchive(in: data, definitions: catalogue.definitions)
            pages = try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".html") || $0.hasSuffix(".md") }.count
            // Restricted: beside the store, never under public/.
            let review = try QuoteReviewList.write(to: layout.workDirectory.appendingPathComponent(QuoteReviewList.fileName), from: db, rules: rules)
            Self.logQuoteReview(review, layout: layout, logger: context.logger)
        }
        return "\(files) files written to \(layout.display(root)); \(pages) pages (HTML and Markdown, with their page CSVs) in \(String(format: "%.2f", pageSeconds)) s (reading the published values \(String(format: "%.2f", modelSeconds)) s), \(String(format: "%.3f", 100 * pageSeconds / Double(max(pages, 1)))) s per hundred pages"
    }

    /// The overview's "in short" for one foundation, from its counts of headline directions.
    static func verdict(improving: Int, maintaining: Int, worsening: Int) -> String {
        let judged = improving + maintaining + worsening
        if judged == 0 { return "Not enough to say" }
        if improving == 0 && worsening == 0 { return "Maintaining: none improving or worsening" }
        if improving == worsening { return "Mixed: as many improving as worsening" }
        let more = improving > worsening ? "improving" : "worsening", fewer = improving > worsening ? "worsening" : "improving"
        let majority = max(improving, worsening) * 2 > judged
        return majority ? "Mostly \(more) (\(max(improving, worsening)) of \(judged))" : "Mostly maintaining; more \(more) than \(fewer)"
    }

    static func library() throws -> MustacheLibrary {
        MustacheContentTypes.register(MarkdownContentType(), named: "MARKDOWN")
        var library = MustacheLibrary()
        let templates: [(String, String)] = [
            ("header", Templates.header), ("footer", Templates.footer), ("markerKey", Templates.markerKey),
            ("valueCells", Templates.valueCells), ("markdownValueCells", Templates.markdownValueCells),
            ("markdownMarkerKey", Templates.markdownMarkerKey), ("markdownFooter", Templates.markdownFooter),
            ("index", Templates.index), ("indicator", Templates.indicator), ("dataQuality", Templates.dataQuality),
            ("markdownIndex", Templates.markdownIndex), ("markdownIndicator", Templates.markdownIndicator),
            ("markdownDataQuality", Templates.markdownDataQuality),
            ("quotes", Templates.quotes), ("markdownQuotes", Templates.markdownQuotes),
            ("evidence", Templates.evidence), ("markdownEvidence", Templates.markdownEvidence),
            ("document", Templates.document), ("markdownDocument", Templates.markdownDocument),
            ("shell", Templates.shell),
        ]
        for (name, text) in templates {
            try library.register(text, named: name)
        }
        return library
    }

    static func render(_ library: MustacheLibrary, _ template: String, _ view: [String: Any], root: String) throws -> String {
        var context = view
        context["root"] = root
        guard let output = library.render(context, withTemplate: template) else {
            throw PipelineFailure("template '\(template)' is not registered")
        }
        return output.hasSuffix("\n") ? output : output + "\n"
    }
}

/// Escapes text for Markdown tables and prose: no raw HTML, no broken table cells.
struct MarkdownContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            // Brackets, parentheses and ! too, so no text can form a link or an image; ` so none
            // can open a code span; ~ so none can strike through.
            case "\\", "|", "*", "_", "`", "[", "]", "(", ")", "!", "~", "#": result += "\\\(character)"
            case "&": result += "\\&"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\n", "\r": result += " "
            default: result.append(character)
            }
        }
        return result
    }
}

// MARK: - Presenter

/// Turns the site model into the dictionaries the templates read.
enum Presenter {
    static func markers(_ used: [Marker]) -> [String: Any] {
        ["hasMarkers": !used.isEmpty, "markers": used.map { ["symbol": $0.rawValue, "meaning": $0.meaning] }]
    }

    static func index(_ model: SiteModel) -> [String: Any] {
        var view: [String: Any] = [
            "pageTitle": "All indicators",
            "hasAnyQuotes": !model.allQuotes.isEmpty,
            "runID": model.runID,
            "foundations": model.foundations.map { foundation -> [String: Any] in
                [
                    "id": foundation.id, "name": foundation.name, "description": foundation.description,
                    "hasIndicators": foundation.hasIndicators,
                    "hasQuotes": !(model.quotes[foundation.id] ?? []).isEmpty,
                    "quotes": (model.quotes[foundation.id] ?? []).map { ["text": $0.text, "attribution": $0.attribution] },
                    "indicators": foundation.indicators.map { page -> [String: Any] in
                        [
                            "id": page.definition.id, "title": page.definition.title, "period": page.latestPeriodLabel,
                            "direction": page.headlineDirection,
                            // Commitments are counted in the value column: "Number" heads counts of children.
                            "number": page.definition.evidence == .qualitative ? "" : page.latest?.number.text ?? "",
                            "value": page.definition.valueType == .count ? (page.definition.evidence == .qualitative ? page.latest?.number.text ?? "" : "") : (page.latest.map { latest in
                                latest.value.text + (page.definition.valueType == .ratePer1000 && !latest.value.isMarker ? " per 1,000" : "")
                            } ?? ""),
                        ]
                    },
                ]
            },
        ]
        view.merge(markers(Array(Set(model.indicators.flatMap(\.markersUsed))).sorted { $0.rawValue < $1.rawValue })) { $1 }
        return view
    }

    static func row(_ row: SiteModel.TableRow) -> [String: Any] {
        ["label": row.label, "number": row.number.text, "denominator": row.denominator.text, "value": row.value.text, "interval": row.interval,
         "benchmark": row.benchmark, "responseRate": row.responseRate]
    }

    /// Text as a Markdown code block, shown exactly as it is: the fence is longer than any run of
    /// backticks inside, so nothing in the text can close it early and become Markdown.
    static func fenced(_ text: String, language: String) -> String {
        var longest = 0, run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return "\(fence)\(language)\n\(text.trimmingCharacters(in: .whitespacesAndNewlines))\n\(fence)"
    }

    static func indicator(_ page: SiteModel.IndicatorPage, runID: String) -> [String: Any] {
        let d = page.definition
        let unitWords: String
        switch d.valueType {
        case .count, .ratePer1000, .mean, .median, .ratio: unitWords = d.unit
        case .percentage: unitWords = "of " + d.unit.replacingOccurrences(of: "% of ", with: "")
        }
        let ciWords: String
        switch d.valueType {
        case _ where d.valueSource == .published:
            ciWords = "The source publishes these values without the numbers behind them, so no intervals are shown. A value marked [r] was revised in a later publication; every vintage is in the public SQLite file (table published_value)."
        case .mean: ciWords = "95% and 99.8% confidence intervals use Student's t distribution with the standard deviation across children; both, and the standard deviation, are in the downloads."
        case .count, .median, .ratio: ciWords = "Counts of all children in the return are shown without intervals."
        case .percentage: ciWords = "95% and 99.8% confidence intervals use the Wilson score method; both are in the downloads."
        case .ratePer1000: ciWords = "95% and 99.8% confidence intervals use exact Poisson limits below 10 events and Byar's method from 10; both are in the downloads."
        }
        // Every child in the return is counted, so an interval is not sampling error.
        let randomVariation = d.evidence == .experiential
            ? "These figures come from the children and young people who chose to answer the survey. The intervals show how far a figure could be from the answer of everyone in the group if those who answered were like those who did not; where few of those invited answered, that is less certain, and the response rate beside each figure says so."
            : d.evidence == .qualitative
            ? "These figures count every commitment in the tracker, not a sample. With so few commitments, the intervals are wide: they show how far a share could move by chance alone, and a change of one or two commitments can move it a long way."
            : d.valueSource == .computed && d.valueType != .count
            ? "These figures count every child, not a sample, so the intervals do not describe sampling error: they show how far a figure could move through random variation alone (chance in who comes into care, moves or leaves), which matters most in small council areas." : ""
        let changeWords = d.valueSource == .computed
            ? "In a council area, a change since the previous period is called improving or worsening only when it is at least the threshold and it is statistically significant (p below 0.05: a two-proportion test for percentages, a Poisson test for counts and rates, Welch's test for means); both results are in the public file (table direction_of_travel)."
            : "The source publishes values without the counts behind them, so changes cannot be tested for significance; in a council area a change at least the threshold is shown with that caveat."
        let scotlandOnly = d.breakdowns.filter { !d.councilAreaBreakdowns.contains($0) }
        var view: [String: Any] = [
            "randomVariation": randomVariation, "changeWords": changeWords,
            "scotlandOnlyValues": d.councilAreaValues ? "" : d.evidence == .qualitative ? "Published for Scotland only: the commitments are national ones, made by the Scottish Government and its partners, not by council areas."
                : "Published for Scotland only: in a council area these figures, beside the others published, would let small numbers of children be worked out.",
            "breakdownsScotlandOnly": scotlandOnly.isEmpty ? "" : "Breakdowns by \(scotlandOnly.map { $0 == .ageBand ? "age" : $0.rawValue.replacingOccurrences(of: "_", with: " ") }.joined(separator: " and ")) are published for Scotland only: in council areas most groups would be so small that they would have to be withheld, and the rest with them.",
            "pageTitle": d.title, "runID": runID, "id": d.id, "title": d.title, "shortTitle": d.shortTitle,
            "definition": d.definition, "rationale": d.rationale, "foundation": page.foundationName,
            "visionStatement": "\(d.visionStatement). \(page.visionStatementTitle)", "role": d.role == .core ? "Core" : "Contextual",
            "numerator": d.numerator.description, "unit": d.unit, "source": d.source, "ciWords": ciWords,
            "outcome": d.outcome, "publisher": d.publisher, "frequency": d.frequency.rawValue.capitalized,
            "lastUpdated": d.lastUpdated, "nextUpdateDue": d.nextUpdateDue,
            "polarity": d.polarity == .higherIsBetter ? "Higher is better" : d.polarity == .lowerIsBetter ? "Lower is better" : "No judgement: neither higher nor lower is better in itself",
            "numeratorSQL": d.numerator.sql.trimmingCharacters(in: .whitespacesAndNewlines), "file": SiteModel.publicPath(d.file),
            "numeratorSQLMarkdown": Self.fenced(d.numerator.sql, language: "sql"), "hasDirectionCSV": !page.directions.isEmpty,
            "isCount": d.valueType == .count, "hasDenominator": d.valueType.countsChildrenInDenominator && d.valueSource == .computed,
            "hasNumber": d.valueSource == .computed,
            // Survey results count answers out of respondents; other indicators count children.
            "numberHeading": Self.heading(d.evidence == .qualitative ? .records : d.numerator.population?.unit, numerator: true),
            "denominatorHeading": Self.heading(d.evidence == .qualitative ? .records : d.denominator?.population?.unit, numerator: false),
            "hasResponseRate": d.responseRateIndicator != nil,
            "responseRateNote": d.responseRateIndicator == nil ? "" : "The response rate is the share of those invited who answered the survey: it is known for each council area and age group, from the number invited. Rows for all ages, by sex or by placement type show the rate of the age groups the question is asked of, in that wave and area ([c] where one of those groups is withheld).",
            "lowResponseNote": page.hasLowResponse ? "A response rate marked (low) means fewer than a fifth of those invited answered: results for that group may not represent the children and young people who did not answer." : "",
            "hasAnswers": !page.answerDistribution.isEmpty,
            "answers": page.answerDistribution.map { ["group": $0.group, "label": $0.label, "answers": Formatting.count($0.answers), "share": $0.share, "note": $0.note] },
            "answersWithheldNote": page.answersWithheld ? "An age group's answers are not shown where its result for Scotland is withheld ([c])." : "",
            "hasInterval": d.valueSource == .computed && d.valueType != .count,
            "unitSymbol": d.valueType.symbol, "period": page.latestPeriodLabel,
            "chart": page.chart.svg, "chartCaption": page.chart.description + (page.chart.startsAboveZero ? " The vertical axis starts at \(Formatting.value(page.chart.axis.low, type: d.valueType)), not zero, so the change can be seen." : ""), "plainSummary": page.plainSummary,
            "hasComparison": page.comparison != nil, "comparisonChart": page.comparison?.svg ?? "",
            "comparisonCaption": page.comparison.map { "\($0.title). \($0.description)" } ?? "",
            "comparisonWords": page.comparison.map { chart -> String in
                let calls = chart.rows.map(\.call)
                func n(_ set: [String]) -> Int { calls.filter { $0.map(set.contains) ?? false }.count }
                return "Compared with Scotland: \(n(["better"])) council areas significantly better, \(n(["worse"])) significantly worse, \(n(["higher"])) significantly higher, \(n(["lower"])) significantly lower, \(n(["similar"])) similar; \(calls.filter { $0 == nil }.count) not compared (withheld, missing or no interval)."
            } ?? "",
            "trend": page.trend.map(row), "hasAreas": !page.areas.isEmpty, "areas": page.areas.map(row),
            "directions": page.directions.map { ["rule": $0.rule, "status": $0.status, "detail": $0.detail] },
            "breakdowns": page.breakdowns.enumerated().map { index, table -> [String: Any] in
                ["title": table.title, "titleLower": table.title.lowercased(), "slug": "breakdown-\(index)", "rows": table.rows.map(row)]
            },
        ]
        if let denominator = d.denominator {
            view["denominatorWords"] = denominator.description
            view["denominatorSQL"] = denominator.sql.trimmingCharacters(in: .whitespacesAndNewlines)
            view["denominatorSQLMarkdown"] = Self.fenced(denominator.sql, language: "sql")
        }
        if !d.caveats.isEmpty { view["caveats"] = d.caveats }
        if let latest = page.latest {
            view["scotland"] = row(latest)
            var headline: [String: Any] = [
                "value": latest.value.text, "unitWords": d.valueType == .count ? d.unit : unitWords, "period": page.latestPeriodLabel,
                "hasNumber": d.valueType != .count && d.valueSource == .computed && !latest.number.isMarker,
                "numberWords": d.evidence == .experiential && d.responseRateIndicator == nil && !latest.denominator.isMarker
                    ? "\(latest.number.text) of the \(latest.denominator.text) invited answered the survey"
                    : d.evidence == .experiential && !latest.denominator.isMarker
                    ? "\(latest.number.text) of \(latest.denominator.text) who gave an answer other than don't know or prefer not to say" + (latest.responseRate.isEmpty ? "" : "; response rate \(latest.responseRate)")
                    : d.evidence == .qualitative ? "\(latest.number.text) of \(latest.denominator.text) commitments"
                    : "\(latest.number.text) children",
            ]
            if !latest.interval.isEmpty { headline["interval"] = latest.interval }
            view["headline"] = headline
            if latest.value.isMarker, latest.value.text == Marker.confidential.rawValue {
                view["scotlandWithheld"] = "Scotland's figure for \(page.latestPeriodLabel) is withheld ([c]) to protect children's privacy: with the council areas and the other published tables beside it, it would let a small number of children be worked out. Council areas are not compared with Scotland while its figure is withheld."
            }
        }
        view.merge(markers(page.markersUsed)) { $1 }
        return view
    }

    /// Column heading for a count by what it counts.
    static func heading(_ unit: IndicatorDefinition.CountUnit?, numerator: Bool) -> String {
        switch unit {
        case .answers: "Answers counted"
        case .records: numerator ? "Commitments" : "All commitments"
        case .respondents: "Respondents"
        case .children, nil: numerator ? "Number" : "Out of"
        }
    }

    static func statement(_ s: EvidenceModel.Statement) -> [String: Any] {
        ["text": s.text, "doc": s.documentID, "no": s.number, "title": s.documentTitle, "published": s.published,
         "kind": EvidenceModel.kindLabels[s.kind] ?? s.kind, "foundations": s.foundations.replacingOccurrences(of: ",", with: ", ")]
    }

    static func evidence(_ f: EvidenceModel.Foundation, runID: String) -> [String: Any] {
        [
            "pageTitle": "\(f.name): evidence of progress", "runID": runID, "name": f.name, "description": f.description, "id": f.id,
            "hasCommitments": !f.commitments.isEmpty,
            "commitments": f.commitments.map { c -> [String: Any] in
                ["id": c.id, "text": c.text, "owner": c.owner, "due": c.due, "status": c.status, "updated": c.updated,
                 "hasSource": c.sourceTitle != nil, "source": c.sourceDocument ?? "", "sourceTitle": c.sourceTitle ?? ""]
            },
            "hasDocumentCommitments": !f.documentCommitments.isEmpty, "documentCommitments": f.documentCommitments.map(statement),
            "hasProgress": !f.progress.isEmpty, "progress": f.progress.map(statement),
            "hasQuotes": !f.quotes.isEmpty, "quotes": f.quotes.map(statement),
        ]
    }

    static func document(_ d: EvidenceModel.Document, runID: String) -> [String: Any] {
        [
            "pageTitle": d.title, "runID": runID, "title": d.title, "published": d.published, "publisher": d.publisher,
            "documentType": d.documentType, "url": d.url, "hasURL": !d.url.isEmpty,
            "notFound": d.notFound.isEmpty ? "" : "Not given in the document: \(d.notFound.replacingOccurrences(of: ",", with: ", ").replacingOccurrences(of: "_", with: " ")).",
            "sections": d.sections.map { section -> [String: Any] in
                ["heading": section.heading.isEmpty ? "Opening" : section.heading, "statements": section.statements.map(statement)]
            },
        ]
    }

    static func quotes(_ model: SiteModel) -> [String: Any] {
        [
            "pageTitle": "In their own words", "runID": model.runID, "hasQuotes": !model.allQuotes.isEmpty,
            "foundations": model.allQuotes.map { group in
                ["name": group.foundation, "quotes": group.quotes.map { ["text": $0.text, "attribution": $0.attribution] }] as [String: Any]
            },
        ]
    }

    static func dataQuality(_ model: SiteModel) -> [String: Any] {
        [
            "pageTitle": "Data quality", "runID": model.runID,
            "files": model.files.map { file in
                file.aboutPeople
                    ? ["file": file.file, "read": SiteModel.peopleRows(file.read), "rejected": Formatting.count(file.rejected), "loaded": SiteModel.peopleRows(file.loaded)]
                    : ["file": file.file, "read": Formatting.count(file.read), "rejected": Formatting.count(file.rejected), "loaded": Formatting.count(file.loaded)]
            },
            "hasRejections": !model.rejectionsByRule.isEmpty,
            "rejections": model.rejectionsByRule.map { ["label": $0.label, "count": Formatting.count($0.count)] },
            "suppressions": model.suppressionsByRule.map { ["label": $0.label, "count": Formatting.count($0.count)] },
            "informationLoss": model.informationLoss,
            "published": Formatting.count(model.valuesPublished),
            "hasNotes": !model.notes.isEmpty, "notes": model.notes,
        ]
    }
}
