import Testing
@testable import PromiseProgress

/// Reference values were computed outside the project with Python 3.11 and SciPy 1.17:
/// - Wilson: the two roots p of (x/n - p)^2 = z^2 p (1 - p) / n found with scipy.optimize.brentq
///   (root-finding on the score equation, not the closed form the code uses), z = norm.ppf(1 - a/2).
/// - Exact Poisson: chi2.ppf(a/2, 2x) / 2 and chi2.ppf(1 - a/2, 2x + 2) / 2.
/// - Byar: the published formula evaluated in Python with z from norm.ppf.
@Suite("Confidence intervals")
struct ConfidenceIntervalTests {
    struct WilsonCase: Sendable, CustomTestStringConvertible {
        let x: Double, n: Double, level: ConfidenceInterval.Level, lower: Double, upper: Double
        var testDescription: String { "\(Int(x))/\(Int(n)) at \(level.rawValue)" }
    }

    static let wilsonCases: [WilsonCase] = [
        WilsonCase(x: 0, n: 10, level: .ninetyFive, lower: 0, upper: 0.2775327998628915),
        WilsonCase(x: 0, n: 10, level: .ninetyNinePointEight, lower: 0, upper: 0.48847890045346215),
        WilsonCase(x: 10, n: 10, level: .ninetyFive, lower: 0.7224672001371085, upper: 1),
        WilsonCase(x: 10, n: 10, level: .ninetyNinePointEight, lower: 0.5115210995465378, upper: 1),
        WilsonCase(x: 1, n: 3, level: .ninetyFive, lower: 0.06149194472039623, upper: 0.7923403991979485),
        WilsonCase(x: 1, n: 3, level: .ninetyNinePointEight, lower: 0.029827928198891764, upper: 0.8904878489405574),
        WilsonCase(x: 5, n: 20, level: .ninetyFive, lower: 0.11186170140766569, upper: 0.468700877618744),
        WilsonCase(x: 5, n: 20, level: .ninetyNinePointEight, lower: 0.07171366289175934, upper: 0.5898715444202682),
        WilsonCase(x: 2210, n: 11709, level: .ninetyFive, lower: 0.18175854167424568, upper: 0.19593302653945557),
        WilsonCase(x: 2210, n: 11709, level: .ninetyNinePointEight, lower: 0.17782404795509707, upper: 0.20017064517729533),
        WilsonCase(x: 490, n: 15165, level: .ninetyFive, lower: 0.02961324088749167, upper: 0.03524612635499474),
        WilsonCase(x: 490, n: 15165, level: .ninetyNinePointEight, lower: 0.028159951154250948, upper: 0.037051179718123765),
    ]

    @Test("Wilson score limits match root-finding on the score equation", arguments: wilsonCases)
    func wilson(_ c: WilsonCase) throws {
        let limits = try #require(ConfidenceInterval.wilson(successes: c.x, trials: c.n, level: c.level))
        #expect(abs(limits.lower - c.lower) < 1e-9)
        #expect(abs(limits.upper - c.upper) < 1e-9)
    }

    @Test("Wilson has no interval for an empty or impossible proportion")
    func wilsonEdges() {
        #expect(ConfidenceInterval.wilson(successes: 0, trials: 0, level: .ninetyFive) == nil)
        #expect(ConfidenceInterval.wilson(successes: 4, trials: 3, level: .ninetyFive) == nil)
    }

    struct PoissonCase: Sendable, CustomTestStringConvertible {
        let observed: Int, level: ConfidenceInterval.Level, lower: Double, upper: Double
        var testDescription: String { "\(observed) at \(level.rawValue)" }
    }

    static let exactCases: [PoissonCase] = [
        PoissonCase(observed: 0, level: .ninetyFive, lower: 0, upper: 3.6888794541139354),
        PoissonCase(observed: 1, level: .ninetyFive, lower: 0.025317807984289897, upper: 5.571643390938898),
        PoissonCase(observed: 5, level: .ninetyFive, lower: 1.623486390118421, upper: 11.66833207932267),
        PoissonCase(observed: 9, level: .ninetyFive, lower: 4.115373097378334, upper: 17.084803451419166),
        PoissonCase(observed: 0, level: .ninetyNinePointEight, lower: 0, upper: 6.907755278982137),
        PoissonCase(observed: 1, level: .ninetyNinePointEight, lower: 0.0010005003335835346, upper: 9.233413476451585),
        PoissonCase(observed: 5, level: .ninetyNinePointEight, lower: 0.7393717319178327, upper: 16.454745203680105),
        PoissonCase(observed: 9, level: .ninetyNinePointEight, lower: 2.452424404363775, upper: 22.65737330906293),
    ]

    @Test("exact Poisson limits match SciPy's chi-squared quantiles", arguments: exactCases)
    func exact(_ c: PoissonCase) {
        let limits = ConfidenceInterval.poissonCount(c.observed, level: c.level)
        #expect(limits.method == .exactPoisson)
        #expect(abs(limits.lower - c.lower) < 1e-8 * max(1, c.lower))
        #expect(abs(limits.upper - c.upper) < 1e-8 * max(1, c.upper))
    }

    static let byarCases: [PoissonCase] = [
        PoissonCase(observed: 10, level: .ninetyFive, lower: 4.787449913967563, upper: 18.391458605756473),
        PoissonCase(observed: 10, level: .ninetyNinePointEight, lower: 2.916318374695686, upper: 24.19372492788055),
        PoissonCase(observed: 50, level: .ninetyFive, lower: 37.10810040903417, upper: 65.92015669395772),
        PoissonCase(observed: 50, level: .ninetyNinePointEight, lower: 30.934708439753138, upper: 75.96930059014409),
        PoissonCase(observed: 11709, level: .ninetyFive, lower: 11497.864548901713, upper: 11923.038795326333),
        PoissonCase(observed: 11709, level: .ninetyNinePointEight, lower: 11377.457796064571, upper: 12047.256118969739),
    ]

    @Test("Byar's limits from 10 events match the formula evaluated independently", arguments: byarCases)
    func byar(_ c: PoissonCase) {
        let limits = ConfidenceInterval.poissonCount(c.observed, level: c.level)
        #expect(limits.method == .byar)
        #expect(abs(limits.lower - c.lower) < 1e-9 * c.lower)
        #expect(abs(limits.upper - c.upper) < 1e-9 * c.upper)
    }

    @Test("Byar's approximation is close to the exact limits it stands in for")
    func byarNearExact() {
        // SciPy exact limits for 50 events at 95%: 37.110963737461866 and 65.91876666433681.
        let limits = ConfidenceInterval.byar(50, level: .ninetyFive)
        #expect(abs(limits.lower - 37.110963737461866) < 0.01)
        #expect(abs(limits.upper - 65.91876666433681) < 0.01)
    }
}

/// Reference values from SciPy 1.17: scipy.stats.t.ppf, and scipy.stats.t.interval on the sample
/// [1, 2, 2, 3, 5, 1, 1, 4] (mean 2.375, standard deviation 1.5059406173077154).
@Suite("t intervals for means")
struct MeanIntervalTests {
    @Test("Student's t quantiles match SciPy", arguments: [
        (1.0, 12.706204736174694, 318.30883898555015), (2.0, 4.302652729749462, 22.327124770119866),
        (5.0, 2.5705818356363146, 5.893429531356009), (9.0, 2.262157162798205, 4.296805662729918),
        (30.0, 2.0422724563012378, 3.3851848668293045), (200.0, 1.9718962236339088, 3.131479814221121),
    ])
    func quantiles(_ df: Double, _ q975: Double, _ q999: Double) {
        #expect(abs(ConfidenceInterval.studentTQuantile(0.975, degreesOfFreedom: df) - q975) < 1e-9 * q975)
        #expect(abs(ConfidenceInterval.studentTQuantile(0.999, degreesOfFreedom: df) - q999) < 1e-8 * q999)
    }

    @Test("the interval from sums matches scipy.stats.t.interval")
    func sample() throws {
        let ci95 = try #require(ConfidenceInterval.mean(sum: 19, sumOfSquares: 61, count: 8, level: .ninetyFive))
        #expect(abs(ci95.lower - 1.1160021371987876) < 1e-9)
        #expect(abs(ci95.upper - 3.6339978628012126) < 1e-9)
        let ci998 = try #require(ConfidenceInterval.mean(sum: 19, sumOfSquares: 61, count: 8, level: .ninetyNinePointEight))
        #expect(abs(ci998.lower - -0.17283372507590578) < 1e-9)
        #expect(abs(ci998.upper - 4.922833725075906) < 1e-9)
        #expect(ConfidenceInterval.mean(sum: 3, sumOfSquares: 9, count: 1, level: .ninetyFive) == nil, "one observation has no spread")
    }
}
