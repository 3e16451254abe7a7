import Foundation

/// Writes synthetic published aggregate tables (`published/*.csv`) in the input contract:
/// one file per source, Scotland and every council area (Scotland only for secure care, as
/// published), six periods, each first published on a plausible date, with a later vintage
/// revising the second-latest period so that revisions ([r]) are exercised. Same seed, same bytes.
struct SyntheticPublishedTables {
    /// A measure: its source file, period ids, Scotland's value in the first and last period, spread
    /// between council areas, and whether council areas are published.
    struct Measure {
        var code: String
        var file: String
        var periodPrefix: String
        var first: Double
        var last: Double
        var spread: Double
        var places: Int
        var councils: Bool
        var vintageMonthDay: String
    }

    // Scotland's values are calibrated to the published figures where there is one: 2023-24 secure care 60 a
    // day; 48% of those eligible receiving aftercare; 10,197 children referred to the Reporter in
    // 2023-24 (about 11.4 per 1,000 aged 0-15). The rest are plausible, and all are synthetic.
    static let measures: [Measure] = [
        Measure(code: "secure_care_average_daily", file: "secure_care.csv", periodPrefix: "", first: 72, last: 58, spread: 0, places: 0, councils: false, vintageMonthDay: "-10-29"),
        Measure(code: "child_protection_registrations_rate", file: "child_protection.csv", periodPrefix: "", first: 3.1, last: 2.7, spread: 0.35, places: 1, councils: true, vintageMonthDay: "-03-25"),
        Measure(code: "scra_referrals_rate", file: "scra.csv", periodPrefix: "fy", first: 14.5, last: 11.2, spread: 0.3, places: 1, councils: true, vintageMonthDay: "-07-30"),
        Measure(code: "hearing_attendance_share", file: "scra.csv", periodPrefix: "fy", first: 71, last: 78, spread: 0.08, places: 1, councils: true, vintageMonthDay: "-07-30"),
        Measure(code: "advocacy_share", file: "advocacy.csv", periodPrefix: "fy", first: 18, last: 41, spread: 0.25, places: 1, councils: true, vintageMonthDay: "-09-24"),
        Measure(code: "continuing_care_share", file: "aftercare.csv", periodPrefix: "", first: 26, last: 33, spread: 0.2, places: 1, councils: true, vintageMonthDay: "-03-25"),
        Measure(code: "aftercare_share", file: "aftercare.csv", periodPrefix: "", first: 43, last: 48, spread: 0.15, places: 1, councils: true, vintageMonthDay: "-03-25"),
        Measure(code: "restraint_per_place", file: "restraint.csv", periodPrefix: "cy", first: 4.2, last: 3.1, spread: 0.35, places: 2, councils: true, vintageMonthDay: "-06-18"),
        Measure(code: "positive_destinations_share", file: "education.csv", periodPrefix: "ay", first: 81, last: 86, spread: 0.06, places: 1, councils: true, vintageMonthDay: "-02-27"),
        Measure(code: "exclusions_rate", file: "education.csv", periodPrefix: "ay", first: 90, last: 62, spread: 0.3, places: 1, councils: true, vintageMonthDay: "-12-10"),
        Measure(code: "attendance_share", file: "education.csv", periodPrefix: "ay", first: 87.5, last: 86.1, spread: 0.03, places: 1, councils: true, vintageMonthDay: "-12-10"),
        Measure(code: "supervision_coverage_share", file: "workforce.csv", periodPrefix: "cy", first: 74, last: 82, spread: 0.08, places: 1, councils: true, vintageMonthDay: "-08-20"),
        Measure(code: "vacancy_rate", file: "workforce.csv", periodPrefix: "cy", first: 6.5, last: 9.4, spread: 0.3, places: 1, councils: true, vintageMonthDay: "-08-20"),
        // Last, so that adding it left every earlier value unchanged.
        Measure(code: "seclusion_per_place", file: "restraint.csv", periodPrefix: "cy", first: 0.9, last: 0.6, spread: 0.4, places: 2, councils: true, vintageMonthDay: "-06-18"),
    ]

    let councils: [String]

    func write(to directory: URL, rng: inout SplitMix64) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var files: [String: CSVWriter] = [:]
        let header = PublishedTablesStream.values.columnNames
        for measure in Self.measures {
            var csv = files[measure.file] ?? CSVWriter(header: header)
            // Council areas keep a stable position relative to Scotland, with a little noise each year.
            let offsets = councils.map { _ in 1 + measure.spread * (2 * rng.uniform() - 1) }
            for index in 0..<6 {
                let year = 2019 + index
                let period = measure.periodPrefix == "cy" ? "cy\(year)" : "\(measure.periodPrefix)\(year)-\(String(year + 1).suffix(2))"
                let scotland = measure.first + (measure.last - measure.first) * Double(index) / 5 * (1 + 0.04 * (rng.uniform() - 0.5))
                let published = (measure.periodPrefix == "cy" ? year + 1 : year + 1) + (measure.vintageMonthDay < "-08-01" ? 1 : 0)
                let vintage = "\(published)\(measure.vintageMonthDay)"
                var rows: [(String, Double)] = [("S92000003", scotland)]
                if measure.councils {
                    rows += zip(councils, offsets).map { ($0, scotland * $1 * (1 + 0.06 * (rng.uniform() - 0.5))) }
                }
                for (area, value) in rows {
                    let text = Self.format(value, places: measure.places)
                    csv.append([measure.code, period, area, "total", text, "", vintage])
                    // The second-latest period was revised a year later for Scotland and a few areas.
                    if index == 4 && (area == "S92000003" || rng.bernoulli(0.15)) {
                        csv.append([measure.code, period, area, "total", Self.format(value * (1 + 0.02 * (rng.uniform() - 0.3)), places: measure.places), "",
                                    "\(published + 1)\(measure.vintageMonthDay)"])
                    }
                }
            }
            files[measure.file] = csv
        }
        for (name, csv) in files.sorted(by: { $0.key < $1.key }) {
            try Data(csv.text.utf8).write(to: directory.appendingPathComponent(name))
        }
    }

    static func format(_ value: Double, places: Int) -> String {
        places == 0 ? String(Int(value.rounded())) : Formatting.decimal(value, places: places).replacingOccurrences(of: ",", with: "")
    }
}
