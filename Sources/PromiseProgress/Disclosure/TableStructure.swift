import GRDB

/// The structure every published count sits in, derived from the indicator definitions rather than
/// listed by hand: an attacker combines every table (README, "Disclosure control").
///
/// A *cell* is one count: a measure (an indicator's numerator or denominator, the same cell however
/// many indicators state it) for one period, area and breakdown category. A *relation* is a linear
/// fact about cells that anyone who reads the definitions knows:
/// - Scotland is the sum of the council areas, and a total the sum of its categories, for every
///   breakdown (for measures whose children may be counted in more than one area or category,
///   the total is at most the sum and at least each part);
/// - measures of one population (say, children looked after on 31 July) whose conditions differ in
///   one attribute partition each other: looked after = at home + kinship + foster + residential +
///   the unpublished rest, residential = the sum of its placement types. An unpublished piece is a
///   non-negative *slack* term, shared by every relation that contains the same piece;
/// - a measure whose conditions lie inside another's is at most that measure.
///
/// The same derivation serves disclosure control, which chooses what to withhold, and the
/// publication audit, which reads the declarations back from the public file. What they do with it
/// is independent.
public enum TableStructure {
    /// The attribute the placement type breakdown classifies by.
    public static let placementAttribute = "placement_type"
    /// The code a child with no placement recorded has for the placement type attribute.
    public static let noPlacement = "none"
    public static let scotland = "S92000003"

    /// How one measure counts: its population, the conditions on that population, and whether a child
    /// can be counted in more than one area or category.
    public struct Declaration: Sendable, Hashable {
        public var measure: String
        public var population: String?
        /// Allowed codes per attribute; an attribute not listed is unrestricted.
        public var conditions: [String: Set<String>]
        /// True when one child can appear in several council areas or categories (counted distinct at every level).
        public var overlapping: Bool
        /// What the measure counts (children, respondents or answers), which sets how it is protected.
        public var unit: IndicatorDefinition.CountUnit
        /// A measure that counts, cell for cell, everyone this one counts and more: a survey topic's
        /// respondents are among the respondents of the response rate (``withinRelations``).
        public var within: String?

        public init(measure: String, population: String?, conditions: [String: Set<String>] = [:], overlapping: Bool = false,
                    unit: IndicatorDefinition.CountUnit = .children, within: String? = nil) {
            self.measure = measure
            self.population = population
            self.conditions = conditions
            self.overlapping = overlapping
            self.unit = unit
            self.within = within
        }

        /// Measures with the same population and conditions count the same children.
        var identity: String? {
            guard let population else { return nil }
            let parts = conditions.keys.sorted().map { "\($0)=\(conditions[$0]!.sorted().joined(separator: "|"))" }
            return ([population, overlapping ? "overlapping" : "exclusive", unit.rawValue] + parts).joined(separator: ";")
        }
    }

    public struct Cell: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var measure: String
        public var key: CellKey

        public init(_ measure: String, _ key: CellKey) {
            self.measure = measure
            self.key = key
        }

        public static func < (lhs: Cell, rhs: Cell) -> Bool { (lhs.measure, lhs.key) < (rhs.measure, rhs.key) }

        public var description: String {
            "\(measure) \(key.period) \(key.geography) \(key.breakdownType)=\(key.breakdownCode)"
        }
    }

    public enum Term: Sendable, Hashable, Comparable {
        case cell(Cell)
        /// An unpublished, non-negative count (such as children with no placement recorded).
        case slack(String)

        public static func < (lhs: Term, rhs: Term) -> Bool {
            switch (lhs, rhs) {
            case (.cell(let a), .cell(let b)): a < b
            case (.slack(let a), .slack(let b)): a < b
            case (.cell, .slack): true
            case (.slack, .cell): false
            }
        }
    }

    /// A linear fact about a total and its parts.
    public struct Relation: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            /// total = sum of parts.
            case sum
            /// Overlapping counts: total <= sum of parts, and each part <= total.
            case overlappingSum
            /// Containment: each part <= total.
            case atMost
            /// Covering: total <= sum of parts.
            case coveredBy
            /// A published band: the part is under this share of the total (a response rate under a fifth).
            case shareBelow(Double)
            /// A published band: the part is at least this share of the total.
            case shareAtLeast(Double)

            /// Sums and containments, whose withheld total of 1 to 4 would be placed by a published 0 beside it.
            public var isLinkOfParts: Bool {
                switch self {
                case .sum, .overlappingSum, .atMost: true
                case .coveredBy, .shareBelow, .shareAtLeast: false
                }
            }
        }
        public var name: String
        public var kind: Kind
        public var total: Cell
        public var parts: [Term]

        /// As linear constraints `sum(coefficient * term) (= or <=) 0`.
        public var constraints: [(terms: [(Term, Double)], equal: Bool)] {
            switch kind {
            case .sum:
                return [([(.cell(total), 1)] + parts.map { ($0, -1) }, true)]
            case .overlappingSum:
                return [([(.cell(total), 1)] + parts.map { ($0, -1) }, false)] + parts.map { ([($0, 1), (.cell(total), -1)], false) }
            case .atMost:
                return parts.map { ([($0, 1), (.cell(total), -1)], false) }
            case .coveredBy:
                return [([(.cell(total), 1)] + parts.map { ($0, -1) }, false)]
            case .shareBelow(let share):
                return parts.map { ([($0, 1), (.cell(total), -share)], false) }
            case .shareAtLeast(let share):
                return parts.map { ([(.cell(total), share), ($0, -1)], false) }
            }
        }

        public var cells: [Cell] {
            [total] + parts.compactMap { if case .cell(let c) = $0 { c } else { nil } }
        }
    }

    /// Maps every measure to the one it counts the same children as (the first in sort order).
    public static func canonicalMeasures(_ declarations: [Declaration]) -> [String: String] {
        var first: [String: String] = [:]
        var result: [String: String] = [:]
        for declaration in declarations.sorted(by: { $0.measure < $1.measure }) {
            if let identity = declaration.identity {
                let canonical = first[identity] ?? declaration.measure
                first[identity] = canonical
                result[declaration.measure] = canonical
            } else {
                result[declaration.measure] = declaration.measure
            }
        }
        return result
    }

    /// The declarations keyed by canonical measure, with `within` named canonically too (a measure
    /// stated by several indicators keeps the first declaration that names a `within`).
    public static func byCanonicalMeasure(_ declarations: [Declaration], canonical: [String: String]) -> [String: Declaration] {
        var result: [String: Declaration] = [:]
        for declaration in declarations.sorted(by: { $0.measure < $1.measure }) {
            var copy = declaration
            copy.within = declaration.within.map { canonical[$0] ?? $0 }
            let key = canonical[declaration.measure] ?? declaration.measure
            if let existing = result[key], existing.within != nil || copy.within == nil { continue }
            result[key] = copy
        }
        return result
    }

    /// Every relation among `cells`. `declarations` are keyed by canonical measure; `domains` gives every
    /// attribute's codes (at least the placement type codes and `none`).
    /// `empty` are cells of rows with nothing to divide by ([z]: nobody invited in that group), which
    /// bound nothing.
    /// `previousPeriod` maps each period to the one before it of the same type (for stock and flow);
    /// `answerGroups` maps each measure counting answers to the measure of its group of respondents
    /// (for the respondents not giving the answer, ``complementRelations``).
    public static func relations(cells: Set<Cell>, declarations: [String: Declaration], domains given: [String: Set<String>], empty: Set<Cell> = [],
                                 previousPeriod: [String: String] = [:], answerGroups: [String: String] = [:]) -> [Relation] {
        // Every attribute's codes: the given domains, else every code any declaration names plus the rest.
        var domains = given
        for declaration in declarations.values {
            for (attribute, codes) in declaration.conditions where given[attribute] == nil {
                domains[attribute, default: ["(any other)"]].formUnion(codes)
            }
        }
        var relations: [Relation] = []
        let byMeasure = Dictionary(grouping: cells, by: \.measure)

        // Scotland = council areas; total = categories (per breakdown type).
        for (measure, measureCells) in byMeasure {
            let overlapping = declarations[measure]?.overlapping ?? false
            let kind: Relation.Kind = overlapping ? .overlappingSum : .sum
            var byScotland: [CellKey: [Cell]] = [:]
            var byTotal: [String: [Cell]] = [:]
            for cell in measureCells {
                if cell.key.geography != scotland {
                    var key = cell.key
                    key.geography = scotland
                    byScotland[key, default: []].append(cell)
                }
                if !cell.key.isTotal {
                    byTotal["\(cell.key.period)|\(cell.key.geography)|\(cell.key.breakdownType)", default: []].append(cell)
                }
            }
            for (key, parts) in byScotland where cells.contains(Cell(measure, key)) {
                relations.append(Relation(name: "Scotland is the sum of the council areas", kind: kind, total: Cell(measure, key), parts: parts.sorted().map(Term.cell)))
            }
            for (_, parts) in byTotal {
                let first = parts[0].key
                let total = Cell(measure, CellKey(period: first.period, geography: first.geography))
                guard cells.contains(total) else { continue }
                // A placement type breakdown is exact even for overlapping counts only if declared so; treat all alike.
                relations.append(Relation(name: "the total is the sum of its \(first.breakdownType) categories", kind: kind, total: total, parts: parts.sorted().map(Term.cell)))
            }
        }
        relations += populationRelations(cells: cells, declarations: declarations, domains: domains)
        relations += withinRelations(cells: cells, declarations: declarations, empty: empty)
        relations += stockAndFlowRelations(cells: cells, declarations: declarations, previousPeriod: previousPeriod)
        relations += complementRelations(cells: cells, answerGroups: answerGroups)
        var seen: Set<Relation> = []
        return relations.filter { seen.insert($0).inserted }.sorted {
            ($0.total, $0.name) != ($1.total, $1.name) ? ($0.total, $0.name) < ($1.total, $1.name) : $0.parts.lexicographicallyPrecedes($1.parts)
        }
    }

    /// A measure declared `within` another is at most that measure in the same cell: a survey topic's
    /// respondents in a wave, area and age group are among those the response rate counts there. The
    /// response rate counts only groups whose invitations are recorded, so the relation is stated
    /// where it is sure to hold and where anyone can see that it does: every council-level cell of
    /// the measure under it, by each breakdown the bound has (age group), has a bound cell beside it.
    /// A bound in a row with nothing to divide by (`empty`: nobody was invited to that group, [z]) is
    /// zero-filled, not a count of the group's respondents, so it bounds nothing.
    /// Both disclosure control and the audit see the same cells and markers, so both state the same relations.
    static func withinRelations(cells: Set<Cell>, declarations: [String: Declaration], empty: Set<Cell>) -> [Relation] {
        let byMeasure = Dictionary(grouping: cells, by: \.measure)
        var relations: [Relation] = []
        for (measure, measureCells) in byMeasure {
            guard let bound = declarations[measure]?.within, bound != measure, let boundCells = byMeasure[bound] else { continue }
            let boundKeys = Set(boundCells.filter { !empty.contains($0) }.map(\.key))
            let groupTypes = Set(boundCells.map(\.key.breakdownType)).subtracting(["total"])
            guard !groupTypes.isEmpty else { continue }
            let councilCells = Dictionary(grouping: measureCells.filter { $0.key.geography != scotland }, by: \.key.period)
            func covered(_ key: CellKey) -> Bool {
                if key.geography != scotland && groupTypes.contains(key.breakdownType) { return true }   // a group itself
                let under = (councilCells[key.period] ?? []).filter { cell in
                    (key.geography == scotland || cell.key.geography == key.geography)
                        && (key.isTotal || (cell.key.breakdownType == key.breakdownType && cell.key.breakdownCode == key.breakdownCode))
                }
                let groups = under.filter { groupTypes.contains($0.key.breakdownType) }
                // Every area under the key is seen group by group, and every group has its bound beside it.
                guard !groups.isEmpty, Set(groups.map(\.key.geography)) == Set(under.map(\.key.geography)) else { return false }
                return groups.allSatisfy { boundKeys.contains($0.key) }
            }
            for cell in measureCells where boundKeys.contains(cell.key) && covered(cell.key) {
                relations.append(Relation(name: "\(measure) counts some of the respondents \(bound) counts", kind: .atMost, total: Cell(bound, cell.key), parts: [.cell(cell)]))
            }
        }
        return relations
    }

    // MARK: - Across populations

    /// Populations linked over time, as anyone who reads their definitions knows: those looked after
    /// at some time during a year are those looked after when it began (on the last day of the year
    /// before) who were still looked after, plus those who started during it.
    public struct StockAndFlow: Sendable, Hashable {
        /// Counted at any time during a period.
        public var during: String
        /// Counted on the last day of a period (a snapshot).
        public var stock: String
        /// Counted on starting during a period.
        public var inflow: String
    }

    /// The stock-and-flow links the definitions imply. A measure takes part when it counts the whole
    /// population (no conditions); the relations are stated for every area's total.
    public static let stockAndFlow: [StockAndFlow] = [
        StockAndFlow(during: "looked_after_during_year", stock: "looked_after_on_31_july", inflow: "children_starting_to_be_looked_after_aged_0_to_17"),
    ]

    /// For each period t with a period t-1 before it, in Scotland and each council area:
    /// - during t <= stock at the end of t-1 + inflow in t (a child looked after in the year was
    ///   either already looked after when it began or started during it);
    /// - stock at the end of t <= during t (a child looked after on its last day was looked after in it).
    /// An outside attack found that without them a withheld count of starts was narrowed to [4, 39].
    static func stockAndFlowRelations(cells: Set<Cell>, declarations: [String: Declaration], previousPeriod: [String: String]) -> [Relation] {
        guard !previousPeriod.isEmpty else { return [] }
        func whole(_ population: String) -> String? {
            declarations.filter { $0.value.population == population && $0.value.conditions.isEmpty }.keys.min()
        }
        var relations: [Relation] = []
        for link in stockAndFlow {
            guard let during = whole(link.during), let stock = whole(link.stock) else { continue }
            let inflow = whole(link.inflow)
            for cell in cells where cell.measure == during && cell.key.isTotal {
                let key = cell.key
                let stockNow = Cell(stock, key)
                if cells.contains(stockNow) {
                    relations.append(Relation(name: "\(stock) on the last day of the period is among \(during)", kind: .atMost, total: cell, parts: [.cell(stockNow)]))
                }
                guard let inflow, let before = previousPeriod[key.period] else { continue }
                let stockBefore = Cell(stock, CellKey(period: before, geography: key.geography))
                let started = Cell(inflow, key)
                if cells.contains(stockBefore) && cells.contains(started) {
                    relations.append(Relation(name: "\(during) is at most \(stock) at the end of the period before plus \(inflow)", kind: .coveredBy,
                                              total: cell, parts: [.cell(stockBefore), .cell(started)]))
                }
            }
        }
        return relations
    }

    /// The measure of the respondents in a group who did not give the answer a measure of answers
    /// counts: never a column of its own, yet known wherever both the answers and the group are
    /// published ("21 of 23 feel safe" says that 2 do not). It counts children like any other count.
    public static func complementMeasure(of answers: String) -> String { answers + "~others" }

    /// Whether a measure is a complement (``complementMeasure(of:)``), stated by no column.
    public static func isComplement(_ measure: String) -> Bool { measure.hasSuffix("~others") }

    /// group = answers + the others, for every cell of a measure of answers with its group beside it.
    static func complementRelations(cells: Set<Cell>, answerGroups: [String: String]) -> [Relation] {
        var relations: [Relation] = []
        for cell in cells {
            guard let group = answerGroups[cell.measure] else { continue }
            let total = Cell(group, cell.key), others = Cell(complementMeasure(of: cell.measure), cell.key)
            guard cells.contains(total), cells.contains(others) else { continue }
            relations.append(Relation(name: "a group of respondents is those giving the answer and those who did not", kind: .sum, total: total, parts: [.cell(cell), .cell(others)]))
        }
        return relations
    }

    /// The previous period of each period of the same type, from the `period` table in sort order.
    public static func previousPeriods(in db: Database) throws -> [String: String] {
        var result: [String: String] = [:]
        var last: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT period_id, period_type FROM period ORDER BY sort_key, period_id") {
            let id: String = row["period_id"], type: String = row["period_type"]
            if let before = last[type] { result[id] = before }
            last[type] = id
        }
        return result
    }

    // MARK: - Published bands

    /// A band published beside a withheld figure: whether a count is under a share of another (a
    /// group's respondents under a fifth of those invited: the low-response marker).
    public struct Band: Sendable, Hashable {
        public var part: Cell
        public var whole: Cell
        public var share: Double
        public var below: Bool
        public init(part: Cell, whole: Cell, share: Double, below: Bool) {
            self.part = part
            self.whole = whole
            self.share = share
            self.below = below
        }
    }

    /// Each band as the inequality it tells an attacker, where both counts are cells.
    public static func bandRelations(_ bands: [Band], cells: Set<Cell>) -> [Relation] {
        bands.filter { cells.contains($0.part) && cells.contains($0.whole) }.map { band in
            Relation(name: band.below ? "the response is under the band's share" : "the response is at least the band's share",
                     kind: band.below ? .shareBelow(band.share) : .shareAtLeast(band.share), total: band.whole, parts: [.cell(band.part)])
        }
    }

    /// A cell placed in the attribute space of its population.
    struct Box {
        var cell: Cell
        var population: String
        var conditions: [String: Set<String>]
    }

    static let slackSeparator: Character = "\u{1F}"

    static func slackName(population: String, key: CellKey, label: String) -> String {
        [population, key.period, key.geography, key.breakdownType, key.breakdownCode, label].joined(separator: String(slackSeparator))
    }

    /// An unpublished rest is a count of children like any other: Scotland's is the sum of the council
    /// areas', and a total's the sum of its categories'. These constraints tie the rests named in
    /// `relations` together (an attacker who sees that Scotland has no child without a placement knows
    /// no council area has one either).
    public static func restSums(_ relations: [Relation]) -> [(terms: [(Term, Double)], equal: Bool)] {
        var names: Set<String> = []
        for relation in relations {
            for case .slack(let name) in relation.parts { names.insert(name) }
        }
        struct Rest { var population, period, geography, type, code, label: String }
        let rests = names.sorted().compactMap { name -> (String, Rest)? in
            let p = name.split(separator: slackSeparator, omittingEmptySubsequences: false).map(String.init)
            guard p.count == 6 else { return nil }
            return (name, Rest(population: p[0], period: p[1], geography: p[2], type: p[3], code: p[4], label: p[5]))
        }
        var result: [(terms: [(Term, Double)], equal: Bool)] = []
        var byScotland: [String: [String]] = [:]
        var byTotal: [String: [String]] = [:]
        for (name, rest) in rests {
            if rest.geography != scotland {
                byScotland[slackName(population: rest.population, key: CellKey(period: rest.period, geography: scotland, breakdownType: rest.type, breakdownCode: rest.code), label: rest.label), default: []].append(name)
            }
            if rest.type != "total" {
                byTotal[slackName(population: rest.population, key: CellKey(period: rest.period, geography: rest.geography), label: rest.label) + "|" + rest.type, default: []].append(name)
            }
        }
        for (total, parts) in byScotland.sorted(by: { $0.key < $1.key }) where names.contains(total) {
            result.append(([(.slack(total), 1)] + parts.map { (.slack($0), -1) }, true))
        }
        for (key, parts) in byTotal.sorted(by: { $0.key < $1.key }) {
            let total = String(key[..<key.lastIndex(of: "|")!])
            guard names.contains(total) else { continue }
            result.append(([(.slack(total), 1)] + parts.map { (.slack($0), -1) }, true))
        }
        return result
    }

    static func populationRelations(cells: Set<Cell>, declarations: [String: Declaration], domains: [String: Set<String>]) -> [Relation] {
        // Group cells by level: period, area and sex or age category; a placement type category is a
        // condition on the placement type attribute at the total level.
        struct Level: Hashable { var population: String; var key: CellKey }
        var levels: [Level: [Box]] = [:]
        for cell in cells {
            guard let declaration = declarations[cell.measure], let population = declaration.population, !declaration.overlapping else { continue }
            var conditions = declaration.conditions
            var key = cell.key
            if key.breakdownType == placementAttribute {
                let code = key.breakdownCode == IndicatorEngine.unknownCategory ? noPlacement : key.breakdownCode
                conditions[placementAttribute] = (conditions[placementAttribute] ?? domains[placementAttribute] ?? []).intersection([code])
                key = CellKey(period: key.period, geography: key.geography)
            }
            levels[Level(population: population, key: key), default: []].append(Box(cell: cell, population: population, conditions: conditions))
        }
        var relations: [Relation] = []
        for (level, boxes) in levels where boxes.count > 1 {
            let attributes = Set(boxes.flatMap(\.conditions.keys))
            func set(_ box: Box, _ attribute: String) -> Set<String> { box.conditions[attribute] ?? domains[attribute] ?? ["*"] }
            func others(_ box: Box, except attribute: String) -> [String: Set<String>] {
                var result: [String: Set<String>] = [:]
                for a in attributes where a != attribute { result[a] = set(box, a) }
                return result
            }
            // Cells with the same conditions count the same children (at home, and looked after at home by placement type).
            for (index, box) in boxes.enumerated() {
                for other in boxes[(index + 1)...] where box.cell != other.cell && attributes.allSatisfy({ set(box, $0) == set(other, $0) }) {
                    let (first, second) = box.cell < other.cell ? (box.cell, other.cell) : (other.cell, box.cell)
                    relations.append(Relation(name: "\(second.measure) counts the same children as \(first.measure)", kind: .sum, total: first, parts: [.cell(second)]))
                }
            }
            for total in boxes {
                for attribute in attributes.sorted() {
                    let totalSet = set(total, attribute)
                    let signature = others(total, except: attribute)
                    let candidates = boxes.filter {
                        $0.cell != total.cell && others($0, except: attribute) == signature && set($0, attribute).isStrictSubset(of: totalSet) && !set($0, attribute).isEmpty
                    }
                    guard !candidates.isEmpty else { continue }
                    // The coarsest partition of the total's codes that every candidate is a union of.
                    var classes: [Set<String>: Set<String>] = [:]   // membership signature -> codes
                    for code in totalSet {
                        let membership = Set(candidates.indices.filter { set(candidates[$0], attribute).contains(code) }.map(String.init))
                        classes[membership, default: []].insert(code)
                    }
                    func term(_ codes: Set<String>) -> Term {
                        if let exact = candidates.filter({ set($0, attribute) == codes }).map(\.cell).min() { return .cell(exact) }
                        // Attributes left open (the whole domain) say nothing, so they are not part of the name:
                        // the same rest at another level (Scotland, a total) then has the same name.
                        let restricted = signature.keys.sorted().filter { signature[$0]! != (domains[$0] ?? ["*"]) }
                        let signatureText = restricted.map { "\($0)=\(signature[$0]!.sorted().joined(separator: "|"))" }.joined(separator: ";")
                        return .slack(slackName(population: level.population, key: level.key, label: "[\(signatureText)] \(attribute)=\(codes.sorted().joined(separator: "|"))"))
                    }
                    let atoms = classes.values.sorted { $0.sorted().lexicographicallyPrecedes($1.sorted()) }
                    relations.append(Relation(name: "\(total.cell.measure) is the sum of its parts by \(attribute)", kind: .sum, total: total.cell, parts: atoms.map(term).sorted()))
                    for candidate in candidates {
                        let inside = atoms.filter { $0.isSubset(of: set(candidate, attribute)) }
                        guard inside.count > 1 else { continue }
                        relations.append(Relation(name: "\(candidate.cell.measure) is the sum of its parts by \(attribute)", kind: .sum, total: candidate.cell, parts: inside.map(term).sorted()))
                    }
                }
            }
            // Containment across more than one attribute: part <= total, and part <= the sum of the
            // cells that cover its codes of one attribute while being looser on every other.
            for part in boxes {
                for total in boxes where total.cell != part.cell {
                    let differing = attributes.filter { set(part, $0) != set(total, $0) }
                    guard differing.count > 1, attributes.allSatisfy({ set(part, $0).isSubset(of: set(total, $0)) }) else { continue }
                    relations.append(Relation(name: "\(part.cell.measure) counts some of the children in \(total.cell.measure)", kind: .atMost, total: total.cell, parts: [.cell(part.cell)]))
                }
                for attribute in attributes.sorted() {
                    let partSet = set(part, attribute)
                    let covers = boxes.filter { box in
                        box.cell != part.cell && set(box, attribute).isSubset(of: partSet)
                            && attributes.allSatisfy { $0 == attribute || set(part, $0).isSubset(of: set(box, $0)) }
                            && attributes.contains { $0 != attribute && set(part, $0) != set(box, $0) }
                    }
                    // Disjoint covers, smallest first, that exactly cover the part's codes.
                    var covered: Set<String> = []
                    var chosen: [Cell] = []
                    for box in covers.sorted(by: { (set($0, attribute).count, $0.cell) < (set($1, attribute).count, $1.cell) })
                    where set(box, attribute).isDisjoint(with: covered) {
                        covered.formUnion(set(box, attribute))
                        chosen.append(box.cell)
                    }
                    guard covered == partSet, chosen.count > 1 else { continue }
                    relations.append(Relation(name: "\(part.cell.measure) is at most the sum of the \(attribute) categories it lies in", kind: .coveredBy, total: part.cell, parts: chosen.sorted().map(Term.cell)))
                }
            }
        }
        return relations
    }
}
