import Foundation

/// Confidence limits for indicator values (DOMAIN.md section 5). Pure functions: no I/O.
public enum ConfidenceInterval {
    /// A confidence level with its two-sided normal quantile.
    public enum Level: Double, Sendable, CaseIterable {
        case ninetyFive = 0.95
        case ninetyNinePointEight = 0.998

        /// z such that P(|Z| < z) is the level.
        public var z: Double {
            switch self {
            case .ninetyFive: 1.959963984540054
            case .ninetyNinePointEight: 3.090232306167813
            }
        }

        public var alpha: Double { 1 - rawValue }
    }

    public enum Method: String, Sendable {
        case wilson
        case exactPoisson = "exact_poisson"
        case byar
    }

    /// Wilson score interval for a proportion `successes / trials`, as fractions 0-1.
    public static func wilson(successes: Double, trials: Double, level: Level) -> (lower: Double, upper: Double)? {
        guard trials > 0, successes >= 0, successes <= trials else { return nil }
        let z = level.z
        let p = successes / trials
        let z2n = z * z / trials
        let centre = (p + z2n / 2) / (1 + z2n)
        let half = z / (1 + z2n) * sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
        return (max(0, centre - half), min(1, centre + half))
    }

    /// Limits for a Poisson count: exact below 10 events, Byar's approximation from 10 upwards.
    public static func poissonCount(_ observed: Int, level: Level) -> (lower: Double, upper: Double, method: Method) {
        if observed < 10 {
            let limits = exactPoisson(observed, level: level)
            return (limits.lower, limits.upper, .exactPoisson)
        }
        let limits = byar(observed, level: level)
        return (limits.lower, limits.upper, .byar)
    }

    /// Byar's approximation to the exact Poisson limits.
    public static func byar(_ observed: Int, level: Level) -> (lower: Double, upper: Double) {
        let o = Double(observed), z = level.z
        let lower = o == 0 ? 0 : o * pow(1 - 1 / (9 * o) - z / (3 * sqrt(o)), 3)
        let o1 = o + 1
        let upper = o1 * pow(1 - 1 / (9 * o1) + z / (3 * sqrt(o1)), 3)
        return (lower, upper)
    }

    /// Exact (Garwood) limits: the gamma quantiles that are chi-squared(2x) / 2 and chi-squared(2x + 2) / 2.
    public static func exactPoisson(_ observed: Int, level: Level) -> (lower: Double, upper: Double) {
        let half = level.alpha / 2
        let lower = observed == 0 ? 0 : gammaQuantile(shape: Double(observed), probability: half)
        let upper = gammaQuantile(shape: Double(observed + 1), probability: 1 - half)
        return (lower, upper)
    }

    // MARK: - Gamma distribution

    /// x with P(shape, x) = probability, for the regularised lower incomplete gamma P, by bisection.
    static func gammaQuantile(shape: Double, probability: Double) -> Double {
        var low = 0.0
        var high = max(1.0, shape) * 4 + 50
        while regularizedGammaP(shape, high) < probability { high *= 2 }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if regularizedGammaP(shape, mid) < probability { low = mid } else { high = mid }
            if high - low < 1e-13 * max(1, high) { break }
        }
        return (low + high) / 2
    }

    /// Regularised lower incomplete gamma function P(a, x) (series below a + 1, continued fraction above).
    static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        let logPrefix = -x + a * log(x) - lgamma(a)
        if x < a + 1 {
            var term = 1 / a, sum = term, n = a
            for _ in 0..<10_000 {
                n += 1
                term *= x / n
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return sum * exp(logPrefix)
        }
        // Lentz's continued fraction for Q(a, x).
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return 1 - exp(logPrefix) * h
    }
}
