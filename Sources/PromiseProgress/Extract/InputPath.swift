import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What is at an input path, found before anything opens it: reading a named pipe would wait for a
/// writer for ever, a device never ends, and a link loop or a dangling link must not pass for "no
/// file here". Links to files and folders are followed, as the operator meant them.
public enum InputPath {
    public enum Kind: Equatable, Sendable {
        case absent
        case file
        case folder
        /// Something that is no input: a link loop, a dangling link, a FIFO, a socket or a device.
        case wrongKind(String)
    }

    /// The kind at `url`, following links. `lstat` first, so a link that leads nowhere is told
    /// apart from no entry at all.
    public static func kind(of url: URL) -> Kind {
        var link = stat()
        guard lstat(url.path, &link) == 0 else {
            return errno == ENOENT || errno == ENOTDIR ? .absent : .wrongKind("it cannot be examined (\(String(cString: strerror(errno))))")
        }
        var target = stat()
        guard stat(url.path, &target) == 0 else {
            let reason = errno
            if reason == ELOOP { return .wrongKind("a symbolic link that leads round in a loop") }
            if reason == ENOENT || reason == ENOTDIR {
                let destination = (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)).map { " (to \(Bounded.quote($0)))" } ?? ""
                return .wrongKind("a symbolic link whose target does not exist\(destination)")
            }
            return .wrongKind("a symbolic link that cannot be followed (\(String(cString: strerror(reason))))")
        }
        return kind(mode: target.st_mode)
    }

    static func kind(mode: mode_t) -> Kind {
        switch mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        case S_IFIFO: return .wrongKind("a named pipe (FIFO), not a file")
        case S_IFSOCK: return .wrongKind("a socket, not a file")
        case S_IFCHR: return .wrongKind("a character device, not a file")
        case S_IFBLK: return .wrongKind("a block device, not a file")
        default: return .wrongKind("not a regular file")
        }
    }

    /// The failure for an input of the wrong kind: exit 1 (the environment is wrong, not a row),
    /// naming the path and what was found there.
    public static func wrongKind(_ path: String, _ what: String) -> OperatorError {
        OperatorError(.internalError, "\(path): the input is \(what). Inputs must be regular files or folders (links to them are followed); replace it with the file meant, or remove it. The published outputs are unchanged.")
    }

    /// Opens a regular file for reading without ever blocking: `O_NONBLOCK` keeps a pipe swapped in
    /// after the check from holding the run, and `fstat` on the open descriptor settles its kind.
    public static func openRegularFile(_ url: URL, display: String) throws -> FileHandle {
        let descriptor = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = errno
            if reason == ELOOP || reason == ENXIO, case .wrongKind(let what) = kind(of: url) { throw wrongKind(display, what) }
            throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: url.path, NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(reason))])
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = errno
            close(descriptor)
            throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: url.path, NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(reason))])
        }
        if case .wrongKind(let what) = kind(mode: info.st_mode) {
            close(descriptor)
            throw wrongKind(display, what)
        }
        if case .folder = kind(mode: info.st_mode) {
            close(descriptor)
            throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: url.path, NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EISDIR))])
        }
        // A regular file never blocks; clear the flag so reads behave as usual.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// The whole of a regular file, opened as ``openRegularFile(_:display:)`` does.
    public static func readRegularFile(_ url: URL, display: String) throws -> Data {
        let handle = try openRegularFile(url, display: display)
        defer { try? handle.close() }
        return try handle.readToEnd() ?? Data()
    }
}

/// Values quoted in errors, log lines and reports are bounded, so one enormous field or line (a
/// device read as a file, a corrupt export) can never flood the run log, the journal or a mail.
public enum Bounded {
    /// The longest value quoted in a message, in bytes of UTF-8.
    public static let quoteLimit = 200

    /// `text` as it may be quoted: at most ``quoteLimit`` bytes of UTF-8, the rest counted.
    public static func quote(_ text: String, limit: Int = quoteLimit) -> String {
        if text.utf8.count <= limit { return text }
        return "\(prefix(text, bytes: limit))… (\(Formatting.count(text.utf8.count)) bytes in all)"
    }

    /// The longest run of whole Unicode scalars from the start of `text` within `limit` bytes of
    /// UTF-8. Cut by bytes, not characters: one character (a letter and thousands of combining
    /// accents) can be any size.
    static func prefix(_ text: String, bytes limit: Int) -> String {
        var kept = String.UnicodeScalarView()
        var used = 0
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            guard used + width <= limit else { break }
            kept.append(scalar)
            used += width
        }
        return String(kept)
    }

    /// The shape of a value that must not be repeated (an identifier, a contact detail, a name in a
    /// child's words): each letter as `x` or `X`, each digit as `9`, other characters kept, so a
    /// message can say what was matched and where without saying what it was. At most 40 characters.
    public static func shape(_ text: String) -> String {
        var shape = ""
        for character in text.prefix(40) {
            if character.isNumber { shape.append("9") }
            else if character.isLetter { shape.append(character.isUppercase ? "X" : "x") }
            else if let first = character.unicodeScalars.first { shape.unicodeScalars.append(first) }
        }
        return text.count > 40 ? shape + "…" : shape
    }

    /// A whole message for a log line, the run log or a report: at most `limit` bytes of UTF-8.
    public static func message(_ text: String, limit: Int = 2_000) -> String {
        if text.utf8.count <= limit { return text }
        return "\(prefix(text, bytes: limit))… (message cut at \(Formatting.count(limit)) bytes of \(Formatting.count(text.utf8.count)))"
    }
}
