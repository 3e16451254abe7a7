import Foundation

/// Confidence limits for indicator values (README, "How it works"). Pure functions: no I/O.
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
        case studentT = "student_t"
    }

    /// t interval for a mean from the sum, the sum of squares and the number of observations.
    /// Nil when there are fewer than two observations (no estimate of spread).
    public static func mean(sum: Double, sumOfSquares: Double, count: Double, level: Level) -> (lower: Double, upper: Double)? {
        guard count >= 2 else { return nil }
        let mean = sum / count
        let variance = max(0, (sumOfSquares - count * mean * mean) / (count - 1))
        let half = studentTQuantile(1 - level.alpha / 2, degreesOfFreedom: count - 1) * sqrt(variance / count)
        return (mean - half, mean + half)
    }

    /// The quantile of Student's t distribution, by bisection on its distribution function.
    static func studentTQuantile(_ probability: Double, degreesOfFreedom df: Double) -> Double {
        // P(T <= t) = 1 - I_x(df/2, 1/2) / 2 with x = df / (df + t^2), for t >= 0.
        func cdf(_ t: Double) -> Double {
            let x: Double = df / (df + t * t)
            let tail: Double = regularizedBeta(x, df / 2, 0.5)
            return 1 - 0.5 * tail
        }
        var low = 0.0, high = 1.0
        while cdf(high) < probability { high *= 2 }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if cdf(mid) < probability { low = mid } else { high = mid }
            if high - low < 1e-13 * max(1, high) { break }
        }
        return (low + high) / 2
    }

    /// Regularised incomplete beta function I_x(a, b), by Lentz's continued fraction.
    static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        // Use the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges faster.
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedBeta(1 - x, b, a) }
        let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logFront: Double = logGammas + a * log(x) + b * log(1 - x)
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1..<10_000 {
            let m = Double(m)
            let even: Double = (a + 2 * m - 1) * (a + 2 * m)
            var numerator: Double = m * (b - m) * x / even
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; h *= d * c
            let odd: Double = (a + 2 * m) * (a + 2 * m + 1)
            numerator = -(a + m) * (a + b + m) * x / odd
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return exp(logFront) * h / a
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
