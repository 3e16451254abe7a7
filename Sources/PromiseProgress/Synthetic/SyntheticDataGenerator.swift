import Foundation

/// Writes a realistic, entirely synthetic child-level dataset in the input contract
/// (docs/input-contract.md). Same seed and scale give byte-identical files.
///
/// How it works: for every council area and every reporting year from 2000-01 to 2024-25,
/// groups of brothers and sisters start to be looked after together on a random day. Each child
/// gets an episode whose length is drawn from a mix of short and long stays (ending by the 18th
/// birthday), a main placement type, and sometimes interim placements before it. Some children
/// return to care later. Only episodes open at some time from 1 August 2019 to 31 July 2025 are
/// written, as if extracted on 31 July 2025.
///
/// The parameters in ``Calibration`` were tuned so that the national figures land near the
/// published ones (Children's Social Work Statistics, 31 July 2024: about 11,844 looked after; 20% at home, 35%
/// kinship, 32% foster, 11% residential; about 3,100 starts a year). Council areas are sized by
/// child population times a relative rate (higher where deprivation is higher).
public struct SyntheticDataGenerator {
    public var seed: UInt64
    /// Multiplies the population: 1 is roughly Scotland's size; the tests use 0.1 for a small,
    /// consistent set of inputs (the command line takes whole numbers).
    public var scale: Double
    /// Child population aged 0-17 by council area (current GSS code), used to size areas.
    public var councilPopulation: [(code: String, population: Int)]

    public init(seed: UInt64 = 20240731, scale: Double = 1, councilPopulation: [(code: String, population: Int)]) {
        self.seed = seed
        self.scale = scale
        self.councilPopulation = councilPopulation
    }

    /// Reads the 0-17 populations for mid-2024 from `seeds/population.csv`.
    public static func councilPopulation(seeds: URL) throws -> [(code: String, population: Int)] {
        let rows = try CSVReader(contentsOf: seeds.appendingPathComponent("population.csv")).rows()
        var result: [(String, Int)] = []
        for case .record(_, let fields) in rows.dropFirst() where fields.count >= 4 {
            if fields[0].hasPrefix("S12"), fields[1] == "2024", fields[2] == "0-17", let n = Int(fields[3]) {
                result.append((fields[0], n))
            }
        }
        return result.sorted { $0.0 < $1.0 }
    }

    // MARK: - Calibration

    enum Calibration {
        /// Children starting to be looked after in Scotland per reporting year (starting year).
        static func startsPerYear(_ year: Int) -> Double {
            switch year {
            case ..<2014: 4300
            case 2014..<2018: 4100
            case 2018: 3950
            case 2019: 3700
            case 2020: 3350
            case 2021: 3300
            case 2022: 3200
            case 2023: 3100
            default: 3050
            }
        }

        /// Relative rate of children looked after per child in the population.
        static let councilRate: [String: Double] = [
            "S12000049": 1.45, "S12000042": 1.6, "S12000018": 1.6, "S12000039": 1.5, "S12000021": 1.3,
            "S12000005": 1.35, "S12000008": 1.25, "S12000050": 1.1, "S12000038": 1.1, "S12000036": 0.9,
            "S12000011": 0.45, "S12000045": 0.5, "S12000034": 0.6, "S12000027": 0.6, "S12000023": 0.6,
            "S12000013": 0.7, "S12000026": 0.8, "S12000030": 0.9, "S12000048": 0.8,
        ]

        /// Children in a group of brothers and sisters starting together.
        static let groupSize: [(Int, Double)] = [(1, 0.60), (2, 0.22), (3, 0.12), (4, 0.06)]

        /// Age of the eldest child of a group at the start.
        static let ageBand: [(ClosedRange<Int>, Double)] = [
            (0...0, 0.17), (1...4, 0.22), (5...11, 0.30), (12...15, 0.25), (16...17, 0.06),
        ]

        /// Main placement type of an episode.
        static let mainPlacement: [(String, Double)] = [
            ("home_parents", 0.24), ("kinship", 0.345), ("foster_la", 0.16), ("foster_purchased", 0.06),
            ("prospective_adopters", 0.012), ("other_community", 0.012),
            ("residential_la_home", 0.10), ("residential_voluntary_home", 0.05), ("residential_school", 0.03),
            ("secure", 0.008), ("crisis_care", 0.006), ("other_residential", 0.004),
        ]

        static let interimPlacement: [(String, Double)] = [
            ("foster_la", 0.55), ("kinship", 0.2), ("residential_la_home", 0.1), ("crisis_care", 0.1), ("foster_purchased", 0.05),
        ]

        /// Number of placements in an episode.
        static let placementCount: [(Int, Double)] = [(1, 0.50), (2, 0.25), (3, 0.13), (4, 0.07), (5, 0.05)]

        /// Share of episodes that are short stays, and the mean lengths in days.
        static let shortStayShare = 0.35
        static let shortStayMeanDays = 150.0
        static let longStayMeanDays = 2900.0
        /// Children at home with parents tend to leave sooner.
        static let atHomeLengthFactor = 0.8

        static let reentryShare = 0.12
    }

    // MARK: - Records

    struct Child { var id: String; var la: String; var dob: CivilDate; var sex: String; var ethnic: String; var disability: String }
    struct Episode { var id: String; var childIndex: Int; var la: String; var start: CivilDate; var end: CivilDate?; var legal: String; var destination: String? }
    struct Placement { var id: String; var episodeIndex: Int; var start: CivilDate; var end: CivilDate?; var type: String; var siblings: String; var living: String; var reason: String? }

    public static let windowStart = CivilDate(year: 2019, month: 8, day: 1)!
    public static let extractDate = CivilDate(year: 2025, month: 7, day: 31)!

    // MARK: - Generate

    /// Writes children.csv, episodes.csv, placements.csv and published/*.csv into `directory`; returns the child-level row counts.
    @discardableResult
    public func write(to directory: URL) throws -> (children: Int, episodes: Int, placements: Int) {
        var rng = SplitMix64(seed: seed)
        var children: [Child] = []
        var episodes: [Episode] = []
        var placements: [Placement] = []

        let weights = councilPopulation.map { Double($0.population) * (Calibration.councilRate[$0.code] ?? 1.0) }
        let totalWeight = weights.reduce(0, +)
        let meanGroup = Calibration.groupSize.reduce(0) { $0 + Double($1.0) * $1.1 }

        for (councilIndex, council) in councilPopulation.enumerated() {
            let share = weights[councilIndex] / totalWeight
            for year in 2000...2024 {
                let yearStart = CivilDate(year: year, month: 8, day: 1)!
                let expected = Calibration.startsPerYear(year) * share * scale / meanGroup
                var groups = Int(expected)
                if rng.uniform() < expected - Double(groups) { groups += 1 }
                for _ in 0..<groups {
                    let start = yearStart.adding(days: rng.int(0...364))
                    addGroup(council: council.code, start: start, rng: &rng, children: &children, episodes: &episodes, placements: &placements)
                }
            }
        }
        return try writeFiles(directory: directory, children: children, episodes: episodes, placements: placements, rng: &rng)
    }

    private func addGroup(council: String, start: CivilDate, rng: inout SplitMix64, children: inout [Child], episodes: inout [Episode], placements: inout [Placement]) {
        let size = rng.pick(Calibration.groupSize)
        let eldestAge = rng.int(rng.pick(Calibration.ageBand))
        let main = rng.pick(Calibration.mainPlacement)
        let together = size == 1 ? "not_applicable" : rng.pick([("all", 0.45), ("some", 0.2), ("none", 0.35)])
        var age = eldestAge
        for member in 0..<size {
            if member > 0 { age -= rng.int(1...3) }
            if age < 0 { break }
            let dob = start.adding(days: -(age * 365 + rng.int(0...364)))
            let childIndex = children.count
            children.append(Child(
                id: "", la: council, dob: dob,
                sex: rng.pick([("male", 0.52), ("female", 0.478), ("not_known", 0.002)]),
                ethnic: rng.pick([("white_scottish", 0.78), ("white_other_british", 0.06), ("white_other", 0.03), ("mixed", 0.03),
                                  ("asian", 0.02), ("african_caribbean_black", 0.02), ("other", 0.01), ("not_known", 0.05)]),
                disability: rng.pick([("yes", 0.12), ("no", 0.78), ("not_known", 0.10)])))
            // Some older brothers or sisters are already looked after.
            let hasSiblings = size > 1 || rng.bernoulli(0.25)
            let living: String = size > 1 ? together : (hasSiblings ? "none" : "not_applicable")
            var episodeStart = start
            var mainType = main
            for spell in 0..<2 {
                guard let end = addEpisode(childIndex: childIndex, council: council, dob: dob, start: episodeStart, main: mainType,
                                           siblings: hasSiblings ? "yes" : "no", living: living, rng: &rng, episodes: &episodes, placements: &placements),
                      spell == 0, rng.bernoulli(Calibration.reentryShare)
                else { break }
                episodeStart = end.adding(days: rng.int(120...1000))
                guard episodeStart < dob.adding(days: 17 * 365), episodeStart <= Self.extractDate else { break }
                mainType = rng.pick(Calibration.mainPlacement)
            }
        }
    }

    /// Adds one episode and its placements; returns its end date (nil when still open at extraction).
    private func addEpisode(childIndex: Int, council: String, dob: CivilDate, start: CivilDate, main: String, siblings: String, living: String,
                            rng: inout SplitMix64, episodes: inout [Episode], placements: inout [Placement]) -> CivilDate? {
        let age = (start.day - dob.day) / 365
        // Very young children are not placed in residential care.
        var mainType = main
        if age < 5, ["residential_la_home", "residential_voluntary_home", "residential_school", "secure", "crisis_care", "other_residential"].contains(mainType) {
            mainType = "foster_la"
        }
        if age < 12, mainType == "secure" { mainType = "residential_la_home" }
        var length = rng.bernoulli(Calibration.shortStayShare)
            ? rng.exponential(mean: Calibration.shortStayMeanDays)
            : rng.exponential(mean: Calibration.longStayMeanDays)
        if mainType == "home_parents" { length *= Calibration.atHomeLengthFactor }
        let eighteenth = CivilDate(year: dob.components.year + 18, month: dob.components.month, day: min(dob.components.day, 28))!
        var end: CivilDate? = start.adding(days: max(1, Int(length)))
        var agedOut = false
        if let e = end, e > eighteenth { end = eighteenth; agedOut = true }
        if let e = end, e > Self.extractDate { end = nil }
        if let e = end, e <= start { end = start.adding(days: 1) }

        let legal: String = mainType == "home_parents" ? "cso_home"
            : rng.pick([("cso_away", 0.45), ("permanence_order", 0.2), ("voluntary_s25", 0.25), ("child_protection_order", 0.05), ("other", 0.05)])
        var destination: String?
        if end != nil {
            destination = agedOut
                ? rng.pick([("continuing_care", 0.25), ("supported_accommodation", 0.45), ("other", 0.2), ("not_known", 0.1)])
                : (mainType == "prospective_adopters" ? "adopted"
                   : rng.pick([("home_parents", 0.55), ("kinship", 0.2), ("adopted", 0.05), ("other", 0.12), ("not_known", 0.08)]))
        }
        let episodeIndex = episodes.count
        episodes.append(Episode(id: "", childIndex: childIndex, la: council, start: start, end: end, legal: legal, destination: destination))

        // Interim placements come first, then the main one runs to the end of the episode.
        let count = rng.pick(Calibration.placementCount)
        let lastDay = end ?? Self.extractDate
        var cursor = start
        for index in 0..<count {
            let isLast = index == count - 1
            let type = isLast ? mainType : rng.pick(Calibration.interimPlacement)
            var placementEnd: CivilDate? = isLast ? end : cursor.adding(days: 7 + Int(rng.exponential(mean: 90)))
            if let e = placementEnd, e >= lastDay, !isLast {
                // Too long to fit: this interim placement becomes the last one.
                placementEnd = end
            }
            let thisLiving = type == "home_parents" && living == "none" ? "none" : living
            let reason: String? = (thisLiving == "some" || thisLiving == "none")
                ? (rng.bernoulli(0.1) ? nil : rng.pick([("assessed_not_appropriate", 0.3), ("sibling_needs", 0.15), ("no_suitable_placement", 0.3),
                                                        ("child_view", 0.05), ("different_legal_route", 0.1), ("other", 0.05), ("not_recorded", 0.05)]))
                : nil
            placements.append(Placement(id: "", episodeIndex: episodeIndex, start: cursor, end: placementEnd, type: type,
                                        siblings: siblings, living: thisLiving, reason: reason))
            guard let next = placementEnd, next != end else { break }
            cursor = next
        }
        return end
    }

    // MARK: - Output

    private func writeFiles(directory: URL, children: [Child], episodes: [Episode], placements: [Placement], rng: inout SplitMix64) throws -> (Int, Int, Int) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Keep episodes open at some time in the window, and the children and placements they need.
        var keepEpisode = [Bool](repeating: false, count: episodes.count)
        var keepChild = [Bool](repeating: false, count: children.count)
        for (index, episode) in episodes.enumerated() where episode.start <= Self.extractDate && (episode.end.map { $0 > Self.windowStart } ?? true) {
            keepEpisode[index] = true
            keepChild[episode.childIndex] = true
        }
        var childIDs = [String](repeating: "", count: children.count)
        var next = 0
        for index in children.indices where keepChild[index] {
            next += 1
            childIDs[index] = String(format: "C%07d", next)
        }
        var episodeIDs = [String](repeating: "", count: episodes.count)
        next = 0
        for index in episodes.indices where keepEpisode[index] {
            next += 1
            episodeIDs[index] = String(format: "E%07d", next)
        }

        // Sources use older codes and name variants now and then; transform maps them back.
        let variants: [String: [String]] = [
            "S12000047": ["S12000015"], "S12000049": ["S12000046", "Glasgow City"], "S12000050": ["S12000044"],
            "S12000048": ["S12000024", "Perth & Kinross"], "S12000035": ["Argyll & Bute"], "S12000006": ["Dumfries & Galloway"],
            "S12000036": ["Edinburgh, City of"], "S12000013": ["Eilean Siar", "Western Isles"],
        ]
        func spell(_ code: String, _ rng: inout SplitMix64) -> String {
            guard let options = variants[code], rng.bernoulli(0.03) else { return code }
            return options[rng.int(0...(options.count - 1))]
        }

        var childCSV = CSVWriter(header: ChildLevelStream.children.columnNames)
        var childCount = 0
        for (index, child) in children.enumerated() where keepChild[index] {
            childCSV.append([childIDs[index], spell(child.la, &rng), child.dob.iso, child.sex, child.ethnic, child.disability])
            childCount += 1
        }
        var episodeCSV = CSVWriter(header: ChildLevelStream.episodes.columnNames)
        var episodeCount = 0
        for (index, episode) in episodes.enumerated() where keepEpisode[index] {
            episodeCSV.append([episodeIDs[index], childIDs[episode.childIndex], spell(episode.la, &rng), episode.start.iso,
                               episode.end?.iso ?? "", episode.legal, episode.destination ?? ""])
            episodeCount += 1
        }
        var placementCSV = CSVWriter(header: ChildLevelStream.placements.columnNames)
        var placementCount = 0
        for placement in placements where keepEpisode[placement.episodeIndex] {
            placementCount += 1
            placementCSV.append([String(format: "P%08d", placementCount), episodeIDs[placement.episodeIndex], placement.start.iso,
                                 placement.end?.iso ?? "", placement.type, placement.siblings, placement.living, placement.reason ?? ""])
        }
        try Data(childCSV.text.utf8).write(to: directory.appendingPathComponent("children.csv"))
        try Data(episodeCSV.text.utf8).write(to: directory.appendingPathComponent("episodes.csv"))
        try Data(placementCSV.text.utf8).write(to: directory.appendingPathComponent("placements.csv"))
        try SyntheticPublishedTables(councils: councilPopulation.map(\.code)).write(to: directory.appendingPathComponent("published"), rng: &rng)
        return (childCount, episodeCount, placementCount)
    }
}
