import Foundation
import Synchronization

/// The content of everything a build's outputs depend on: every file under the input, seeds,
/// indicators and config folders, the settings that change outputs, and the program itself.
/// Two builds with equal fingerprints publish the same thing, so the second has nothing to do.
public struct InputFingerprint: Sendable, Equatable {
    /// SHA-256 of each file, keyed "input/<relative path>", "seeds/...", "indicators/...", "config/...",
    /// plus "program" and "settings".
    public var files: [String: String]
    /// SHA-256 over `files`, in key order.
    public var digest: String

    public static func compute(layout: PipelineLayout, settings: [String: String]) throws -> InputFingerprint {
        var files: [String: String] = [:]
        for (role, folder) in [("input", layout.inputDirectory), ("seeds", layout.seedsDirectory),
                               ("indicators", layout.indicatorsDirectory), ("config", layout.configDirectory)] {
            for (path, digest) in try digests(under: folder) { files["\(role)/\(path)"] = digest }
        }
        files["settings"] = hex(SHA256.hash(data: Data(settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n").utf8)))
        files["program"] = programIdentity()
        var hasher = SHA256()
        for (key, value) in files.sorted(by: { $0.key < $1.key }) { hasher.update(data: Data("\(key)\t\(value)\n".utf8)) }
        return InputFingerprint(files: files, digest: hex(hasher.finalize()))
    }

    /// Every regular file below `folder` (following no links out of it), by relative path. A folder
    /// that is missing is empty (the config folder is optional); one that cannot be read is an error.
    static func digests(under given: URL) throws -> [(String, String)] {
        let fileManager = FileManager.default
        // A folder given as a link is read through it, as extract reads it (listing the link itself finds nothing).
        let folder = given.resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: folder.path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else {
            throw OperatorError(.inputRejected, "\(folder.path) is a file, where a folder of inputs was expected. Point the option at the folder.")
        }
        var result: [(String, String)] = []
        try walk(folder, prefix: "", visited: [folder.standardizedFileURL.path], into: &result)
        return result.sorted { $0.0 < $1.0 }
    }

    /// Every regular file below `folder`, through links to files and to folders (extract reads
    /// through them, so a linked folder's files are inputs like any other); a link back to a
    /// folder already on the way down is not followed again.
    static func walk(_ folder: URL, prefix: String, visited: Set<String>, into result: inout [(String, String)]) throws {
        let fileManager = FileManager.default
        let names = try FileOperation.run("list the files in", at: folder) { try fileManager.contentsOfDirectory(atPath: folder.path) }
        for name in names.sorted() {
            let url = folder.appendingPathComponent(name)
            let kind = InputPath.kind(of: url)
            switch kind {
            case .absent: continue   // removed while listing
            case .wrongKind(let what):
                // A link loop, a dangling link, a pipe, a socket or a device is never "no file": reading
                // a pipe would hold the run for ever, and a broken link may hide a missing input.
                let cwd = FileManager.default.currentDirectoryPath + "/"
                throw InputPath.wrongKind(url.path.hasPrefix(cwd) ? String(url.path.dropFirst(cwd.count)) : url.path, what)
            case .file, .folder: break
            }
            if kind == .folder {
                let real = url.resolvingSymlinksInPath().standardizedFileURL.path
                guard !visited.contains(real) else { continue }
                try walk(url, prefix: prefix + name + "/", visited: visited.union([real]), into: &result)
            } else {
                result.append((prefix + name, try sha256(of: url)))
            }
        }
    }

    /// The program's version and the SHA-256 of its executable: any other program rebuilds the
    /// outputs, however it was copied into place (a copy keeping the old file's time and size included).
    /// Hashing its 40 MB costs about 0.05 s, well inside the half second a run with nothing to do may take.
    static func programIdentity() -> String {
        var identity = PromiseProgressVersion.current
        if let path = Bundle.main.executablePath {
            identity += " " + ((try? sha256(of: URL(fileURLWithPath: path))) ?? "unreadable")
        }
        return identity
    }

    /// One SHA-256 for a whole folder: over each file's relative path and SHA-256, in path order.
    public static func folderDigest(_ folder: URL) throws -> String {
        var hasher = SHA256()
        for (path, digest) in try digests(under: folder) { hasher.update(data: Data("\(path)\t\(digest)\n".utf8)) }
        return hex(hasher.finalize())
    }

    /// SHA-256 of a file that may be asked for more than once in a run (the published store: the
    /// reuse decision and the completeness guard both check it), hashed once while its inode, size
    /// and modification time stay the same.
    public static func rememberedSHA256(of url: URL) throws -> String {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return try sha256(of: url) }
        let key = "\(info.st_dev):\(info.st_ino):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        if let known = remembered.withLock({ $0[key] }) { return known }
        let digest = try sha256(of: url)
        remembered.withLock { $0[key] = digest }
        return digest
    }

    private static let remembered = Mutex<[String: String]>([:])

    /// SHA-256 of one file, read in pieces.
    public static func sha256(of url: URL) throws -> String {
        try FileOperation.run("read", at: url) {
            let handle = try InputPath.openRegularFile(url, display: url.path)
            defer { try? handle.close() }
            var hasher = SHA256()
            while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
            return hex(hasher.finalize())
        }
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
