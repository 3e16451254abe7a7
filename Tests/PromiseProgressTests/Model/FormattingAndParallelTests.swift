import Foundation
import Testing
@testable import PromiseProgress

@Suite("Number formatting and parallel jobs")
struct FormattingAndParallelTests {
    @Test("decimals round half away from zero, group thousands and never print minus zero",
          arguments: [
            (18.94, 1, "18.9"), (18.96, 1, "19.0"), (0.05, 1, "0.1"), (-0.05, 1, "-0.1"), (-0.04, 1, "0.0"),
            (1234.56, 1, "1,234.6"), (-1234.56, 1, "-1,234.6"), (999.96, 1, "1,000.0"), (0.0, 1, "0.0"),
            (0.05, 2, "0.05"), (2.5, 0, "3"), (-2.5, 0, "-3"), (1_000_000.04, 1, "1,000,000.0"), (7.0, 2, "7.00"),
          ])
    func decimals(_ value: Double, _ places: Int, _ expected: String) {
        #expect(Formatting.decimal(value, places: places) == expected)
    }

    @Test("decimals agree with C's printf wherever the scaled value is not on a rounding tie")
    func decimalsAgreeWithPrintf() {
        // printf rounds the binary value half to even; away from ties both must give the same digits.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let value = Double.random(in: -50_000...50_000, using: &generator)
            let scaled = abs(value) * 10
            guard abs(scaled - scaled.rounded(.down) - 0.5) > 1e-6 else { continue }
            let reference = String(format: "%.1f", value)
            let ours = Formatting.decimal(value).replacingOccurrences(of: ",", with: "")
            #expect(ours == (reference == "-0.0" ? "0.0" : reference), "\(value)")
        }
    }

    @Test("parallel jobs return results in job order and rethrow the first failure in that order")
    func parallelOrderAndErrors() throws {
        let jobs: [() throws -> Int] = (0..<200).map { index in { index * index } }
        #expect(try Parallel.map(jobs, threads: 4) == (0..<200).map { $0 * $0 })
        struct Failure: Error, Equatable { let index: Int }
        let failing: [() throws -> Int] = (0..<50).map { index in { if index == 7 || index == 30 { throw Failure(index: index) }; return index } }
        #expect(throws: Failure(index: 7)) { try Parallel.map(failing, threads: 4) }
    }

    @Test("jobs started in the background finish while the caller works, and their failure reaches wait()")
    func background() throws {
        let pending = Parallel.start((0..<20).map { index in { () throws -> Int in index + 1 } })
        let here = (0..<1000).reduce(0, +)
        #expect(try pending.wait() == Array(1...20))
        #expect(try pending.wait().count == 20, "waiting twice returns the same results")
        #expect(here == 499_500)
        struct Failure: Error, Equatable {}
        let failing = Parallel.start([{ () throws -> Int in 1 }, { throw Failure() }])
        #expect(throws: Failure()) { try failing.wait() }
    }
}
