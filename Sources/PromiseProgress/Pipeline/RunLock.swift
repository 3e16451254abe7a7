import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on `out/.lock` for the length of a build or a stage, so two runs never overlap.
///
/// The lock itself is `flock(2)`: the operating system releases it when the process dies, so a
/// crash can never leave the next run locked out. The file also says who holds it (run, process,
/// start); a holder that ends cleanly empties it. A new holder that finds it not empty knows the
/// last run was killed, and ``previousHolder`` tells the build which run to record as killed.
public final class RunLock {
    private let descriptor: Int32
    public let url: URL
    /// Who held the lock last without releasing it cleanly: a run that was killed.
    public private(set) var previousHolder: Holder?

    public struct Holder: Codable, Sendable, Equatable {
        public var runID: String
        public var pid: Int32
        public var startedAt: String
        public var command: String

        public init(runID: String, pid: Int32, startedAt: String, command: String) {
            self.runID = runID
            self.pid = pid
            self.startedAt = startedAt
            self.command = command
        }

        enum CodingKeys: String, CodingKey { case runID = "run_id", pid, startedAt = "started_at", command }
    }

    public init(url: URL) throws {
        self.url = url
        try FileOperation.makeOutputFolder(url.deletingLastPathComponent())
        // Never through a link or into a pipe: a planted link would have the run truncate and chmod
        // its target, a FIFO would hold the run for ever.
        descriptor = open(url.path, O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o640)
        guard descriptor >= 0 else {
            let reason = errno == ELOOP ? "it is a symbolic link; the lock must be a regular file (remove the link)" : String(cString: strerror(errno))
            throw OperatorError.fileSystem(what: "open the lock file", path: url.path, reason: reason)
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw OperatorError.fileSystem(what: "open the lock file", path: url.path, reason: "it is not a regular file (a pipe or a device?); remove it")
        }
        // A file with other hard links is some other file too: the run would empty and chmod it.
        guard info.st_nlink <= 1 else {
            close(descriptor)
            throw OperatorError.fileSystem(what: "open the lock file", path: url.path, reason: "it has \(info.st_nlink) hard links, so it is some other file too; the lock must be a file of its own, so remove it. Nothing was done")
        }
        // Whatever the umask: the lock names runs and processes, for the owner and group only.
        _ = fchmod(descriptor, 0o640)
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.read(descriptor)
            close(descriptor)
            throw PipelineFailure("another run is in progress (\(holder.map { "run \(Bounded.message($0.runID, limit: 80)), process \($0.pid), \(Bounded.message($0.command, limit: 80))" } ?? "it holds \(url.path)")); this run did nothing")
        }
        previousHolder = Self.read(descriptor)
    }

    /// Records the holder in the lock file, for the next run to find if this one is killed.
    public func hold(as holder: Holder) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(holder) else { return }
        _ = ftruncate(descriptor, 0)
        _ = data.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        _ = fsync(descriptor)
        previousHolder = nil
    }

    /// Empties the lock file: this run ended (well or badly) and recorded how.
    public func release() {
        _ = ftruncate(descriptor, 0)
    }

    static func read(_ descriptor: Int32) -> Holder? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return try? JSONDecoder().decode(Holder.self, from: Data(buffer[0..<count]))
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
