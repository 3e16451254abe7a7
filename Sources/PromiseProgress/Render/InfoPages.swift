import Foundation
import GRDB

/// What changed since the last published build, worked out from the previous public SQLite file
/// (`out/public/data/promise-public.sqlite`, still in place while a build renders) against the values
/// about to be published: indicators and areas added or removed, new periods, revised values,
/// values newly withheld or published, and changes of direction of travel.
enum ChangesPage {
    typealias Inline = PageDocument.Inline
    typealias Column = PageDocument.Column

    struct Stored: Equatable {
        var value: Double?
        var marker: String?
    }

    /// Every published value of a public file (or the store's published table), by indicator and key.
    static func values(_ db: Database, table: String) throws -> [String: [CellKey: Stored]] {
        var result: [String: [CellKey: Stored]] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT indicator_id, period_id, geography_code, breakdown_type, breakdown_code, value, marker FROM \(table)")
        while let row = try rows.next() {
            let key = CellKey(period: row["period_id"], geography: row["geography_code"], breakdownType: row["breakdown_type"], breakdownCode: row["breakdown_code"])
            result[row["indicator_id"], default: [:]][key] = Stored(value: row["value"], marker: row["marker"])
        }
        return result
    }

    static func statuses(_ db: Database) throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT d.indicator_id, d.geography_code, d.status FROM direction_of_travel d JOIN indicator i ON i.indicator_id = d.indicator_id AND i.headline_rule = d.rule") {
            result["\(row["indicator_id"] as String)|\(row["geography_code"] as String)"] = row["status"]
        }
        return result
    }

    /// `previous`: the last published public file, or nil when nothing has been published yet.
    static func build(current db: Database, previous: URL?, snapshot: PublishedSnapshot) throws -> (PageDocument, [[String]]) {
        var page = PageDocument(title: "What changed since the last build", crumbs: [("Overview", "index")],
                                lead: "Compared with the figures published by the previous build: indicators and council areas added or removed, new periods, revised figures, figures newly withheld or published, and changes in direction of travel.")
        var csv = [["change", "indicator_id", "period_id", "geography_code", "breakdown_type", "breakdown_code", "before", "after"]]
        guard let previous else {
            page.add(.paragraph([.text("This is the first build published here, so there is nothing to compare with. The next build will list what changed.")]))
            return (page, csv)
        }
        let queue = try DatabaseQueue(path: previous.path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        let (before, beforeStatus, beforeIndicators) = try queue.read { old in
            (try values(old, table: "indicator_value"), try statuses(old), Set(try String.fetchAll(old, sql: "SELECT indicator_id FROM indicator")))
        }
        let after = try values(db, table: "published_indicator_value")
        let afterStatus = try statuses(db)
        let afterIndicators = Set(snapshot.definitions.map(\.id))
        let titles = Dictionary(uniqueKeysWithValues: snapshot.definitions.map { ($0.id, $0.title) })
        let definitions = Dictionary(uniqueKeysWithValues: snapshot.definitions.map { ($0.id, $0) })
        let areaNames = Dictionary(uniqueKeysWithValues: snapshot.councils.map { ($0.code, $0.name) } + [(PublishedSnapshot.scotland, "Scotland")])
        func indicatorLink(_ id: String) -> Inline { titles[id].map { .page($0, path: "indicators/\(id)") } ?? .text(id) }
        func shown(_ stored: Stored?, _ id: String) -> String {
            guard let stored else { return "none" }
            return PublishedSnapshot.text(PublishedSnapshot.Value(value: stored.value, marker: stored.marker), definitions[id]?.valueType ?? .count)
        }

        // Indicators and areas.
        let added = afterIndicators.subtracting(beforeIndicators).sorted(), removed = beforeIndicators.subtracting(afterIndicators).sorted()
        func areas(_ values: [String: [CellKey: Stored]]) -> Set<String> {
            Set(values.values.flatMap { $0.filter { $0.value.marker != Marker.notAvailable.rawValue }.keys.map(\.geography) })
        }
        let areasAdded = areas(after).subtracting(areas(before)).sorted(), areasRemoved = areas(before).subtracting(areas(after)).sorted()
        // New periods: a Scotland value now where there was none.
        var newPeriods: [[[Inline]]] = []
        var revised: [(String, CellKey, Stored, Stored)] = []
        var withheld: [(String, CellKey)] = [], released: [(String, CellKey)] = []
        for id in afterIndicators.intersection(beforeIndicators).sorted() {
            let old = before[id] ?? [:], new = after[id] ?? [:]
            let oldPeriods = Set(old.filter { $0.key.geography == PublishedSnapshot.scotland && $0.key.isTotal && $0.value.marker != Marker.notAvailable.rawValue }.keys.map(\.period))
            let newPeriodIDs = Set(new.filter { $0.key.geography == PublishedSnapshot.scotland && $0.key.isTotal && $0.value.marker != Marker.notAvailable.rawValue }.keys.map(\.period))
            for period in newPeriodIDs.subtracting(oldPeriods).sorted() {
                newPeriods.append([[indicatorLink(id)], [.text(definitions[id].map { snapshot.periodLabel(period, $0) } ?? period)]])
                csv.append(["new period", id, period, PublishedSnapshot.scotland, "total", "total", "", ""])
            }
            for (key, now) in new.sorted(by: { $0.key < $1.key }) {
                guard let was = old[key], oldPeriods.contains(key.period) || !newPeriodIDs.contains(key.period) else { continue }
                // A change too small to show at the precision the figures are published with is not
                // a revision a reader could see ("1.1 to 1.1"): it is left out, unless the figure is newly
                // marked [r] (its counts were revised), so that every [r] is listed here.
                let type = definitions[id]?.valueType ?? .ratio
                let newlyMarked = now.marker == Marker.revised.rawValue && was.marker != Marker.revised.rawValue
                if let a = was.value, let b = now.value, newlyMarked || (abs(a - b) > 1e-9 * max(1, abs(a)) && Formatting.value(a, type: type) != Formatting.value(b, type: type)) {
                    revised.append((id, key, was, now))
                } else if was.value != nil, now.value == nil, now.marker == Marker.confidential.rawValue {
                    withheld.append((id, key))
                } else if was.value == nil, was.marker == Marker.confidential.rawValue, now.value != nil {
                    released.append((id, key))
                }
            }
        }
        var statusChanges: [(String, String, String, String)] = []
        for (key, now) in afterStatus.sorted(by: { $0.key < $1.key }) {
            if let was = beforeStatus[key], was != now {
                let parts = key.split(separator: "|").map(String.init)
                statusChanges.append((parts[0], parts[1], was, now))
            }
        }

        page.add(.heading(2, "In short"))
        let nothing = added.isEmpty && removed.isEmpty && areasAdded.isEmpty && areasRemoved.isEmpty && newPeriods.isEmpty && revised.isEmpty && withheld.isEmpty && released.isEmpty && statusChanges.isEmpty
        page.add(.list([
            [.text("Indicators added: \(added.count); removed: \(removed.count).")],
            [.text("Council areas or Scotland with values added: \(areasAdded.count); removed: \(areasRemoved.count).")],
            [.text("New periods: \(newPeriods.count).")],
            [.text("Revised figures: \(revised.count) (a value that changed for a period published before, shown [r] on the indicator's page where the source revised it).")],
            [.text("Figures newly withheld [c]: \(withheld.count); newly published: \(released.count).")],
            [.text("Changes in direction of travel: \(statusChanges.count) (\(statusChanges.filter { $0.1 == PublishedSnapshot.scotland }.count) for Scotland).")],
        ]))
        if nothing { page.add(.paragraph([.strong("Nothing changed: every published figure and status is as before.")])) }
        if !added.isEmpty || !removed.isEmpty {
            page.add(.heading(2, "Indicators added or removed"))
            page.add(.list(added.map { [.text("Added: "), indicatorLink($0)] } + removed.map { [.text("Removed: \($0)")] }))
            for id in added { csv.append(["indicator added", id, "", "", "", "", "", ""]) }
            for id in removed { csv.append(["indicator removed", id, "", "", "", "", "", ""]) }
        }
        if !areasAdded.isEmpty || !areasRemoved.isEmpty {
            page.add(.heading(2, "Areas added or removed"))
            page.add(.list(areasAdded.map { [.text("Added: \(areaNames[$0] ?? $0)")] } + areasRemoved.map { [.text("Removed: \(areaNames[$0] ?? $0)")] }))
            for code in areasAdded { csv.append(["area added", "", "", code, "", "", "", ""]) }
            for code in areasRemoved { csv.append(["area removed", "", "", code, "", "", "", ""]) }
        }
        if !newPeriods.isEmpty {
            page.add(.heading(2, "New periods"))
            page.add(.table(id: "new-periods", caption: "Periods with a Scotland figure for the first time", columns: [Column("Indicator"), Column("Period")], rows: newPeriods))
        }
        if !statusChanges.isEmpty {
            page.add(.heading(2, "Changes in direction of travel"))
            // Scotland first, then by indicator and area.
            let shownChanges = statusChanges.sorted { a, b in
                let first = a.1 == PublishedSnapshot.scotland ? 0 : 1, second = b.1 == PublishedSnapshot.scotland ? 0 : 1
                return first != second ? first < second : (a.0, a.1) < (b.0, b.1)
            }
            var statusRows: [[[Inline]]] = []
            for change in shownChanges.prefix(200) {
                statusRows.append([[indicatorLink(change.0)], [.text(areaNames[change.1] ?? change.1)],
                                   [.text(PublishedSnapshot.statusWords[change.2] ?? change.2)], [.text(PublishedSnapshot.statusWords[change.3] ?? change.3)]])
            }
            page.add(.table(id: "status", caption: "Headline direction of travel that changed (Scotland first)", columns: [Column("Indicator"), Column("Area"), Column("Before"), Column("Now")], rows: statusRows))
            if shownChanges.count > 200 { page.add(.note([.text("The first 200 of \(shownChanges.count) are shown; all are in the download.")])) }
            for change in shownChanges { csv.append(["status changed", change.0, "", change.1, "total", "total", change.2, change.3]) }
        }
        if !revised.isEmpty {
            page.add(.heading(2, "Revised figures"))
            page.add(.table(id: "revised", caption: "Figures that changed for periods published before", columns: [Column("Indicator"), Column("Period"), Column("Area"), Column("Group"), Column("Before", numeric: true), Column("Now", numeric: true)],
                            rows: revised.prefix(200).map { (id, key, was, now) in
                                [[indicatorLink(id)], [.text(definitions[id].map { snapshot.periodLabel(key.period, $0) } ?? key.period)], [.text(areaNames[key.geography] ?? key.geography)],
                                 [.text(key.isTotal ? "All" : "\(key.breakdownType.replacingOccurrences(of: "_", with: " ")): \(key.breakdownCode)")], [.text(shown(was, id))], [.text(shown(now, id))]]
                            }))
            if revised.count > 200 { page.add(.note([.text("The first 200 of \(revised.count) are shown; all are in the download.")])) }
        }
        for (id, key, was, now) in revised { csv.append(["revised", id, key.period, key.geography, key.breakdownType, key.breakdownCode, was.value.map(Formatting.plain) ?? "", now.value.map(Formatting.plain) ?? ""]) }
        for (id, key) in withheld { csv.append(["newly withheld", id, key.period, key.geography, key.breakdownType, key.breakdownCode, "", Marker.confidential.rawValue]) }
        for (id, key) in released { csv.append(["newly published", id, key.period, key.geography, key.breakdownType, key.breakdownCode, Marker.confidential.rawValue, ""]) }
        page.add(.paragraph([.text("Every change, one per line: "), .file("changes.csv", path: "../data/pages/changes.csv"), .text(".")]))
        return (page, csv)
    }
}

/// The methods page, the accessibility statement and the downloads page.
enum InfoPages {
    typealias Inline = PageDocument.Inline
    typealias Column = PageDocument.Column

    static func methods(snapshot: PublishedSnapshot, rules: DisclosureControl.Rules, run: Row?) -> PageDocument {
        var page = PageDocument(title: "How the numbers are made", crumbs: [("Overview", "index")],
                                lead: "The methods behind every figure on this site, in plain words, with the numbers this build used.")
        let z95 = Formatting.decimal(ConfidenceInterval.Level.ninetyFive.z, places: 2), z998 = Formatting.decimal(ConfidenceInterval.Level.ninetyNinePointEight.z, places: 2)
        page.add(.heading(2, "Uncertainty: confidence intervals"))
        page.add(.paragraph([.text("Even a count of every child varies by chance from year to year. Each percentage, rate and mean comes with a 95% confidence interval (z = \(z95)) and a 99.8% interval (z = \(z998)), both in the downloads. Percentages use the Wilson score interval; counts and rates use the exact Poisson interval for small counts and Byar's approximation for larger ones; means use Student's t distribution. The interval says how far the figure could be from the underlying rate by random variation alone, not whether the data are complete or right.")]))
        page.add(.paragraph([.text("Survey results are from those who chose to answer: the interval treats them as a sample of those invited, and the response rate of the same group is shown beside each survey result. Where fewer than a fifth of those invited answered, the figure is marked (low); where the rate itself is withheld, the band is still shown (under 20% (low)), so a low response is never hidden.")]))
        page.add(.heading(2, "Comparing a council area with Scotland"))
        page.add(.paragraph([.text("A council area is called significantly higher or lower than Scotland when its 95% confidence interval lies wholly above or below Scotland's value; otherwise it is similar. Where the definition says which way is better, higher and lower become better and worse. Counts are not compared (areas differ in size). Areas are also ranked (1 is the highest value) and put in fifths.")]))
        page.add(.heading(2, "Direction of travel"))
        page.add(.paragraph([.text("Two rules are worked out for every indicator and area, and each indicator names one as its headline:")]))
        page.add(.list([
            [.strong("Change since the previous period"), .text(" (the National Performance Framework's rule): improving or worsening when the change between the last two periods is at least the indicator's threshold, otherwise maintaining. In a council area the change must also be statistically significant (p below \(Formatting.decimal(DirectionOfTravel.significanceLevel, places: 2))).")],
            [.strong("Trend over five periods"), .text(": the chi-squared test for linear trend over the last five periods; a trend counts when p is below \(Formatting.decimal(DirectionOfTravel.significanceLevel, places: 2)).")],
            [.text("Where an indicator has no preferred direction, the words are increasing and decreasing. Where there are too few periods or values are withheld, the direction cannot be calculated, and the indicator's page says why.")],
        ]))
        let thresholdRows: [[[Inline]]] = snapshot.definitions.filter { $0.evidence != .qualitative || true }.map { d in
            [[.page(d.title, path: "indicators/\(d.id)")], [.text(d.headlineRule == "npf_change" ? "Change since the previous period" : "Trend over five periods")],
             [.text(Formatting.decimal(d.directionThreshold) + (d.directionThresholdUnit == .percentagePoints ? " percentage points" : "%"))]]
        }
        page.add(.table(id: "thresholds", caption: "Headline rule and threshold of every indicator, as this build used them", columns: [Column("Indicator"), Column("Headline rule"), Column("Threshold")], rows: thresholdRows))
        page.add(.heading(2, "Protecting children's privacy"))
        page.add(.paragraph([.text("No figure on this site lets anyone learn about a child. Counts of \(1) to \(rules.largestSuppressedCount) children are withheld and shown [c]; so is any survey result from a group of fewer than \(rules.smallestRespondentGroup) children and young people, with every answer count inside it, and any survey result where 1 to \(rules.largestSuppressedCount) gave the answer or 1 to \(rules.largestSuppressedCount) did not (\"21 of 23 feel safe\" would say that 2 do not). Other figures are withheld beside them so that none can be worked out by subtraction, or by combining every published table, label, band and zero by linear programming, including what anyone who reads the definitions knows: that children looked after during a year are at most those looked after when it began plus those who started in it, and that those looked after on its last day were looked after during it. For each withheld small count, the range an attacker can prove must include 0 and \(rules.largestSuppressedCount + 1) (for survey groups, 0 and \(rules.smallestRespondentGroup)). Before anything is published, an independent audit repeats that attack on the public files and stops the build if it narrows any withheld count. A value on a denominator below \(Formatting.decimal(rules.lowReliabilityDenominator, places: 0)) is marked [u] (low reliability).")]))
        page.add(.heading(3, "The attacker keeps every release: our revisions policy"))
        page.add(.paragraph([.text("This site is rebuilt every night, and anyone can keep every night's files. Two releases that differed by one child's record would give that child away, cell by cell. So the protection and the audit treat the previous release as known to the attacker, and figures change only at announced times:")]))
        page.add(.list([
            [.strong("Nightly builds never change a published figure."), .text(" A figure, or whether it is withheld, stays exactly as first published for every period already published. Late, corrected or withdrawn records for those periods, a new vintage of a published table and a changed definition are held: the restricted store lists them, and they wait for a revision.")],
            [.strong("New periods, indicators and areas"), .text(" are published as soon as they arrive, protected together with everything already published.")],
            [.strong("Revisions are published in a declared revision release"), .text(". Revised figures are marked [r] and listed on the page of changes. In a revision, a count that moved by 1 to \(rules.largestSuppressedCount) is withheld, with others beside it, since the difference would isolate those children, and what was withheld before stays withheld; the audit attacks the revision together with the release it replaces. A revision that would move counts in fewer than \(RevisionPolicy.smallestRevision) council areas waits until more records have changed: which few counts moved would tell who the records are about.")],
        ]))
        if let run {
            let cells: Int = run["cells_counted"] ?? 0
            let reasons: [(String, String)] = [("cells_withheld_primary", "small counts and small survey groups"), ("cells_withheld_group", "counts inside a withheld total or survey group"),
                                               ("cells_withheld_secondary", "second counts in a sum"), ("cells_withheld_protection", "further counts against linear programming"),
                                               ("cells_withheld_revision", "counts fixed by an earlier release, or revised by 1 to 4")]
            page.add(.table(id: "withheld", caption: "Counts withheld in this build, by reason", columns: [Column("Reason"), Column("Counts withheld", numeric: true)],
                            rows: reasons.map { [[.text($0.1)], [.text(Formatting.count(run[$0.0] ?? 0))]] } + [[[.text("All counts stated or implied by the tables")], [.text(Formatting.count(cells))]]],
                            totalRows: [reasons.count]))
        }
        page.add(.heading(2, "What children and young people said, and what was promised"))
        page.add(.paragraph([.text("Quotes are published only where the child agreed, from a survey version that at least \(rules.smallestRespondentGroup) answered, after names, contact details, addresses, schools and places are replaced by a word in brackets, and only once a person has read and approved that exact text. Commitments and progress statements come from published documents and the commitments tracker; each statement links to where it stands in its document, and is tagged to foundations by a reviewable list of words.")]))
        page.add(.heading(2, "Definitions"))
        page.add(.paragraph([.text("Every indicator's definition, including the SQL that counts it, is on its page and in the downloads ("), .file("promise-public.sqlite", path: "../data/promise-public.sqlite"), .text(", table indicator).")]))
        return page
    }

    static func accessibility(pages: Int, checkedOn: String) -> PageDocument {
        var page = PageDocument(title: "Accessibility statement", crumbs: [("Overview", "index")],
                                lead: "This accessibility statement applies to the Promise progress indicators website: every page under this site and its Markdown copy.")
        page.add(.paragraph([.text("This website is run for The Promise progress framework. We want as many people as possible to be able to use it. For example, that means you should be able to:")]))
        page.add(.list([
            [.text("change colours, contrast levels and fonts using browser or device settings;")],
            [.text("zoom in up to 400% without the text spilling off the screen;")],
            [.text("navigate the whole website using just a keyboard or speech recognition software;")],
            [.text("listen to the whole website using a screen reader;")],
            [.text("read every chart as a table: each chart has a text description and the table of its figures beside it, and no chart relies on colour alone;")],
            [.text("read every page without JavaScript, and print any indicator or council area page as a short summary.")],
        ]))
        page.add(.paragraph([.text("We have also made the website text as simple as we can to understand. AbilityNet has advice on making your device easier to use if you have a disability.")]))
        page.add(.heading(2, "How accessible this website is"))
        page.add(.paragraph([.text("We believe this website is fully compliant with the Web Content Accessibility Guidelines version 2.2 AA standard. The limits we know of:")]))
        page.add(.list([
            [.text("Some tables are wide; on a small screen they scroll sideways inside their own region, which keyboard users can reach with the Tab key.")],
            [.text("The Markdown copy of each page has no charts: it has their descriptions and the tables of their figures.")],
        ]))
        page.add(.heading(2, "Feedback and contact information"))
        page.add(.paragraph([.text("If you need information on this website in a different format, such as accessible PDF, large print, easy read or audio, or you find a problem not listed here, tell the team that publishes these statistics through The Promise Scotland's website. We will consider your request and get back to you within 10 working days.")]))
        page.add(.heading(2, "Enforcement procedure"))
        page.add(.paragraph([.text("The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the 'accessibility regulations'). If you're not happy with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS).")]))
        page.add(.heading(2, "Technical information about this website's accessibility"))
        page.add(.paragraph([.text("We are committed to making our website accessible, in accordance with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.")]))
        page.add(.heading(3, "Compliance status"))
        page.add(.paragraph([.text("This website is fully compliant with the Web Content Accessibility Guidelines version 2.2 AA standard.")]))
        page.add(.heading(2, "How we tested this website"))
        page.add(.paragraph([.text("Every build is tested before release: a sample of every kind of page (\(pages) pages are published) is opened in a real browser (Chromium) and checked with axe-core against the WCAG 2.2 A and AA rules, and with the Nu HTML Checker; both must report no problems. Pages are also checked to load nothing from other sites and to show everything with JavaScript turned off, and are looked at at desktop and phone widths and printed. The pages use no JavaScript, no external fonts, scripts or styles.")]))
        page.add(.heading(2, "Preparation of this accessibility statement"))
        page.add(.paragraph([.text("This statement was prepared on 1 December 2026. It is reviewed with every change to how the pages are made, and was last checked by the automated tests on \(checkedOn).")]))
        return page
    }

    static func downloads(_ definitions: [IndicatorDefinition], archive: String, councils: [(code: String, name: String)]) -> PageDocument {
        var page = PageDocument(title: "Download the data", crumbs: [("Overview", "index")],
                                lead: "Everything on this site, after disclosure control, in open formats. Column names stay the same from build to build; markers such as [c] are in their own column, never mixed into numbers.")
        page.add(.heading(2, "Everything at once"))
        page.add(.list([
            [.file("All the CSV files with their metadata (\(archive))", path: "../data/\(archive)"), .text(": one CSV per indicator, the page tables, and datapackage.json describing every file and column (a Frictionless Data Package).")],
            [.file("promise-public.sqlite", path: "../data/promise-public.sqlite"), .text(": one SQLite file with every published table, its data dictionary, the definitions and the qualitative evidence, for sqlite3, Python, R or Datasette.")],
        ]))
        page.add(.heading(2, "One CSV per indicator"))
        page.add(.table(id: "csv", caption: "CSV file of each indicator (every period, area and group)", columns: [Column("Indicator"), Column("File")],
                        rows: definitions.map { [[.page($0.title, path: "indicators/\($0.id)")], [.file("\($0.id).csv", path: "../data/\($0.id).csv")]] }))
        page.add(.heading(2, "Columns of the indicator files"))
        page.add(.paragraph([.text("indicator_id, period_id, period_label, geography_code, geography_name, breakdown_type, breakdown_code, numerator, denominator, value, marker, lower_95, upper_95, lower_998, upper_998, ci_method, standard_deviation, benchmark, rank, quintile. A withheld number is empty with [c] in marker.")]))
        return page
    }
}
