import Dispatch
import Foundation

/// Runs independent jobs on every core and returns their results in the order given.
///
/// Used where the work is pure and large enough to pay for threads (rendering pages from an
/// immutable model). Jobs must only read what they share (values, not objects they mutate):
/// the compiler cannot check that of closures built from non-Sendable values, so the caller
/// promises it. Every job runs even if another fails; the first failure in job order is
/// rethrown, so a run reports the same error whichever thread finished first.
enum Parallel {
    static func map<Result>(_ jobs: [() throws -> Result], threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> [Result] {
        guard jobs.count > 1, threads > 1 else { return try jobs.map { try $0() } }
        let work = Work(jobs)
        // One worker per core takes the next job until none are left, so one slow job does not
        // hold back a fixed share of the others. Each slot is written by exactly one worker.
        DispatchQueue.concurrentPerform(iterations: min(threads, jobs.count)) { _ in
            while let index = work.take() {
                work.slots[index] = Swift.Result { try work.jobs[index]() }
            }
        }
        return try work.slots.map { try $0!.get() }
    }

    /// Starts the jobs, in order, on a background thread and returns at once; ``Pending/wait()``
    /// blocks until they are done and returns their results as ``map(_:threads:)`` does. The
    /// calling thread stays free for work that must stay on it (a database connection's).
    static func start<Result>(_ jobs: [() throws -> Result]) -> Pending<Result> {
        let work = Work(jobs)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            while let index = work.take() {
                work.slots[index] = Swift.Result { try work.jobs[index]() }
            }
            done.signal()
        }
        return Pending(work: work, done: done)
    }

    /// Jobs running on another thread.
    final class Pending<Result> {
        private let work: Work<Result>
        private let done: DispatchSemaphore
        private var waited = false

        fileprivate init(work: Work<Result>, done: DispatchSemaphore) {
            self.work = work
            self.done = done
        }

        /// Waits for every job; the first failure in job order is rethrown.
        func wait() throws -> [Result] {
            if !waited {
                done.wait()
                waited = true
            }
            return try work.slots.map { try $0!.get() }
        }
    }

    /// The jobs, one result slot each, and the index of the next job, taken under a lock.
    fileprivate final class Work<Result>: @unchecked Sendable {
        let jobs: [() throws -> Result]
        let slots: UnsafeMutableBufferPointer<Swift.Result<Result, any Error>?>
        private let lock = NSLock()
        private var next = 0

        init(_ jobs: [() throws -> Result]) {
            self.jobs = jobs
            slots = .allocate(capacity: jobs.count)
            slots.initialize(repeating: nil)
        }

        deinit {
            slots.deinitialize()
            slots.deallocate()
        }

        func take() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard next < jobs.count else { return nil }
            next += 1
            return next - 1
        }
    }
}
