import Foundation

/// Statistical disclosure control (README, "Disclosure control"), applied once, centrally, to every value
/// before anything is published.
///
/// Every count a public file states or implies is a ``TableStructure/Cell``; the relations between
/// cells come from the indicator definitions (``TableStructure``). The standard is the attacker's:
/// one who reads every public table and label at once and bounds each withheld count by linear
/// programming. For every withheld count that might be from 1 to 4, the range that attacker can
/// prove must include both 0 and 5. The steps:
/// 1. *primary*: counts from 1 to 4 are withheld;
/// 2. *group*: where a total is withheld, everything inside it is withheld too, zeros included, so
///    no published 0 tells where the children in a hidden group are;
/// 3. *secondary*: a relation with a single withheld member gets a second one (cheap, and it settles
///    most cases);
/// 4. *protection*: the ranges are then worked out by linear programming (``ProvableRanges``); for
///    each withheld count whose range is too narrow one more count in one of its relations is
///    withheld, and steps 2 to 4 repeat until every range is wide enough.
public enum DisclosureControl {
    public typealias Cell = TableStructure.Cell

    /// Thresholds, from `config/disclosure-control.yml`.
    public struct Rules: Sendable, Equatable {
        /// Counts of children from 1 up to this are withheld (zero is shown as 0); a withheld count's
        /// provable range must reach 0 and one more than this.
        public var largestSuppressedCount: Int
        /// A percentage, rate or mean with a smaller denominator is published marked [u] (low reliability).
        public var lowReliabilityDenominator: Double
        /// Groups of survey respondents smaller than this are withheld (with every answer count inside
        /// them); a withheld group's provable range must reach 0 and this size.
        public var smallestRespondentGroup: Int
        /// Each canonical measure's largest protected count, from what it counts (``IndicatorDefinition/CountUnit``);
        /// nil for a count of answers, which is protected with its group, not on its own size. A measure
        /// not listed counts children.
        public var measureLimits: [String: Int?] = [:]
        /// Each measure counting answers, mapped to its group's measure (the respondents it is out of):
        /// where the group is withheld, for whatever reason, the answers are withheld with it.
        public var answerGroups: [String: String] = [:]

        public init(largestSuppressedCount: Int = 4, lowReliabilityDenominator: Double = 10, smallestRespondentGroup: Int = 10) {
            self.largestSuppressedCount = largestSuppressedCount
            self.lowReliabilityDenominator = lowReliabilityDenominator
            self.smallestRespondentGroup = smallestRespondentGroup
        }

        /// The largest protected count of a unit: counts from 1 to it are withheld, and each withheld one
        /// must be provably able to be 0 and one more than it. Nil: not protected on its own size.
        public func largest(for unit: IndicatorDefinition.CountUnit) -> Int? {
            unit.largestProtected(children: largestSuppressedCount, respondentGroup: smallestRespondentGroup)
        }

        /// The largest protected count of the cell's measure.
        public func largest(_ cell: Cell) -> Int? {
            if let limit = measureLimits[cell.measure] { return limit }
            return largestSuppressedCount
        }

        /// True when the cell's true count must be withheld on its own size.
        func isSmall(_ cell: Cell, count: Int) -> Bool {
            guard let largest = largest(cell) else { return false }
            return count >= 1 && count <= largest
        }
    }

    /// Why a cell is withheld. Kept in the restricted store only: in public every withheld cell is just [c].
    public enum Reason: String, Sendable, CaseIterable {
        case primary = "primary"
        case group = "group"
        case secondary = "secondary"
        case protection = "protection"
        /// Fixed by the revisions policy: withheld in the release this one follows for a period it does
        /// not revise, or, in a revision release, withheld before or revised by 1 to 4.
        case revision = "revision"

        public var explanation: String {
            switch self {
            case .primary: "a count from 1 to 4"
            case .group: "inside a withheld total or group of respondents"
            case .secondary: "the only other withheld count in a sum"
            case .protection: "needed so that linear programming over every published table cannot narrow a withheld count"
            case .revision: "withheld in the release before, or revised by 1 to 4 since it"
            }
        }
    }

    /// What protection cost and how it was checked.
    public struct Report: Sendable, Equatable {
        public var cells = 0
        public var withheld: [Reason: Int] = [:]
        /// Sum of every count, and of the withheld ones.
        public var totalCount = 0
        public var withheldCount = 0
        public var rounds = 0
        public var linearProgramsSolved = 0
        public var seconds = 0.0
        public var relations = 0
        /// Every withheld cell with why, kept in the restricted store (`withheld_cell`) so the next
        /// release inherits exactly the reasons of the periods it does not revise.
        public var hidden: [Cell: Reason] = [:]
        public var withheldTotal: Int { withheld.values.reduce(0, +) }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        /// What the failure is about, when not the rules in `disclosure-control.yml` (a refused
        /// revision is about the command line's `--revise`).
        public var subject: String?

        public init(description: String, subject: String? = nil) {
            self.description = description
            self.subject = subject
        }
    }

    /// What earlier releases fix (the revisions policy: the attacker keeps every release).
    public struct Fixed: Sendable {
        /// Published in the release this one follows, for a period it does not revise: never withheld now.
        public var published: Set<Cell> = []
        /// Withheld now whatever else happens, with why (withheld before, or revised by 1 to 4).
        public var withheld: [Cell: Reason] = [:]
        /// Withheld counts whose provable range must reach both ends of an interval of their own: a count
        /// revised by 1 to 4 must be able to be its previous value and five beyond it, in the direction
        /// it moved, so that two releases together cannot tell how many children the revision moved.
        public var intervals: [Cell: ClosedRange<Double>] = [:]
        public init() {}
    }

    // MARK: - Choosing cells

    /// Decides which cells to withhold. `counts` holds every cell's true value.
    public static func suppress(_ counts: [Cell: Int], relations given: [TableStructure.Relation], rules: Rules, fixed: Fixed = Fixed(), report: inout Report) throws -> [Cell: Reason] {
        let started = Date()
        let relations = strengthened(given, counts: counts)
        var hidden: [Cell: Reason] = fixed.withheld
        let locked = fixed.published
        for (cell, count) in counts where rules.isSmall(cell, count: count) && hidden[cell] == nil {
            if locked.contains(cell) {
                throw Failure(description: "\(cell) was published in the last release as \(count), a count these rules withhold; the rules changed since, so publish a revision release (--revise \(cell.key.period))")
            }
            hidden[cell] = .primary
        }
        for decoy in decoys(moved: Set(fixed.intervals.keys), counts: counts, relations: relations, locked: locked) where hidden[decoy] == nil {
            hidden[decoy] = .revision
        }

        let relationsOf = Dictionary(grouping: relations.indices.flatMap { index in relations[index].cells.map { ($0, index) } }, by: \.0)
            .mapValues { $0.map(\.1) }
        var round = 0
        var cache = ProvableRanges.Cache()
        while true {
            closeGroupsAndSums(&hidden, counts: counts, relations: relations, rules: rules, locked: locked)
            round += 1
            let exposed = try exposedCells(hidden: hidden, counts: counts, relations: relations, rules: rules, intervals: fixed.intervals, cache: &cache, report: &report)
            if exposed.isEmpty { break }
            guard round <= 150 else {
                throw Failure(description: "disclosure control could not protect \(exposed.count) withheld counts after \(round) rounds, e.g. \(exposed[0])")
            }
            var added = false
            // Repairs are linear programmes over a neighbourhood: one often frees its neighbours too, so a
            // round makes at most this many, then checks again which are still exposed.
            var repairs = 0
            for cell in exposed {
                // Cheapest first: one more count in a relation of its own; after a few rounds, the
                // fewest counts around it that let it reach 0 and 5, found by linear programming.
                if round <= 2, fixed.intervals[cell] == nil,
                   let choice = complement(for: cell, hidden: hidden, counts: counts, relations: relations, relationsOf: relationsOf[cell] ?? [], rules: rules, locked: locked) {
                    if hidden[choice] == nil { hidden[choice] = .protection; added = true }
                    continue
                }
                if repairs >= 12 && added && exposed.count > 24 { break }
                repairs += 1
                for choice in try repair(cell, hidden: hidden, counts: counts, relations: relations, relationsOf: relationsOf, rules: rules,
                                         locked: locked, interval: fixed.intervals[cell], report: &report)
                where hidden[choice] == nil {
                    hidden[choice] = .protection
                    added = true
                }
            }
            guard added else {
                let frozen = locked.isEmpty ? "" : " (counts published in the last release cannot be withheld at night: if the cell needs them, publish a revision release with --revise)"
                throw Failure(description: "disclosure control found no further count to withhold for \(exposed[0]); its provable range is too narrow\(frozen)")
            }
        }
        report.rounds += round
        report.relations = relations.count
        // The respondents not giving an answer are no column of their own: not counted as cells.
        let stated = counts.filter { !TableStructure.isComplement($0.key.measure) }
        report.cells = stated.count
        report.totalCount = stated.values.reduce(0, +)
        report.withheldCount = hidden.keys.reduce(0) { $0 + (stated[$1] ?? 0) }
        for (cell, reason) in hidden where stated[cell] != nil { report.withheld[reason, default: 0] += 1 }
        report.hidden = hidden
        report.seconds += Date().timeIntervalSince(started)
        return hidden
    }

    /// The counts with, beside every count of answers, the respondents in its group who did not give
    /// the answer (``TableStructure/complementMeasure(of:)``): no column states them, yet every published
    /// pair implies them, and they are children like any other count.
    public static func withComplements(_ counts: [Cell: Int], answerGroups: [String: String], empty: Set<Cell> = []) -> [Cell: Int] {
        var result = counts
        for (cell, n) in counts {
            guard let group = answerGroups[cell.measure], !empty.contains(cell), let d = counts[Cell(group, cell.key)] else { continue }
            result[Cell(TableStructure.complementMeasure(of: cell.measure), cell.key)] = d - n
        }
        return result
    }

    /// A revision withholds the counts it moved by 1 to 4; on their own, which counts those are would
    /// tell an attacker holding both releases the moved record's area, sex, age and placement (an outside
    /// attack read a withdrawn child's whole record from them). So each is withheld with decoys chosen
    /// the same way in every table: for each area a moved count lies in, one other area; for each
    /// breakdown category, one other category of that breakdown; and in every sum a moved count is a
    /// part of, one other part. Every attribute of the moved record is then one of at least two.
    static func decoys(moved: Set<Cell>, counts: [Cell: Int], relations: [TableStructure.Relation], locked: Set<Cell>) -> Set<Cell> {
        guard !moved.isEmpty else { return [] }
        let movedAreas = Set(moved.map(\.key.geography)).subtracting([TableStructure.scotland])
        let areas = Set(counts.keys.map(\.key.geography)).subtracting([TableStructure.scotland]).sorted()
        // The next area in code order that no moved count lies in (cyclic), the same for every table.
        var decoyArea: [String: String] = [:]
        for area in movedAreas.sorted() {
            guard let index = areas.firstIndex(of: area) else { continue }
            for step in 1..<max(areas.count, 1) {
                let candidate = areas[(index + step) % areas.count]
                if !movedAreas.contains(candidate) { decoyArea[area] = candidate; break }
            }
        }
        var categories: [String: Set<String>] = [:]
        for cell in counts.keys where !cell.key.isTotal { categories[cell.key.breakdownType, default: []].insert(cell.key.breakdownCode) }
        let movedCategories = Set(moved.filter { !$0.key.isTotal }.map { "\($0.key.breakdownType)|\($0.key.breakdownCode)" })
        var decoyCategory: [String: String] = [:]
        for pair in movedCategories.sorted() {
            let parts = pair.split(separator: "|", maxSplits: 1).map(String.init)
            let codes = (categories[parts[0]] ?? []).sorted()
            guard let index = codes.firstIndex(of: parts[1]) else { continue }
            for step in 1..<max(codes.count, 1) {
                let candidate = codes[(index + step) % codes.count]
                if !movedCategories.contains("\(parts[0])|\(candidate)") { decoyCategory[pair] = candidate; break }
            }
        }
        var result: Set<Cell> = []
        func add(_ cell: Cell) { if counts[cell] != nil, !locked.contains(cell), !moved.contains(cell) { result.insert(cell) } }
        for cell in moved {
            var keys = [cell.key]
            if let area = decoyArea[cell.key.geography] { var k = cell.key; k.geography = area; keys.append(k) }
            if let code = decoyCategory["\(cell.key.breakdownType)|\(cell.key.breakdownCode)"] {
                keys += keys.map { var k = $0; k.breakdownCode = code; return k }
            }
            for key in keys { add(Cell(cell.measure, key)) }
        }
        // In every sum a moved count is a part of, another part (the first in order) goes with it.
        for relation in relations where relation.kind == .sum || relation.kind == .overlappingSum {
            let parts = relation.parts.compactMap { if case .cell(let c) = $0 { c } else { nil } }
            guard parts.contains(where: moved.contains), parts.count > 1 else { continue }
            if !parts.contains(where: { !moved.contains($0) && (result.contains($0)) }), let other = parts.filter({ !moved.contains($0) && counts[$0] != nil && !locked.contains($0) }).min() {
                result.insert(other)
            }
        }
        return result
    }

    /// An attacker who sees that an overlapping total equals the sum of its parts on these data (say,
    /// children counted once by sex) may assume it always does; protect against that too.
    static func strengthened(_ relations: [TableStructure.Relation], counts: [Cell: Int]) -> [TableStructure.Relation] {
        relations.map { relation in
            guard relation.kind == .overlappingSum, let total = counts[relation.total] else { return relation }
            var sum = 0
            for part in relation.parts {
                guard case .cell(let cell) = part, let value = counts[cell] else { return relation }
                sum += value
            }
            var exact = relation
            if sum == total { exact.kind = .sum }
            return exact
        }
    }

    /// Steps 2 and 3 until nothing changes. Step 2 applies to totals that are themselves counts from 1
    /// to 4: a large withheld total (Scotland's boys, say) says nothing about where a small group lives.
    static func closeGroupsAndSums(_ hidden: inout [Cell: Reason], counts: [Cell: Int], relations: [TableStructure.Relation], rules: Rules, locked: Set<Cell> = []) {
        var changed = true
        while changed {
            changed = false
            // Answers inside a withheld group of respondents: withheld with it. The respondents not giving
            // an answer are known only where both the answers and the group are published.
            for (cell, _) in counts where hidden[cell] == nil && !locked.contains(cell) {
                if let group = rules.answerGroups[cell.measure], hidden[Cell(group, cell.key)] != nil {
                    hidden[cell] = .group
                    changed = true
                }
                if TableStructure.isComplement(cell.measure) {
                    let answers = String(cell.measure.dropLast("~others".count))
                    if hidden[Cell(answers, cell.key)] != nil || rules.answerGroups[answers].map({ hidden[Cell($0, cell.key)] != nil }) == true {
                        hidden[cell] = .secondary
                        changed = true
                    }
                }
            }
            for relation in relations where relation.kind.isLinkOfParts {
                // A withheld total of 1 to 4 children: a published 0 beside it would say where they all are.
                if hidden[relation.total] == .primary {
                    for case .cell(let part) in relation.parts where hidden[part] == nil && counts[part] != nil && !locked.contains(part) {
                        hidden[part] = .group
                        changed = true
                    }
                }
                guard relation.kind == .sum else { continue }
                var unknown = hidden[relation.total] != nil ? 1 : 0
                var candidates: [Cell] = []
                for part in relation.parts {
                    switch part {
                    case .slack: unknown += 1
                    case .cell(let cell):
                        if hidden[cell] != nil { unknown += 1 } else if counts[cell] != nil && !locked.contains(cell) { candidates.append(cell) }
                    }
                }
                // A single unknown (a withheld count or an unpublished rest) is worked out by subtraction.
                // An unpublished rest alone is protected only when it could be small.
                guard unknown == 1 else { continue }
                let onlySlack = hidden[relation.total] == nil && !relation.parts.contains { if case .cell(let c) = $0 { hidden[c] != nil } else { false } }
                if onlySlack {
                    // The rest of a count of answers is those not giving the answer: a cell of its own
                    // (``withComplements``), protected as children, not at its group's limit.
                    if candidates.contains(where: { rules.answerGroups[$0.measure] != nil }) { continue }
                    // The rest counts what its total counts; a rest of answers is not protected on its own size.
                    let rest = (counts[relation.total] ?? 0) - candidates.reduce(0) { $0 + (counts[$1] ?? 0) }
                    guard rules.isSmall(relation.total, count: rest), candidates.allSatisfy({ rules.largest($0) != nil }) else { continue }
                }
                let positive = candidates.filter { counts[$0]! > 0 }.min { (counts[$0]!, $0) < (counts[$1]!, $1) }
                let choice = positive ?? candidates.min() ?? (hidden[relation.total] == nil && counts[relation.total] != nil && !locked.contains(relation.total) ? relation.total : nil)
                if let choice {
                    hidden[choice] = .secondary
                    changed = true
                }
            }
        }
    }

    /// Withheld cells whose provable range is too narrow: might be from 1 to 4, yet cannot be shown to
    /// reach both 0 and 5.
    static func exposedCells(hidden: [Cell: Reason], counts: [Cell: Int], relations: [TableStructure.Relation], rules: Rules,
                             intervals: [Cell: ClosedRange<Double>] = [:], cache: inout ProvableRanges.Cache, report: inout Report) throws -> [Cell] {
        var problem = AttackProblem(relations: relations, published: counts.filter { hidden[$0.key] == nil }.mapValues(Double.init), withheld: Set(hidden.keys))
        // The standard applies to small counts (children from 1 to 4, groups of 1 to 9 respondents): each
        // must be able to be 0 and to reach one more than its limit. (A withheld larger count proven to
        // be at least 2, say, tells nothing: it is not small.) One set of bounds per limit.
        let identities = problem.index.reduce(into: [Int: Int]()) { $0[$1.value] = $1.key.hashValue }
        var byLimit: [Int: Set<Int>] = [:]
        for cell in hidden.keys where rules.isSmall(cell, count: counts[cell] ?? 0) && intervals[cell] == nil {
            if let variable = problem.index[.cell(cell)] { byLimit[rules.largest(cell)!, default: []].insert(variable) }
        }
        var exposed: Set<Cell> = []
        // Counts with an interval of their own (revisions), one by one.
        let own = Dictionary(uniqueKeysWithValues: hidden.keys.compactMap { cell in
            intervals[cell].flatMap { interval in problem.index[.cell(cell)].map { ($0, (cell, interval)) } }
        })
        if !own.isEmpty {
            let tolerance = ProvableRanges.tolerance
            for (variable, extreme) in try problem.ranges.extremes(of: Set(own.keys)) {
                let (cell, interval) = own[variable]!
                if extreme.min > interval.lowerBound + tolerance || (extreme.max.map { $0 < interval.upperBound - tolerance } ?? false) { exposed.insert(cell) }
            }
        }
        for (limit, sensitive) in byLimit.sorted(by: { $0.key < $1.key }) {
            let ranges = try problem.ranges.bound(lowerQueries: sensitive, upperQueries: sensitive, target: Double(limit + 1), identity: { identities[$0]! }, cache: &cache)
            for cell in hidden.keys {
                guard let variable = problem.index[.cell(cell)], sensitive.contains(variable), let range = ranges[variable] else { continue }
                if !range.canBeZero || !range.canReachTarget { exposed.insert(cell) }
            }
        }
        report.linearProgramsSolved += problem.ranges.solves
        return exposed.sorted()
    }

    /// One more cell to withhold for an exposed cell, over every relation it is in. To let it reach 5,
    /// another part must be able to give way (a part of at least 5 minus its value) or a total grow; to
    /// let it reach 0, another part must be able to take its children, or the total shrink. Prefer the
    /// smallest count that can do that, so as little as possible is withheld.
    static func complement(for cell: Cell, hidden: [Cell: Reason], counts: [Cell: Int], relations: [TableStructure.Relation], relationsOf: [Int], rules: Rules,
                           locked: Set<Cell> = []) -> Cell? {
        let needUp = max(1, (rules.largest(cell) ?? 0) + 1 - (counts[cell] ?? 0))
        var best: (rank: Int, value: Int, cell: Cell)?
        func consider(_ candidate: Cell, rank: Int) {
            guard candidate != cell, hidden[candidate] == nil, !locked.contains(candidate), let v = counts[candidate] else { return }
            if best == nil || (rank, v, candidate) < (best!.rank, best!.value, best!.cell) { best = (rank, v, candidate) }
        }
        for relation in relationsOf.map({ relations[$0] }) {
            let isTotal = relation.total == cell
            let parts = relation.parts.compactMap { if case .cell(let c) = $0 { c } else { nil } }
            switch relation.kind {
            case .sum, .overlappingSum:
                // A part big enough to give way first, then (for a part) its total, then any other part.
                for part in parts { consider(part, rank: (counts[part] ?? 0) >= needUp ? 0 : 2) }
                if !isTotal { consider(relation.total, rank: 1) }
            case .atMost, .coveredBy, .shareBelow, .shareAtLeast:
                if isTotal { for part in parts { consider(part, rank: 3) } } else { consider(relation.total, rank: 3) }
            }
        }
        return best?.cell
    }

    /// The fewest published counts near `cell` that, once withheld, let it reach both 0 and
    /// `largest + 1`: a linear programme over its neighbourhood in which each published count may move
    /// at a cost, the move of the others being the price; the counts that move are withheld.
    static func repair(_ cell: Cell, hidden: [Cell: Reason], counts: [Cell: Int], relations: [TableStructure.Relation],
                       relationsOf: [Cell: [Int]], rules: Rules, locked: Set<Cell> = [], interval: ClosedRange<Double>? = nil, report: inout Report) throws -> [Cell] {
        for depth in 2...4 {
            // The neighbourhood: cells within `depth` relations of the cell. Withheld cells on its edge are
            // held at their values, since the relations that free them are not in the programme.
            var near: Set<Cell> = [cell]
            var frontier: Set<Cell> = [cell]
            var used: Set<Int> = []
            for step in 0..<depth {
                // On the last ring only published cells join (they may move at a cost); withheld ones
                // there stay outside, held at their values.
                let lastRing = step == depth - 1
                var next: Set<Cell> = []
                for c in frontier {
                    for index in relationsOf[c] ?? [] where used.insert(index).inserted {
                        for member in relations[index].cells where (!lastRing || hidden[member] == nil) && near.insert(member).inserted { next.insert(member) }
                    }
                }
                frontier = next
            }
            var chosen: Set<Cell> = []
            var feasible = true
            let targets = interval.map { [$0.lowerBound, $0.upperBound] } ?? [0.0, Double((rules.largest(cell) ?? 0) + 1)]
            for (step, target) in targets.enumerated() {
                var variables: [TableStructure.Term: Int] = [:]
                var deviations: [(Cell, Int, Int)] = []
                var count = 0
                func variable(_ term: TableStructure.Term) -> Int {
                    if let v = variables[term] { return v }
                    variables[term] = count
                    count += 1
                    return count - 1
                }
                for member in near.sorted() {
                    _ = variable(.cell(member))
                    if hidden[member] == nil && !chosen.contains(member) && !locked.contains(member) {
                        deviations.append((member, count, count + 1))
                        count += 2
                    }
                }
                var rows: [([(Int, Double)], LinearProgram.Comparison, Double)] = []
                for index in used.sorted() {
                    for (terms, equal) in relations[index].constraints {
                        var constant = 0.0
                        var unknown: [(Int, Double)] = []
                        for (term, coefficient) in terms {
                            if case .cell(let c) = term, !near.contains(c) {
                                constant -= coefficient * Double(counts[c] ?? 0)   // outside: held at its value
                            } else {
                                unknown.append((variable(term), coefficient))
                            }
                        }
                        rows.append((unknown, equal ? .equal : .atMost, constant))
                    }
                }
                let program = LinearProgram(variableCount: count)
                for (terms, comparison, constant) in rows { program.add(terms.map { ($0.0, $0.1) }, comparison, constant) }
                for (member, up, down) in deviations {
                    program.add([(variables[.cell(member)]!, 1), (up, -1), (down, 1)], .equal, Double(counts[member] ?? 0))
                }
                // Counts published in the last release for a period not revised stay as they are.
                for member in near where locked.contains(member) && hidden[member] == nil {
                    program.add([(variables[.cell(member)]!, 1)], .equal, Double(counts[member] ?? 0))
                }
                let x = variables[.cell(cell)]!
                program.add([(x, 1)], step == 0 ? .atMost : .atLeast, target)
                report.linearProgramsSolved += 1
                // Moving a count costs in proportion to its size, so small counts are withheld before large ones;
                // Scotland's figures are what most readers read, so they cost ten times as much again.
                let weights = deviations.flatMap { deviation -> [(Int, Double)] in
                    let cost = (1 + Double(counts[deviation.0] ?? 0)) * (deviation.0.key.geography == TableStructure.scotland ? 10 : 1)
                    return [(deviation.1, cost), (deviation.2, cost)]
                }
                guard case .optimal = try program.solve(weights, maximize: false) else { feasible = false; break }
                for (member, up, down) in deviations where program.solution[up] + program.solution[down] > 1e-6 { chosen.insert(member) }
            }
            // Feasible: withhold what moved (possibly nothing: earlier choices this round already freed it).
            if feasible { return chosen.sorted() }
        }
        return []
    }

    // MARK: - Applying to indicator values

    /// The measures of every definition, declared for the table structure.
    public static func declarations(_ definitions: [IndicatorDefinition]) -> [TableStructure.Declaration] {
        var result: [TableStructure.Declaration] = []
        // Commitments and documents are public records about no one: nothing to protect.
        for definition in definitions where definition.valueSource == .computed && definition.evidence != .qualitative {
            for (part, measure) in [("numerator", definition.numerator), ("denominator", definition.denominator)] {
                guard let measure else { continue }
                // A denominator that is not a count of children (a population estimate) is not a cell.
                if part == "denominator", measure.population == nil { continue }
                result.append(TableStructure.Declaration(measure: "\(definition.id).\(part)", population: measure.population?.name,
                                                         conditions: measure.population?.conditions ?? [:], overlapping: measure.population?.overlapping ?? false,
                                                         unit: measure.population?.unit ?? .children,
                                                         within: within(definition, part: part)))
            }
        }
        return result
    }

    /// The measure a survey result's respondents are among: its response rate's respondents (the
    /// numerator), in the same wave, area and age group. Derived alike from the public `indicator`
    /// table by the audit.
    public static func within(_ definition: IndicatorDefinition, part: String) -> String? {
        guard part == "denominator", definition.denominator?.population?.unit == .respondents,
              let rate = definition.responseRateIndicator, rate != definition.id else { return nil }
        return "\(rate).numerator"
    }

    /// Answers are protected with their group: each measure counting answers, mapped to the measure of
    /// the respondents it is out of (its denominator). Where the group is withheld for any reason,
    /// the answers are too.
    static func answerGroups(_ definitions: [IndicatorDefinition], canonical: [String: String]) -> [String: String] {
        var groups: [String: String] = [:]
        for definition in definitions where definition.numerator.population?.unit == .answers {
            guard let numerator = canonical["\(definition.id).numerator"], let denominator = canonical["\(definition.id).denominator"] else { continue }
            groups[numerator] = denominator
        }
        return groups
    }

    /// Every count cell of the values, keyed by canonical measure.
    public static func cells(_ values: [IndicatorValue], canonical: [String: String]) -> [Cell: Int] {
        var counts: [Cell: Int] = [:]
        for value in values where value.marker != .notAvailable {
            if let n = value.numerator, let measure = canonical["\(value.indicatorID).numerator"] {
                counts[Cell(measure, value.key)] = n
            }
            if let d = value.denominator, let measure = canonical["\(value.indicatorID).denominator"] {
                counts[Cell(measure, value.key)] = Int(d.rounded())
            }
        }
        return counts
    }

    /// The published values: every withheld count NULL with [c], every value computed from one withheld
    /// too; the reason is kept in `suppressionRule` for the restricted store.
    /// `previousPeriod` links each period to the one before it (stock and flow); `policy` carries what the
    /// release this one follows fixes (``RevisionPolicy``): `values` must already hold its frozen periods.
    public static func apply(_ values: [IndicatorValue], definitions: [IndicatorDefinition], rules: Rules, placementTypes: Set<String>,
                             previousPeriod: [String: String] = [:], policy: RevisionPolicy = RevisionPolicy(previous: nil),
                             report: inout Report) throws -> [IndicatorValue] {
        let declarations = declarations(definitions)
        let canonical = TableStructure.canonicalMeasures(declarations)
        let byMeasure = TableStructure.byCanonicalMeasure(declarations, canonical: canonical)
        // A survey group nobody in Scotland is in (a question the 4 to 7 version does not ask) is 0 in
        // every council area, and anyone can see so from Scotland's [z]: its counts are shown as they are,
        // never used to hide another (an outside review recovered counts "protected" by such zeros).
        let experiential = Set(definitions.filter { $0.evidence == .experiential }.map(\.id))
        func groupKey(_ value: IndicatorValue) -> String { "\(value.indicatorID)|\(value.key.period)|\(value.key.breakdownType)|\(value.key.breakdownCode)" }
        let emptyInScotland = Set(values.filter { experiential.contains($0.indicatorID) && $0.key.geography == TableStructure.scotland && $0.denominator == 0 }.map(groupKey))
        var structural: Set<Cell> = []
        for value in values where experiential.contains(value.indicatorID) && emptyInScotland.contains(groupKey(value)) {
            for part in ["numerator", "denominator"] {
                if let measure = canonical["\(value.indicatorID).\(part)"] { structural.insert(Cell(measure, value.key)) }
            }
        }
        var counts = cells(values, canonical: canonical).filter { !structural.contains($0.key) }
        // Rows with nothing to divide by ([z]): their zero-filled numerators bound nothing.
        let empty = Set(values.filter { $0.marker == .notApplicable || $0.denominator == 0 }.compactMap { value in
            canonical["\(value.indicatorID).numerator"].map { Cell($0, value.key) }
        })
        var rules = rules
        for (measure, declaration) in byMeasure { rules.measureLimits[measure] = .some(rules.largest(for: declaration.unit)) }
        rules.answerGroups = answerGroups(definitions, canonical: canonical)
        counts = withComplements(counts, answerGroups: rules.answerGroups, empty: empty)
        let bands = responseBands(values, definitions: definitions).compactMap { band -> TableStructure.Band? in
            guard let part = canonical["\(band.indicatorID).numerator"], let whole = canonical["\(band.indicatorID).denominator"] else { return nil }
            return TableStructure.Band(part: Cell(part, band.key), whole: Cell(whole, band.key), share: lowResponseShare, below: band.below)
        }
        let relations = TableStructure.relations(cells: Set(counts.keys), declarations: byMeasure,
                                                 domains: [TableStructure.placementAttribute: placementTypes.union([TableStructure.noPlacement])], empty: empty,
                                                 previousPeriod: previousPeriod, answerGroups: rules.answerGroups)
            + TableStructure.bandRelations(bands, cells: Set(counts.keys))
        try checkRelationsHold(relations, counts: counts)
        let fixed = try policy.fixed(counts: counts, canonical: canonical, answerGroups: rules.answerGroups)
        let hidden = try suppress(counts, relations: relations, rules: rules, fixed: fixed, report: &report)
        let types = Dictionary(uniqueKeysWithValues: definitions.map { ($0.id, $0.valueType) })

        /// Why, in words: a primary count names its own limit (children 1 to 4, groups of 1 to 9 respondents).
        func why(_ reason: Reason, _ measure: String) -> String {
            guard reason == .primary, let unit = byMeasure[measure]?.unit, let largest = rules.largest(for: unit) else { return reason.explanation }
            switch unit {
            case .respondents: return "a group of 1 to \(largest) respondents"
            case .answers: return "1 to \(largest) giving the answer, or 1 to \(largest) not giving it"
            default: return "a count from 1 to \(largest)"
            }
        }
        return values.map { value in
            guard value.marker != .notAvailable else { return value }
            var published = value
            let numerator = canonical["\(value.indicatorID).numerator"], denominator = canonical["\(value.indicatorID).denominator"]
            let numeratorReason = numerator.flatMap { hidden[Cell($0, value.key)] }
            let denominatorReason = denominator.flatMap { hidden[Cell($0, value.key)] }
            if let numeratorReason, let numerator {
                published.numerator = nil
                published.withhold(.confidential)
                published.suppressionRule = "\(numeratorReason.rawValue): numerator is \(why(numeratorReason, numerator))"
            }
            if let denominatorReason, let denominator {
                published.denominator = nil
                published.withhold(.confidential)
                published.suppressionRule = published.suppressionRule ?? "\(denominatorReason.rawValue): denominator is \(why(denominatorReason, denominator))"
            }
            if published.suppressionRule == nil, types[value.indicatorID] != .count, published.value != nil,
               let d = value.denominator, d > 0, d < rules.lowReliabilityDenominator, published.marker == nil {
                published.marker = .lowReliability
            }
            return published
        }
    }

    /// A response below this share of those invited is low: survey results from such a group may not
    /// represent it. Published as a band for every group whose invitations are known, even where the
    /// rate itself is withheld, and protected like any other published fact (an attacker reads it as an
    /// inequality between the group's respondents and those invited).
    public static let lowResponseShare = 0.2

    /// Whether each group's response is under ``lowResponseShare``, for every value of a response-rate
    /// indicator with invitations recorded.
    public static func responseBands(_ values: [IndicatorValue], definitions: [IndicatorDefinition]) -> [(indicatorID: String, key: CellKey, below: Bool)] {
        let rates = Set(definitions.compactMap(\.responseRateIndicator))
        return values.compactMap { value in
            guard rates.contains(value.indicatorID), value.marker != .notAvailable, value.marker != .notApplicable,
                  let n = value.numerator, let d = value.denominator, d > 0 else { return nil }
            return (value.indicatorID, value.key, Double(n) < lowResponseShare * d)
        }
    }

    /// Every derived relation must hold on the unsuppressed counts; one that does not means a definition
    /// declares its population wrongly, and protection built on it would be wrong too.
    public static func checkRelationsHold(_ relations: [TableStructure.Relation], counts: [Cell: Int]) throws {
        var failures: [String] = []
        for relation in relations {
            guard let total = counts[relation.total] else { continue }
            var sum = 0
            var slacks = 0
            var partValues: [Int] = []
            for part in relation.parts {
                switch part {
                case .slack: slacks += 1
                case .cell(let cell):
                    guard let value = counts[cell] else { continue }
                    sum += value
                    partValues.append(value)
                }
            }
            let holds: Bool
            switch relation.kind {
            case .sum: holds = slacks == 0 ? total == sum : total >= sum
            case .overlappingSum: holds = (slacks > 0 || total <= sum) && partValues.allSatisfy { $0 <= total }
            case .atMost: holds = partValues.allSatisfy { $0 <= total }
            case .coveredBy: holds = slacks > 0 || total <= sum
            case .shareBelow(let share): holds = partValues.allSatisfy { Double($0) <= share * Double(total) }
            case .shareAtLeast(let share): holds = partValues.allSatisfy { Double($0) >= share * Double(total) }
            }
            if !holds {
                failures.append("\(relation.total): \(relation.name) does not hold (total \(total), parts \(partValues.map(String.init).joined(separator: " + ")))")
            }
        }
        if !failures.isEmpty {
            throw Failure(description: "\(failures.count) relation(s) between counts do not hold on the data, so a definition's counts declaration is wrong: " + failures.prefix(5).joined(separator: "; "))
        }
    }
}

/// Relations and published counts turned into ``ProvableRanges`` over the withheld counts and the
/// unpublished rests. Shared by disclosure control and the audit; each builds its own inputs.
public struct AttackProblem {
    public var ranges: ProvableRanges
    public var index: [TableStructure.Term: Int]

    public init(relations: [TableStructure.Relation], published: [TableStructure.Cell: Double], withheld: Set<TableStructure.Cell>) {
        self.init(constraints: relations.flatMap(\.constraints) + TableStructure.restSums(relations), published: published, withheld: withheld)
    }

    init(constraints all: [(terms: [(TableStructure.Term, Double)], equal: Bool)], published: [TableStructure.Cell: Double], withheld: Set<TableStructure.Cell>) {
        var index: [TableStructure.Term: Int] = [:]
        func variable(_ term: TableStructure.Term) -> Int {
            if let existing = index[term] { return existing }
            index[term] = index.count
            return index.count - 1
        }
        for cell in withheld.sorted() { _ = variable(.cell(cell)) }
        var constraints: [ProvableRanges.Constraint] = []
        for (terms, equal) in all {
            var constant = 0.0
            var unknowns: [(variable: Int, coefficient: Double)] = []
            var usable = true
            for (term, coefficient) in terms {
                switch term {
                case .slack: unknowns.append((variable(term), coefficient))
                case .cell(let cell):
                    if withheld.contains(cell) { unknowns.append((variable(term), coefficient)) }
                    else if let value = published[cell] { constant -= coefficient * value }
                    else { usable = false }
                }
            }
            guard usable, !unknowns.isEmpty else { continue }
            constraints.append(.init(terms: unknowns, equal: equal, constant: constant))
        }
        self.index = index
        self.ranges = ProvableRanges(unknownCount: index.count, constraints: constraints)
    }

    /// The standard judged without knowing the true value (an outsider's audit of files alone): a withheld
    /// count whose range includes a value from 1 to `largest` must include both 0 and `largest + 1`.
    public static func isTooNarrow(_ range: ProvableRanges.Range, largest: Int) -> Bool {
        let tolerance = ProvableRanges.tolerance
        if let lower = range.lower, lower > tolerance {
            // Proven at least `lower`: too narrow if that still allows a small count.
            if Int((lower - tolerance).rounded(.up)) <= largest { return true }
        }
        // Proven at most `upper` (below largest + 1): too narrow unless that proves it is 0.
        if let upper = range.upper, upper > tolerance { return true }
        return false
    }
}
