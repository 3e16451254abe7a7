import Crypto
import Foundation

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
        let paths = try FileOperation.run("list the files in", at: folder) { try fileManager.subpathsOfDirectory(atPath: folder.path) }
        var result: [(String, String)] = []
        for path in paths.sorted() {
            let url = folder.appendingPathComponent(path)
            guard let type = try? fileManager.attributesOfItem(atPath: url.path)[.type] as? FileAttributeType,
                  type == .typeRegular || type == .typeSymbolicLink else { continue }
            if type == .typeSymbolicLink {
                var target: ObjCBool = false
                guard fileManager.fileExists(atPath: url.path, isDirectory: &target), !target.boolValue else { continue }
            }
            let data = try FileOperation.run("read the input", at: url) { try Data(contentsOf: url, options: .mappedIfSafe) }
            result.append((path, hex(SHA256.hash(data: data))))
        }
        return result
    }

    /// The program's version and its executable's size and modification time: a rebuilt program
    /// rebuilds the outputs, without hashing tens of megabytes on every run.
    static func programIdentity() -> String {
        var identity = PromiseProgressVersion.current
        if let path = Bundle.main.executablePath, let attributes = try? FileManager.default.attributesOfItem(atPath: path) {
            identity += " \(attributes[.size] as? Int ?? 0) \((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        }
        return identity
    }

    /// SHA-256 of one file, read in pieces.
    public static func sha256(of url: URL) throws -> String {
        try FileOperation.run("read", at: url) {
            let handle = try FileHandle(forReadingFrom: url)
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
