import Foundation
import Testing
@testable import PromiseProgress

/// SHA-256 through libcrypto, checked against the published test vectors (FIPS 180-2 appendix B and
/// the NIST example values) and against coreutils' sha256sum, an implementation that is not ours.
struct SHA256Tests {
    static func hex(_ bytes: [UInt8]) -> String { InputFingerprint.hex(bytes) }

    @Test("the FIPS 180-2 test vectors, in one call and fed a byte at a time")
    func vectors() {
        let cases: [(String, String)] = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ]
        for (input, expected) in cases {
            #expect(Self.hex(SHA256.hash(data: Data(input.utf8))) == expected, "\(input)")
            var hasher = SHA256()
            for byte in input.utf8 { hasher.update(data: Data([byte])) }
            #expect(Self.hex(hasher.finalize()) == expected, "\(input), a byte at a time")
        }
        // One million 'a': a digest across many internal blocks, fed in uneven pieces.
        var hasher = SHA256()
        let piece = Data(repeating: UInt8(ascii: "a"), count: 999)
        var left = 1_000_000
        while left > 0 {
            let take = min(left, piece.count)
            hasher.update(data: piece.prefix(take))
            left -= take
        }
        hasher.update(data: Data())
        #expect(Self.hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("a file's digest is the one sha256sum gives")
    func matchesCoreutils() throws {
        var bytes = [UInt8]()
        var state: UInt32 = 12345
        for _ in 0..<70_001 { state = state &* 1_103_515_245 &+ 12345; bytes.append(UInt8(truncatingIfNeeded: state >> 16)) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sha256-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(bytes).write(to: url)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let expected = String(output.prefix(64))
        #expect(expected.count == 64)
        #expect(try InputFingerprint.sha256(of: url) == expected)
        #expect(Self.hex(SHA256.hash(data: Data(bytes))) == expected)
    }
}
