import Foundation
import GRDB

/// Writes synthetic "Your life, your care" survey waves in the experiential input contract
/// (docs/input-contract.md): responses.csv, comments.csv, invited.csv and quote-review.csv. Same seed,
/// same bytes.
///
/// quote-review.csv stands in for a person reading each consented comment's redacted text (by the
/// redactor as a build runs it, from the same seeds and word list): "synthetic-data review" approves a
/// text unless a detail the generator put in is still there (it knows each name, school, street and
/// number it used), the audit's own detector finds anything, or more than half of it is placeholders;
/// those are rejected. A real survey's review file is written by a person from quotes-for-review.csv.
///
/// Three waves (autumn 2021, 2023 and 2025) in 20 of the 32 council areas. Everyone looked after aged 4
/// to 17 in those areas is invited; between about 15% and 65% answer, depending on the area. Answers
/// depend on age group, placement type, area and wave: younger children and those in kinship or
/// foster care answer more favourably, those in residential care less so, and most topics improve a
/// little from wave to wave (being listened to and involved most, life satisfaction least). About one
/// answer in 20 is "don't know" or "prefer not to say". Some respondents leave a comment, and some of
/// those comments name people, schools and streets or give an e-mail address or a phone number, so
/// that redaction is exercised on every build.
public struct SyntheticSurvey {
    public var seed: UInt64
    public var scale: Double
    public var councilPopulation: [(code: String, population: Int)]

    /// `seed` is the child-level generator's plus one (`promise-progress generate --seed N` uses N + 1 here).
    public init(seed: UInt64 = 20240731 &+ 1, scale: Double = 1, councilPopulation: [(code: String, population: Int)]) {
        self.seed = seed
        self.scale = scale
        self.councilPopulation = councilPopulation
    }

    static let waves = ["sw2021", "sw2023", "sw2025"]
    /// Versions: survey, age group, share of those looked after aged 4 to 17.
    static let versions: [(survey: String, age: String, share: Double)] = [
        ("ylyc_4_7", "age_4_7", 0.27), ("ylyc_8_11", "age_8_11", 0.30), ("ylyc_11_17", "age_11_17", 0.43),
    ]
    /// Base chance of a favourable answer per topic, and its drift per wave.
    static let topics: [String: (base: Double, drift: Double)] = [
        "listened": (0.74, 0.035), "involved": (0.55, 0.04), "understand_why": (0.70, 0.02), "worker_explains": (0.68, 0.025),
        "say_in_meetings": (0.58, 0.03), "know_advocate": (0.45, 0.05), "life_better": (0.60, 0.015),
        "life_satisfaction": (0.80, 0.005), "trusted_adult": (0.86, 0.01), "feel_safe": (0.84, 0.01), "settled": (0.72, 0.02), "see_family": (0.50, 0.02),
    ]
    static func placementEffect(_ type: String) -> Double {
        switch type {
        case "kinship": 0.04
        case "foster_la", "foster_purchased", "prospective_adopters": 0.05
        case "home_parents": -0.03
        case "secure", "crisis_care": -0.16
        case let t where t.hasPrefix("residential") || t == "other_residential": -0.09
        default: 0
        }
    }
    static func placements(for age: String) -> [(String, Double)] {
        switch age {
        case "age_4_7": [("home_parents", 0.18), ("kinship", 0.40), ("foster_la", 0.28), ("foster_purchased", 0.08), ("prospective_adopters", 0.04), ("residential_la_home", 0.02)]
        case "age_8_11": [("home_parents", 0.20), ("kinship", 0.36), ("foster_la", 0.26), ("foster_purchased", 0.08), ("residential_la_home", 0.07), ("residential_school", 0.03)]
        default: [("home_parents", 0.22), ("kinship", 0.28), ("foster_la", 0.18), ("foster_purchased", 0.07), ("residential_la_home", 0.13), ("residential_voluntary_home", 0.06), ("residential_school", 0.04), ("secure", 0.02)]
        }
    }

    /// Scale answers, favourable ones first; from seeds/survey_answer_scale.csv order.
    static let scales: [String: (favourable: [String], other: [String])] = [
        "yes_no": (["yes"], ["no"]),
        "always_sometimes": (["always"], ["sometimes", "never"]),
        "agree5": (["strongly_agree", "agree"], ["neither", "disagree", "strongly_disagree"]),
        "better_worse": (["better"], ["same", "worse"]),
    ]

    static let commentTemplates: [(String, Bool)] = [
        ("My social worker listens to me now and I get to say what I want at my meetings.", false),
        ("I wish I could see my brothers and sisters more. We only see each other once a month.", false),
        ("{name} my key worker is the best, she always has time for me. You can email her at {email} if you want to say thank you.", true),
        ("I moved three times last year and had to change school from {school}. I just want to stay put.", true),
        ("Nobody asked me before they moved me. I found out the night before.", false),
        ("I feel safe here. My carers are kind and I have my own room.", false),
        ("Please call my gran on {phone} she wants to know how I am doing.", true),
        ("I don't like the hearing room, there are too many people and I can't say what I want to say.", false),
        ("My advocate helped me write down what I wanted to say. It made a big difference.", false),
        ("I used to live at {street} in {place} with {name} and I miss it.", true),
        ("Things are getting better since I moved in with my aunt. I go to {school} now and I like it.", true),
        ("I want the adults to explain things properly, not use long words.", false),
        ("Text me on {phone} or write to me at {address}, {postcode}.", true),
        ("I have a trusted adult, my teacher {name}, who sticks by me.", true),
        ("Sometimes I feel like nobody reads what I write in these forms.", false),
        ("I would like to know why I am in care. Nobody has told me properly.", false),
    ]
    static let fillers: [String: [String]] = [
        "name": ["Jamie", "Chloe", "Lewis", "Eilidh", "Ryan", "Megan", "Callum", "Holly"],
        "email": ["sarah.mcleod@example.org", "jamie_b2009@example.com", "keyworker.team@example.net"],
        "phone": ["07700 900123", "0141 496 0321", "+44 7700 900456", "01382 496118"],
        "school": ["Riverside Primary", "Hillhead High School", "Braeside High", "Woodlea Academy"],
        "street": ["14 Station Road", "3 Kirk Wynd", "27b Millbrae Crescent"],
        "address": ["8 Burnside Street", "Flat 2, 41 Union Terrace"],
        "postcode": ["G45 9AB", "EH16 4XY", "AB11 8QR", "DD3 9JP"],
        "place": ["Castlemilk", "Torry", "Muirhouse", "Drumchapel"],
    ]

    public struct Counts: Sendable { public var respondents = 0, answers = 0, comments = 0, invited = 0, quotesApproved = 0, quotesRejected = 0 }

    /// Who the synthetic review file says decided, and when (fixed, so the same seed writes the same bytes).
    public static let reviewer = "synthetic-data review"
    public static let reviewedOn = "2025-12-01"

    /// Whether the stand-in reviewer approves a redacted text: nothing the generator put in is left
    /// (`details`: every filler value used in the comment), the audit's detector finds nothing, and no
    /// more than half of its words are placeholders.
    public static func approves(_ redacted: String, details: [String], names: Set<String>, words: RedactionWords) -> Bool {
        if placeholderShare(redacted) > 0.5 { return false }
        if !PersonalDetailsCheck.personalDetails(in: redacted, names: names, words: words).isEmpty { return false }
        let left = Set(redacted.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
        for detail in details {
            for token in detail.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) where token.count >= 3 && left.contains(String(token)) { return false }
        }
        return true
    }

    /// The share of a text's words that are placeholders such as [name].
    public static func placeholderShare(_ text: String) -> Double {
        let placeholders = text.matches(of: /\[[a-z-]+\]/).count
        let stripped = text.replacing(/\[[a-z-]+\]/, with: " ")
        let others = stripped.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "'" }).count
        return placeholders + others == 0 ? 0 : Double(placeholders) / Double(placeholders + others)
    }

    @discardableResult
    public func write(to directory: URL, seeds: URL) throws -> Counts {
        var rng = SplitMix64(seed: seed)
        let questions = try Self.questionBank(seeds: seeds)
        // Twenty areas take part: the largest twelve and eight others spread through the list.
        let ordered = councilPopulation.sorted { ($0.population, $0.code) > ($1.population, $1.code) }
        var areas = Array(ordered.prefix(12))
        for (index, area) in ordered.dropFirst(12).enumerated() where index % 2 == 0 && areas.count < 20 { areas.append(area) }
        areas.sort { $0.code < $1.code }
        let totalPopulation = Double(councilPopulation.reduce(0) { $0 + $1.population })

        var responses = CSVWriter(header: ExperientialStream.responses.columnNames)
        var comments = CSVWriter(header: ExperientialStream.comments.columnNames)
        var invited = CSVWriter(header: ExperientialStream.invited.columnNames)
        var review = CSVWriter(header: ExperientialStream.quoteReview.columnNames)
        // The redactor exactly as a build makes it: from the seeds (loaded as the build loads them) and the word list.
        let (redactor, listedNames) = try DatabaseQueue().write { db in
            for spec in Schema.reference { try db.execute(sql: spec.createSQL) }
            _ = try SeedLoader.load(from: seeds, into: db)
            return (try CommentRedactor.load(from: db), Set(try String.fetchAll(db, sql: "SELECT lower(term) FROM redaction_term WHERE kind = 'name'")))
        }
        var counts = Counts()
        // Each area's own response rate and mood, fixed across waves.
        var areaRate: [String: Double] = [:]
        var areaEffect: [String: Double] = [:]
        for (index, area) in areas.enumerated() {
            areaRate[area.code] = index % 9 == 4 ? 0.12 + 0.05 * rng.uniform() : 0.30 + 0.35 * rng.uniform()
            areaEffect[area.code] = (rng.uniform() - 0.5) * 0.12
        }
        for (waveIndex, wave) in Self.waves.enumerated() {
            var number = 0
            for area in areas {
                // About 9,000 children aged 4 to 17 are looked after in Scotland.
                let lookedAfter = 9000.0 * Double(area.population) / totalPopulation * scale
                for version in Self.versions {
                    let invitedCount = max(1, Int((lookedAfter * version.share * (0.95 + 0.1 * rng.uniform())).rounded()))
                    invited.append([version.survey, wave, area.code, version.age, String(invitedCount)])
                    counts.invited += invitedCount
                    let rate = min(0.9, areaRate[area.code]! * (1 + 0.05 * Double(waveIndex)))
                    for _ in 0..<invitedCount where rng.bernoulli(rate) {
                        number += 1
                        counts.respondents += 1
                        let respondent = String(format: "R%@-%06d", String(wave.dropFirst(2)), number)
                        let sex = rng.pick([("male", 0.49), ("female", 0.49), ("not_known", 0.02)])
                        let placement = rng.pick(Self.placements(for: version.age))
                        let ageEffect = version.age == "age_4_7" ? 0.06 : version.age == "age_8_11" ? 0.02 : -0.04
                        for question in questions where question.survey == version.survey {
                            if rng.bernoulli(0.03) { continue }   // skipped
                            counts.answers += 1
                            let (base, drift) = Self.topics[question.topic] ?? (0.6, 0.0)
                            let p = min(0.97, max(0.03, base + drift * Double(waveIndex) + ageEffect + Self.placementEffect(placement) + areaEffect[area.code]!))
                            let answer: String
                            let roll = rng.uniform()
                            if roll < 0.035 {
                                answer = "dont_know"
                            } else if roll < 0.05 {
                                answer = "prefer_not"
                            } else if question.scale == "life_0_10" {
                                answer = String(rng.bernoulli(p) ? rng.pick([(5, 0.1), (6, 0.15), (7, 0.22), (8, 0.25), (9, 0.15), (10, 0.13)]) : rng.int(0...4))
                            } else {
                                let options = Self.scales[question.scale]!
                                let pool = rng.bernoulli(p) ? options.favourable : options.other
                                answer = pool[rng.int(0...(pool.count - 1))]
                            }
                            responses.append([version.survey, wave, respondent, area.code, version.age, sex, placement, question.id, answer])
                            if rng.bernoulli(0.008) {
                                let (template, _) = Self.commentTemplates[rng.int(0...(Self.commentTemplates.count - 1))]
                                var text = template
                                var details: [String] = []
                                for key in Self.fillers.keys.sorted() where text.contains("{\(key)}") {
                                    let values = Self.fillers[key]!
                                    let value = values[rng.int(0...(values.count - 1))]
                                    details.append(value)
                                    text = text.replacingOccurrences(of: "{\(key)}", with: value)
                                }
                                if rng.bernoulli(0.1) { text += "\nThanks for asking." }
                                let consent = rng.bernoulli(0.7) ? "yes" : "no"
                                comments.append([version.survey, wave, respondent, question.id, text, consent])
                                counts.comments += 1
                                if consent == "yes" {
                                    let redacted = redactor.redact(text)
                                    if !redacted.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                                        let approved = Self.approves(redacted, details: details, names: listedNames, words: redactor.words)
                                        review.append([version.survey, wave, respondent, question.id, CommentRedactor.sha256(redacted),
                                                       approved ? "approved" : "rejected", Self.reviewer, Self.reviewedOn])
                                        if approved { counts.quotesApproved += 1 } else { counts.quotesRejected += 1 }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(responses.text.utf8).write(to: directory.appendingPathComponent("responses.csv"))
        try Data(comments.text.utf8).write(to: directory.appendingPathComponent("comments.csv"))
        try Data(invited.text.utf8).write(to: directory.appendingPathComponent("invited.csv"))
        try Data(review.text.utf8).write(to: directory.appendingPathComponent("quote-review.csv"))
        return counts
    }

    struct Question { var id, survey, scale, topic: String }

    /// The question bank, from seeds/survey_question.csv.
    static func questionBank(seeds: URL) throws -> [Question] {
        var result: [Question] = []
        for case .record(_, let fields) in try CSVReader(contentsOf: seeds.appendingPathComponent("survey_question.csv")).rows().dropFirst() where fields.count == 8 {
            result.append(Question(id: fields[0], survey: fields[1], scale: fields[3], topic: fields[7]))
        }
        return result
    }
}
