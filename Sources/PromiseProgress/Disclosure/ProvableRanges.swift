/// The attacker's view: given every relation between counts and every count that is published, the
/// smallest and largest value each withheld count can take (non-negative, real-valued: the linear
/// programming relaxation sdcTable and tau-ARGUS use). Used by disclosure control to test its own
/// choice and, separately fed from the public files, by the publication audit.
public struct ProvableRanges {
    /// Linear constraints over unknowns `0..<unknownCount`: `sum(coefficient * unknown) (= or <=) constant`.
    public struct Constraint: Sendable {
        public var terms: [(variable: Int, coefficient: Double)]
        public var equal: Bool
        public var constant: Double

        public init(terms: [(variable: Int, coefficient: Double)], equal: Bool, constant: Double) {
            self.terms = terms
            self.equal = equal
            self.constant = constant
        }
    }

    /// What is proven about one unknown. `lower` is nil when the unknown can be 0; `upper` is nil when it
    /// can reach the protection target (or grow without limit).
    public struct Range: Sendable, Equatable {
        public var lower: Double?
        public var upper: Double?
        public var canBeZero: Bool { lower == nil }
        public var canReachTarget: Bool { upper == nil }
    }

    public let unknownCount: Int
    public let constraints: [Constraint]
    /// Tolerance for the floating-point optimum.
    public static let tolerance = 1e-6

    public init(unknownCount: Int, constraints: [Constraint]) {
        self.unknownCount = unknownCount
        self.constraints = constraints.filter { !$0.terms.isEmpty }
    }

    /// Linear programmes solved by the last call, for reports.
    public private(set) var solves = 0

    /// For each unknown in `lowerQueries`, whether it can be 0 (else its proven minimum); for each in
    /// `upperQueries`, whether it can reach `target` (else its proven maximum). Throws when the
    /// constraints have no solution at all: the relations contradict the figures.
    public mutating func bound(lowerQueries: Set<Int>, upperQueries: Set<Int>, target: Double) throws -> [Int: Range] {
        var cache = Cache()
        return try bound(lowerQueries: lowerQueries, upperQueries: upperQueries, target: target, identity: { $0 }, cache: &cache)
    }

    /// Results of earlier calls, per independent piece: a piece whose unknowns (by `identity`) are the
    /// same as before has the same constraints and the same answer, so disclosure control re-solves
    /// only the pieces its last choices changed.
    public struct Cache {
        var pieces: [[Int]: [Int: Range]] = [:]
        public init() {}
    }

    public mutating func bound(lowerQueries: Set<Int>, upperQueries: Set<Int>, target: Double, identity: (Int) -> Int, cache: inout Cache) throws -> [Int: Range] {
        var result: [Int: Range] = [:]
        for query in lowerQueries.union(upperQueries) { result[query] = Range(lower: nil, upper: nil) }
        // Independent pieces are solved separately.
        let find = pieces()
        let queried = lowerQueries.union(upperQueries)
        var componentConstraints: [Int: [Constraint]] = [:]
        for constraint in constraints {
            let root = find(constraint.terms[0].variable)
            componentConstraints[root, default: []].append(constraint)
        }
        var componentQueries: [Int: [Int]] = [:]
        for query in queried.sorted() { componentQueries[find(query), default: []].append(query) }
        var componentMembers: [Int: [Int]] = [:]
        for variable in 0..<unknownCount where componentQueries[find(variable)] != nil { componentMembers[find(variable), default: []].append(variable) }

        // Pieces solved before are read from the cache; the others are solved on every core (each its own
        // GLPK problem: GLPK keeps its state per thread).
        var jobs: [(size: Int, job: () throws -> (signature: [Int], ranges: [Int: Range], solves: Int))] = []
        for (root, queries) in componentQueries.sorted(by: { $0.key < $1.key }) {
            let members = componentMembers[root] ?? []
            let lows = queries.filter(lowerQueries.contains), highs = queries.filter(upperQueries.contains)
            let signature = members.map(identity).sorted() + [-1] + lows.map(identity).sorted() + [-2] + highs.map(identity).sorted()
            if let known = cache.pieces[signature] {
                for q in queries { result[q] = known[identity(q)] ?? Range(lower: nil, upper: nil) }
                continue
            }
            let pieceConstraints = componentConstraints[root] ?? []
            jobs.append((members.count, {
                var solves = 0
                let ranges = try Self.solvePiece(members: members, constraints: pieceConstraints, lowerQueries: lows, upperQueries: highs, target: target, solves: &solves)
                return (signature, ranges, solves)
            }))
        }
        // The largest pieces first, so that no core is left with one at the end.
        for piece in try Parallel.map(jobs.enumerated().sorted { ($0.element.size, $1.offset) > ($1.element.size, $0.offset) }.map(\.element.job)) {
            solves += piece.solves
            for (q, range) in piece.ranges { result[q] = range }
            cache.pieces[piece.signature] = Dictionary(uniqueKeysWithValues: piece.ranges.map { (identity($0.key), $0.value) })
        }
        return result
    }

    /// The ranges of one independent piece: its unknowns `members`, the constraints over them, and which
    /// of them to bound from below and from above.
    static func solvePiece(members: [Int], constraints: [Constraint], lowerQueries: [Int], upperQueries: [Int], target: Double, solves: inout Int) throws -> [Int: Range] {
        var result: [Int: Range] = [:]
        for q in lowerQueries + upperQueries { result[q] = Range(lower: nil, upper: nil) }
        let local = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($0.element, $0.offset) })
        var lowPending = Set(lowerQueries)
        var highPending = Set(upperQueries)
        // For each upper query a capped copy, y <= x and y <= target: maximising the sum of the copies
        // pushes every unknown towards the target at once, instead of all the mass into one.
        let capped = Dictionary(uniqueKeysWithValues: highPending.sorted().enumerated().map { ($0.element, members.count + $0.offset) })
        let program = LinearProgram(variableCount: members.count + capped.count)
        for constraint in constraints {
            program.add(constraint.terms.map { (local[$0.variable]!, $0.coefficient) }, constraint.equal ? .equal : .atMost, constraint.constant)
        }
        for (q, y) in capped {
            program.add([(y, 1), (local[q]!, -1)], .atMost, 0)
            program.add([(y, 1)], .atMost, target)
        }

        // Whole batches first: one optimum often shows many unknowns at 0 or at the target.
        func settle(_ solution: [Double]) {
            for q in lowPending where solution[local[q]!] <= Self.tolerance { lowPending.remove(q) }
            for q in highPending where solution[local[q]!] >= target - Self.tolerance { highPending.remove(q) }
        }
        while lowPending.count > 1 {
            let before = lowPending.count
            guard case .optimal = try solve(program, lowPending.map { (local[$0]!, 1.0) }, maximize: false, solves: &solves) else { break }
            settle(program.solution)
            if lowPending.count == before { break }
        }
        while highPending.count > 1 {
            let before = highPending.count
            guard case .optimal = try solve(program, highPending.map { (capped[$0]!, 1.0) }, maximize: true, solves: &solves) else { break }
            settle(program.solution)
            if highPending.count == before { break }
        }
        // Then one at a time.
        for q in lowPending.sorted() where lowPending.contains(q) {
            if case .optimal(let minimum) = try solve(program, [(local[q]!, 1)], maximize: false, solves: &solves) {
                settle(program.solution)
                if minimum > Self.tolerance { result[q]!.lower = minimum }
            }
        }
        for q in highPending.sorted() where highPending.contains(q) {
            switch try solve(program, [(local[q]!, 1)], maximize: true, solves: &solves) {
            case .optimal(let maximum):
                settle(program.solution)
                if maximum < target - Self.tolerance { result[q]!.upper = maximum }
            case .unbounded, .infeasible:
                break
            }
        }
        return result
    }

    /// The smallest and largest value each queried unknown can take (`max` nil: without limit), one
    /// linear programme each way, over the piece of constraints the unknown is tied to. For the few
    /// counts whose protection interval is their own (a revision: their previous value and five beyond).
    public mutating func extremes(of queries: Set<Int>) throws -> [Int: (min: Double, max: Double?)] {
        let find = pieces()
        var result: [Int: (min: Double, max: Double?)] = [:]
        let roots = Set(queries.map(find))
        for root in roots.sorted() {
            let members = (0..<unknownCount).filter { find($0) == root }
            let local = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($0.element, $0.offset) })
            let program = LinearProgram(variableCount: members.count)
            for constraint in constraints where find(constraint.terms[0].variable) == root {
                program.add(constraint.terms.map { (local[$0.variable]!, $0.coefficient) }, constraint.equal ? .equal : .atMost, constraint.constant)
            }
            for q in queries.sorted() where find(q) == root {
                var low = 0.0
                if case .optimal(let minimum) = try solve(program, [(local[q]!, 1)], maximize: false) { low = minimum }
                var high: Double?
                if case .optimal(let maximum) = try solve(program, [(local[q]!, 1)], maximize: true) { high = maximum }
                result[q] = (low, high)
            }
        }
        return result
    }

    /// The independent piece of every unknown (union-find over the unknowns each constraint ties):
    /// unknowns with the same root share constraints, others never do.
    func pieces() -> (Int) -> Int {
        var parent = Array(0..<unknownCount)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        for constraint in constraints {
            let first = find(constraint.terms[0].variable)
            for term in constraint.terms.dropFirst() { parent[find(term.variable)] = first }
        }
        let roots = (0..<unknownCount).map(find)
        return { roots[$0] }
    }

    private mutating func solve(_ program: LinearProgram, _ weights: [(variable: Int, weight: Double)], maximize: Bool) throws -> LinearProgram.Outcome {
        try Self.solve(program, weights, maximize: maximize, solves: &solves)
    }

    private static func solve(_ program: LinearProgram, _ weights: [(variable: Int, weight: Double)], maximize: Bool, solves: inout Int) throws -> LinearProgram.Outcome {
        solves += 1
        let outcome = try program.solve(weights, maximize: maximize)
        if outcome == .infeasible {
            throw LinearProgram.SolverError(description: "the relations between the published counts have no solution: a declared relation does not hold on the figures")
        }
        return outcome
    }
}
