import Foundation
import GRDB

/// How a run ended, as the process exit code: the contract with cron, systemd and scripts.
/// Documented in the README (Operations) and in `promise-progress build --help`.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// A new release was published.
    case published = 0
    /// Something in the program or its environment failed (a full disk, a folder that cannot be written).
    case internalError = 1
    /// The inputs, definitions, settings and program are those of the published release: nothing to
    /// do. The process exits 0 then, as `make` does; 3 only with `--detailed-exit-code`.
    case nothingToDo = 3
    /// Another run holds the lock; this one did nothing.
    case refused = 4
    /// An input, definition or setting was rejected (bad file, too many rejected rows, failed check).
    case inputRejected = 5
    /// The publication audit found something that must not be published.
    case auditFailed = 6
    /// The command line was wrong, or a stage was run before the stages it needs (as sysexits' EX_USAGE).
    case usage = 64

    public var word: String {
        switch self {
        case .published: "published"
        case .internalError: "failed (error)"
        case .nothingToDo: "nothing to do"
        case .refused: "refused (locked)"
        case .inputRejected: "failed (input rejected)"
        case .auditFailed: "failed (audit)"
        case .usage: "usage error"
        }
    }

    public var meaning: String {
        switch self {
        case .published: "a new release was published"
        case .internalError: "the program or its environment failed (disk full, folder not writable, a bug); the published outputs are unchanged"
        case .nothingToDo: "(only with --detailed-exit-code; otherwise 0) inputs, definitions, settings and program are unchanged since the published release; nothing was done"
        case .refused: "another run holds the lock; this run did nothing"
        case .inputRejected: "an input file, definition or setting was rejected; the published outputs are unchanged"
        case .auditFailed: "the publication audit found a disclosure risk; the published outputs are unchanged"
        case .usage: "the command line was wrong, or a stage was run before the stages it needs; nothing was done"
        }
    }
}

/// A failure as an operator should read it: what went wrong, where, and what to do, with the exit
/// status it maps to. Raw framework errors are translated into one of these before they are shown.
public struct OperatorError: Error, CustomStringConvertible, Sendable {
    public var status: ExitStatus
    public var description: String

    public init(_ status: ExitStatus, _ description: String) {
        self.status = status
        self.description = description
    }

    public static func fileSystem(what: String, path: String, reason: String) -> OperatorError {
        OperatorError(.internalError, "could not \(what): \(path): \(reason). \(advice(for: reason))")
    }

    static func advice(for reason: String) -> String {
        let lower = reason.lowercased()
        if lower.contains("no space") || lower.contains("disk is full") || lower.contains("full") {
            return "Free space on that disk and run again; the published outputs are unchanged."
        }
        if lower.contains("permission") || lower.contains("read-only") || lower.contains("not permitted") {
            return "Give the user running the build access to it (or choose another --output), then run again."
        }
        if lower.contains("not a directory") || lower.contains("is a directory") || lower.contains("file exists") || lower.contains("already there") {
            return "Something of the wrong kind is in the way at that path: move it aside, or choose another path."
        }
        if lower.contains("no such file") || lower.contains("doesn’t exist") || lower.contains("does not exist") {
            return "Check the path (and --input, --output, --seeds, --indicators, --config)."
        }
        return "Fix the cause and run again; the published outputs are unchanged."
    }

    /// The reason in a framework error, in a few words and without SQL or user-info dumps.
    public static func reason(_ error: any Error) -> String {
        if let operatorError = error as? OperatorError { return operatorError.description }
        if let database = error as? DatabaseError {
            switch database.resultCode.primaryResultCode {
            case .SQLITE_FULL: return "the disk is full"
            case .SQLITE_CANTOPEN: return "cannot open the database file (its folder is missing or not writable)"
            case .SQLITE_READONLY: return "the database is read-only (another process replaced it, or the folder is not writable)"
            case .SQLITE_IOERR: return "input/output error writing the database (often a full disk): \(database.message ?? "")"
            case .SQLITE_PERM, .SQLITE_AUTH: return "permission denied"
            case .SQLITE_CORRUPT, .SQLITE_NOTADB: return "the file is not a healthy SQLite database"
            default: return database.message ?? "SQLite error \(database.resultCode.rawValue)"
            }
        }
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain {
            if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
                return String(cString: strerror(Int32(underlying.code)))
            }
            switch CocoaError.Code(rawValue: nsError.code) {
            case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
            case .fileReadNoSuchFile, .fileNoSuchFile: return "no such file or folder"
            case .fileWriteOutOfSpace: return "no space left on the disk"
            case .fileWriteVolumeReadOnly: return "the disk is read-only"
            case .fileWriteFileExists: return "something is already there"
            default:
                // No detail from the framework: name the kind of operation, never dump its user info.
                return nsError.code >= 512 && nsError.code < 1024 ? "the file or folder could not be written (a path of the wrong kind, or no access)"
                    : "the file or folder could not be read (a path of the wrong kind, or no access)"
            }
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return "\(error)"
    }

    /// The path a framework error is about, when it names one.
    static func path(of error: any Error) -> String? {
        let nsError = error as NSError
        if let path = nsError.userInfo[NSFilePathErrorKey] as? String { return path }
        if let url = nsError.userInfo[NSURLErrorKey] as? URL { return url.path }
        return nil
    }

    /// Classifies any error a run can meet. `stage` is where it happened; `store` the database
    /// the stage was using, named when SQLite reports a file problem without a path.
    public static func classify(_ error: any Error, stage: String?, store: URL?) -> OperatorError {
        if let operatorError = error as? OperatorError { return operatorError }
        if let database = error as? DatabaseError,
           [.SQLITE_FULL, .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_IOERR, .SQLITE_PERM].contains(database.resultCode.primaryResultCode) {
            let reason = reason(error)
            return OperatorError(.internalError, "\(stage.map { "[\($0)] " } ?? "")the database \(store?.path ?? "(unknown)"): \(reason). \(advice(for: reason))")
        }
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain || nsError.domain == NSPOSIXErrorDomain {
            let reason = reason(error)
            let path = path(of: error) ?? "(path not given)"
            // An input that cannot be read is the operator's to fix, like a bad input file.
            let reading = [CocoaError.Code.fileReadNoPermission, .fileReadNoSuchFile, .fileReadUnknown, .fileReadCorruptFile, .fileNoSuchFile]
                .contains(CocoaError.Code(rawValue: nsError.code)) && ["extract", "check", "transform", "load", "compute"].contains(stage ?? "")
            return OperatorError(reading ? .inputRejected : .internalError,
                                 "\(stage.map { "[\($0)] " } ?? "")cannot \(reading ? "read" : "use") \(path): \(reason). \(advice(for: reason))")
        }
        let status: ExitStatus
        switch stage {
        case "audit": status = .auditFailed
        case "extract", "transform", "load", "compute", "check", "quality": status = .inputRejected
        default: status = .internalError
        }
        return OperatorError(status, "\(error)")
    }
}

// MARK: - Logging

public enum LogLevel: String, Sendable, Comparable, CaseIterable {
    case debug, info, warning, error

    var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rank < b.rank }
}

extension RunLogger {
    /// A line at a level; loggers that do not care about levels print it as any other.
    public func log(_ line: String, level: LogLevel) {
        if let leveled = self as? LeveledRunLogger { leveled.write(line, level: level) } else if level >= .info { log(line) }
    }
}

/// A logger that keeps the level of each line.
public protocol LeveledRunLogger: RunLogger {
    func write(_ line: String, level: LogLevel)
}

/// The command line's logger: text for a person at a terminal, or one JSON object per line
/// (timestamp, level, stage, run, message) for cron, systemd's journal and log shippers.
public final class OperatorLogger: LeveledRunLogger, @unchecked Sendable {
    public enum Format: String, Sendable, CaseIterable { case text, json }

    public let format: Format
    public let minimum: LogLevel
    private var stage: String?
    public var runID: String?
    private let lock = NSLock()

    public init(format: Format, minimum: LogLevel) {
        self.format = format
        self.minimum = minimum
    }

    public func log(_ line: String) { write(line, level: .info) }

    public func write(_ line: String, level: LogLevel) {
        lock.lock()
        defer { lock.unlock() }
        // Stage lines start "[name] "; indented lines belong to the stage before them.
        var message = line
        if line.hasPrefix("["), let close = line.firstIndex(of: "]") {
            stage = String(line[line.index(after: line.startIndex)..<close])
            message = String(line[line.index(after: close)...]).trimmingCharacters(in: .whitespaces)
        } else if !line.hasPrefix(" ") {
            stage = nil
        }
        guard level >= minimum else { return }
        switch format {
        case .text:
            FileHandle.standardError.write(Data((level >= .warning && !line.hasPrefix("[") ? "\(level.rawValue): \(line)" : line).utf8 + [0x0A]))
        case .json:
            var event: [String: Any] = ["ts": PipelineContext.timestamp(Date()), "level": level.rawValue, "message": message.trimmingCharacters(in: .whitespaces)]
            if let stage { event["stage"] = stage }
            if let runID { event["run_id"] = runID }
            FileHandle.standardError.write(Self.json(event) + Data([0x0A]))
        }
    }

    static func json(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }
}

// MARK: - Stopping

/// A run stopped by SIGTERM (systemd's timeout or a shutdown, `timeout` in cron) or SIGINT (Ctrl-C)
/// says so like any other ending: `handler` records the run and returns the one-line summary, which
/// is printed before the process exits with 128 + the signal number. Until ``cancel()`` the signals
/// are taken from their default action; after it they have it back.
public final class Termination: @unchecked Sendable {
    private let sources: [DispatchSourceSignal]

    private init(sources: [DispatchSourceSignal]) { self.sources = sources }

    public static func watch(_ handler: @escaping (Int32) -> String) -> Termination {
        let box = Box(handler)
        let sources = [SIGTERM, SIGINT].map { signalNumber -> DispatchSourceSignal in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                let summary = box.handler(signalNumber)
                FileHandle.standardOutput.write(Data((summary + "\n").utf8))
                _exit(128 + signalNumber)
            }
            source.resume()
            return source
        }
        return Termination(sources: sources)
    }

    public func cancel() {
        for source in sources { source.cancel() }
        signal(SIGTERM, SIG_DFL)
        signal(SIGINT, SIG_DFL)
    }

    private final class Box: @unchecked Sendable {
        let handler: (Int32) -> String
        init(_ handler: @escaping (Int32) -> String) { self.handler = handler }
    }
}

/// The stage a run is in, readable from the thread that handles a signal.
public final class StageTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var current: String?
    public init() {}
    public var stage: String? {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
}
