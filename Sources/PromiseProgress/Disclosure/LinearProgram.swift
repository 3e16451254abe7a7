import CGLPK

/// A linear programme over non-negative variables, solved by GLPK's simplex method: the tool both
/// disclosure control and the publication audit use to find the range an attacker can prove for a
/// withheld count. The problem is built once; each ``solve(_:maximize:)`` changes only the objective,
/// so GLPK starts from the previous basis (warm start) and a second bound costs a few pivots.
public final class LinearProgram {
    public enum Comparison: Sendable { case equal, atMost, atLeast }

    public enum Outcome: Equatable, Sendable {
        /// The optimum of the objective.
        case optimal(Double)
        /// The objective can grow without limit.
        case unbounded
        /// No assignment satisfies the constraints: the relations contradict the published figures.
        case infeasible
    }

    public struct SolverError: Error, CustomStringConvertible {
        public var description: String
    }

    private let problem: OpaquePointer
    public let variableCount: Int
    private var rowIndex: [Int32] = [0]
    private var columnIndex: [Int32] = [0]
    private var coefficients: [Double] = [0]
    private var rowCount: Int32 = 0
    private var loaded = false
    private var objective: [Int] = []
    /// Whether a basis exists from an earlier solve.
    private var warmed = false
    /// The values of the variables at the last optimum.
    public private(set) var solution: [Double] = []

    /// `variableCount` variables, each at least 0 (counts cannot be negative).
    public init(variableCount: Int) {
        glp_term_out(GLP_OFF)
        problem = glp_create_prob()
        self.variableCount = variableCount
        if variableCount > 0 {
            glp_add_cols(problem, Int32(variableCount))
            for j in 1...variableCount { glp_set_col_bnds(problem, Int32(j), GLP_LO, 0, 0) }
        }
    }

    deinit { glp_delete_prob(problem) }

    /// Fixes variable `j` (0-based) to a known value.
    public func fix(_ j: Int, to value: Double) {
        glp_set_col_bnds(problem, Int32(j + 1), GLP_FX, value, value)
    }

    /// Adds the constraint `sum(coefficient * variable) <comparison> constant`. Variables are 0-based.
    public func add(_ terms: [(variable: Int, coefficient: Double)], _ comparison: Comparison, _ constant: Double) {
        precondition(!loaded, "constraints are added before the first solve")
        rowCount += 1
        glp_add_rows(problem, 1)
        switch comparison {
        case .equal: glp_set_row_bnds(problem, rowCount, GLP_FX, constant, constant)
        case .atMost: glp_set_row_bnds(problem, rowCount, GLP_UP, 0, constant)
        case .atLeast: glp_set_row_bnds(problem, rowCount, GLP_LO, constant, 0)
        }
        var merged: [Int: Double] = [:]
        for term in terms { merged[term.variable, default: 0] += term.coefficient }
        for (variable, coefficient) in merged.sorted(by: { $0.key < $1.key }) where coefficient != 0 {
            precondition(variable >= 0 && variable < variableCount, "variable \(variable) out of range")
            rowIndex.append(rowCount)
            columnIndex.append(Int32(variable + 1))
            coefficients.append(coefficient)
        }
    }

    /// Minimises or maximises the sum of `weights[j] * variable j`.
    public func solve(_ weights: [(variable: Int, weight: Double)], maximize: Bool) throws -> Outcome {
        if !loaded {
            glp_load_matrix(problem, Int32(coefficients.count - 1), &rowIndex, &columnIndex, &coefficients)
            loaded = true
        }
        for j in objective { glp_set_obj_coef(problem, Int32(j + 1), 0) }
        objective = weights.map(\.variable)
        for (j, w) in weights { glp_set_obj_coef(problem, Int32(j + 1), w) }
        glp_set_obj_dir(problem, maximize ? GLP_MAX : GLP_MIN)
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.presolve = GLP_OFF
        parameters.tm_lim = 60_000
        // The first solve starts from nothing: GLPK's presolver shrinks the problem first (it removes
        // the many rows and columns fixed by published counts), which more than halves the time of
        // disclosure control. Later solves start from the last basis instead (warm start).
        if !warmed { parameters.presolve = GLP_ON }
        warmed = true
        var code = glp_simplex(problem, &parameters)
        if code != 0 && code != GLP_ENOPFS && code != GLP_ENODFS {
            // A failed factorisation of the warm-start basis: start again from the standard basis.
            glp_std_basis(problem)
            code = glp_simplex(problem, &parameters)
        }
        if code == GLP_ENOPFS { return .infeasible }
        if code == GLP_ENODFS { return .unbounded }
        guard code == 0 else { throw SolverError(description: "GLPK simplex failed with code \(code)") }
        switch glp_get_status(problem) {
        case GLP_OPT:
            solution = (1...max(variableCount, 1)).map { variableCount == 0 ? 0 : glp_get_col_prim(problem, Int32($0)) }
            return .optimal(glp_get_obj_val(problem))
        case GLP_UNBND: return .unbounded
        case GLP_NOFEAS: return .infeasible
        case let status: throw SolverError(description: "GLPK simplex ended with status \(status)")
        }
    }
}
