/// Statistical disclosure control (DOMAIN.md section 6), applied once, centrally, to every value
/// before anything is published. Pure functions: tests feed them small crafted tables.
///
/// A *cell* is one count of children: an indicator's numerator (or a percentage's denominator)
/// for one period, area and breakdown category. Cells are tied by *equations*: Scotland is the
/// sum of the council areas; a total is the sum of its categories; reviewed groups tie
/// indicators together (looked after = community + residential). Primary suppression hides counts
/// from 1 to 4; secondary suppression then hides the smallest other count in every equation that
/// has exactly one hidden member, until none has, so no hidden count can be worked out by subtraction.
public enum DisclosureControl {
    // MARK: - Rules

    /// Thresholds and reviewed groups, from `config/disclosure-control.yml`.
    public struct Rules: Sendable, Equatable {
        /// Counts from 1 up to this are suppressed (zero is shown as 0).
        public var largestSuppressedCount: Int
        /// A percentage or rate with a smaller denominator is suppressed.
        public var minimumDenominator: Double
        public var groups: [Group]

        public init(largestSuppressedCount: Int = 4, minimumDenominator: Double = 10, groups: [Group] = []) {
            self.largestSuppressedCount = largestSuppressedCount
            self.minimumDenominator = minimumDenominator
            self.groups = groups
        }
    }

    /// Measures whose values add up: `total` = sum of `parts` (plus an unpublished remainder when not complete).
    public struct Group: Sendable, Equatable {
        public var name: String
        public var total: MeasureReference
        public var parts: [MeasureReference]
        /// True when the parts always add up to the total exactly.
        public var complete: Bool

        public init(name: String, total: MeasureReference, parts: [MeasureReference], complete: Bool) {
            self.name = name
            self.total = total
            self.parts = parts
            self.complete = complete
        }
    }

    // MARK: - Cells and equations

    public struct Cell: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var measure: MeasureReference
        public var key: CellKey

        public init(_ measure: MeasureReference, _ key: CellKey) {
            self.measure = measure
            self.key = key
        }

        public static func < (lhs: Cell, rhs: Cell) -> Bool { (lhs.measure, lhs.key) < (rhs.measure, rhs.key) }

        public var description: String {
            "\(measure) \(key.period) \(key.geography) \(key.breakdownType)=\(key.breakdownCode)"
        }
    }

    /// `total` = sum of `parts` (+ remainder, an unpublished count, when `hasRemainder`).
    public struct Equation: Sendable {
        public var name: String
        public var total: Cell
        public var parts: [Cell]
        public var hasRemainder: Bool

        public init(name: String, total: Cell, parts: [Cell], hasRemainder: Bool = false) {
            self.name = name
            self.total = total
            self.parts = parts
            self.hasRemainder = hasRemainder
        }
    }

    /// Decides which cells to suppress. Returns each suppressed cell with its rule in words.
    public static func suppress(_ counts: [Cell: Int], equations: [Equation], rules: Rules) -> [Cell: String] {
        var hidden: [Cell: String] = [:]
        for (cell, count) in counts where count >= 1 && count <= rules.largestSuppressedCount {
            hidden[cell] = "primary: count from 1 to \(rules.largestSuppressedCount)"
        }
        var changed = true
        while changed {
            changed = false
            for equation in equations {
                let members = [equation.total] + equation.parts
                let hiddenMembers = members.filter { hidden[$0] != nil }.count
                var needsComplement = false
                if equation.hasRemainder {
                    // The remainder is never published, so it is one unknown already. It can be worked
                    // out only when nothing else is hidden, which matters when it is a count from 1 to 4.
                    let remainder = (counts[equation.total] ?? 0) - equation.parts.reduce(0) { $0 + (counts[$1] ?? 0) }
                    needsComplement = hiddenMembers == 0 && remainder >= 1 && remainder <= rules.largestSuppressedCount
                } else {
                    needsComplement = hiddenMembers == 1
                }
                guard needsComplement else { continue }
                // The smallest positive count among the parts, then a zero, then the total.
                let candidates = equation.parts.filter { hidden[$0] == nil && counts[$0] != nil }
                let positive = candidates.filter { counts[$0]! > 0 }.min { (counts[$0]!, $0) < (counts[$1]!, $1) }
                let choice = positive ?? candidates.min() ?? (hidden[equation.total] == nil ? equation.total : nil)
                guard let choice else { continue }
                hidden[choice] = "secondary: protects a suppressed count in \(equation.name)"
                changed = true
            }
        }
        return hidden
    }

    // MARK: - Applying to indicator values

    /// The cells of every value, the equations between them, and the published values.
    public static func apply(_ values: [IndicatorValue], definitions: [IndicatorDefinition], rules: Rules) -> [IndicatorValue] {
        let canonical = canonicalMeasures(definitions)
        let byID = Dictionary(uniqueKeysWithValues: definitions.map { ($0.id, $0) })

        // Counts of children and the measures each breakdown exists for.
        var counts: [Cell: Int] = [:]
        for value in values where value.marker != .notAvailable {
            guard let definition = byID[value.indicatorID] else { continue }
            if let n = value.numerator {
                counts[Cell(canonical[MeasureReference(indicator: definition.id, part: .numerator)]!, value.key)] = n
            }
            if definition.valueType.countsChildrenInDenominator, definition.denominator != nil, let d = value.denominator {
                counts[Cell(canonical[MeasureReference(indicator: definition.id, part: .denominator)]!, value.key)] = Int(d)
            }
        }
        let hidden = suppress(counts, equations: equations(for: counts, groups: rules.groups, canonical: canonical), rules: rules)

        return values.map { value in
            guard let definition = byID[value.indicatorID], value.marker != .notAvailable else { return value }
            var published = value
            let numeratorRule = hidden[Cell(canonical[MeasureReference(indicator: definition.id, part: .numerator)]!, value.key)]
            let denominatorRule = definition.valueType.countsChildrenInDenominator && definition.denominator != nil
                ? hidden[Cell(canonical[MeasureReference(indicator: definition.id, part: .denominator)]!, value.key)] : nil
            if let numeratorRule {
                published.numerator = nil
                published.withhold(.confidential)
                published.suppressionRule = numeratorRule
            }
            if let denominatorRule {
                published.denominator = nil
                published.withhold(.confidential)
                published.suppressionRule = published.suppressionRule ?? denominatorRule
            }
            if published.suppressionRule == nil, definition.valueType != .count, let d = value.denominator, d > 0, d < rules.minimumDenominator {
                published.withhold(.confidential)
                published.suppressionRule = "derived: denominator below \(Int(rules.minimumDenominator))"
            }
            return published
        }
    }

    /// Maps every measure to the one it is the same as, following `same_as` chains.
    static func canonicalMeasures(_ definitions: [IndicatorDefinition]) -> [MeasureReference: MeasureReference] {
        var direct: [MeasureReference: MeasureReference] = [:]
        for definition in definitions {
            let numerator = MeasureReference(indicator: definition.id, part: .numerator)
            direct[numerator] = definition.numerator.sameAs ?? numerator
            if let denominator = definition.denominator {
                let reference = MeasureReference(indicator: definition.id, part: .denominator)
                direct[reference] = denominator.sameAs ?? reference
            }
        }
        var result: [MeasureReference: MeasureReference] = [:]
        for start in direct.keys {
            var current = start
            var seen: Set<MeasureReference> = [start]
            while let next = direct[current], next != current, !seen.contains(next) {
                seen.insert(next)
                current = next
            }
            result[start] = current
        }
        return result
    }

    /// Scotland = sum of council areas; total = sum of categories; and the reviewed groups.
    static func equations(for counts: [Cell: Int], groups: [Group], canonical: [MeasureReference: MeasureReference]) -> [Equation] {
        var byGeography: [Cell: [Cell]] = [:]     // Scotland-level cell -> council cells
        var byBreakdown: [Cell: [Cell]] = [:]     // total cell -> category cells
        let scotland = "S92000003"
        for cell in counts.keys {
            if cell.key.geography != scotland {
                var total = cell
                total.key.geography = scotland
                byGeography[total, default: []].append(cell)
            }
            if !cell.key.isTotal {
                var total = cell
                total.key.breakdownType = "total"
                total.key.breakdownCode = "total"
                byBreakdown[total, default: []].append(cell)
            }
        }
        var result: [Equation] = []
        for (total, parts) in byGeography where counts[total] != nil {
            result.append(Equation(name: "the Scotland total of \(total.measure)", total: total, parts: parts.sorted()))
        }
        // Categories of different breakdown types add up to the same total separately.
        for (total, parts) in byBreakdown where counts[total] != nil {
            let types = Dictionary(grouping: parts, by: \.key.breakdownType)
            for (type, typeParts) in types {
                result.append(Equation(name: "the \(type) categories of \(total.measure)", total: total, parts: typeParts.sorted()))
            }
        }
        for group in groups {
            guard let totalMeasure = canonical[group.total] else { continue }
            let partMeasures = group.parts.compactMap { canonical[$0] }
            for cell in counts.keys where cell.measure == totalMeasure {
                let parts = partMeasures.map { Cell($0, cell.key) }
                guard parts.allSatisfy({ counts[$0] != nil }) else { continue }
                result.append(Equation(name: "group '\(group.name)'", total: cell, parts: parts, hasRemainder: !group.complete))
            }
        }
        // A fixed order makes the choice of secondary cells, and so every build, reproducible.
        return result.sorted { ($0.total, $0.name) < ($1.total, $1.name) }
    }
}
