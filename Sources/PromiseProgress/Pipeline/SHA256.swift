import CCrypto
import Foundation

/// SHA-256 through libcrypto (OpenSSL's EVP interface, Debian package libssl-dev): input
/// fingerprints, the store digest a release records, and the digest a reviewer approves a redacted
/// quote by. Incremental (`update`, then `finalize`) or in one call (`hash(data:)`).
struct SHA256 {
    /// Owns the EVP context, so a copy of the hasher never frees it twice.
    private final class Context {
        let pointer: OpaquePointer

        init() {
            guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
                fatalError("libcrypto could not start a SHA-256 digest (out of memory?)")
            }
            pointer = context
        }

        deinit { EVP_MD_CTX_free(pointer) }
    }

    private let context = Context()
    private var finished = false

    mutating func update(data: Data) {
        precondition(!finished, "SHA256.update after finalize")
        data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return }
            guard EVP_DigestUpdate(context.pointer, base, raw.count) == 1 else { fatalError("libcrypto refused a SHA-256 update") }
        }
    }

    /// The 32-byte digest. The hasher cannot be updated afterwards.
    mutating func finalize() -> [UInt8] {
        precondition(!finished, "SHA256.finalize called twice")
        finished = true
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context.pointer, &digest, &length) == 1, length == 32 else { fatalError("libcrypto could not finish a SHA-256 digest") }
        return Array(digest.prefix(Int(length)))
    }

    static func hash(data: Data) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: data)
        return hasher.finalize()
    }
}
