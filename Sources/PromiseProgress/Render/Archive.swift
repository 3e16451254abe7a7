import CZlib
import Foundation

/// The downloads archive: a POSIX tar file (ustar) of named files, compressed with gzip by zlib.
/// Entries are written in the order given, with a fixed modification time, owner and mode, so the
/// same files give the same archive byte for byte (gzip's header time is zero too).
enum TarGzip {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// One 512-byte ustar header.
    static func header(name: String, size: Int, modified: Int) throws -> [UInt8] {
        let nameBytes = Array(name.utf8)
        guard nameBytes.count <= 100 else { throw Failure(description: "archive entry name longer than 100 bytes: \(name)") }
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, length: Int) {
            for (index, byte) in text.utf8.prefix(length).enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int, at offset: Int, length: Int) {
            put(String(String(value, radix: 8).suffix(length - 1)).leftPadded(to: length - 1), at: offset, length: length - 1)
        }
        for (index, byte) in nameBytes.enumerated() { block[index] = byte }
        octal(0o644, at: 100, length: 8)
        octal(0, at: 108, length: 8)
        octal(0, at: 116, length: 8)
        octal(size, at: 124, length: 12)
        octal(modified, at: 136, length: 12)
        for index in 148..<156 { block[index] = 32 }   // checksum counted as spaces
        block[156] = UInt8(ascii: "0")
        put("ustar", at: 257, length: 6)
        put("00", at: 263, length: 2)
        let checksum = block.reduce(0) { $0 + Int($1) }
        put(String(String(checksum, radix: 8)).leftPadded(to: 6), at: 148, length: 6)
        block[154] = 0
        block[155] = 32
        return block
    }

    static func tar(_ entries: [(name: String, data: Data)], modified: Int) throws -> Data {
        var out = Data()
        for entry in entries {
            out.append(contentsOf: try header(name: entry.name, size: entry.data.count, modified: modified))
            out.append(entry.data)
            let padding = (512 - entry.data.count % 512) % 512
            out.append(Data(count: padding))
        }
        out.append(Data(count: 1024))
        return out
    }

    /// gzip of `data` (zlib's deflate with a gzip wrapper, level 9).
    static func gzip(_ data: Data) throws -> Data {
        var stream = z_stream()
        guard deflateInit2_(&stream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(description: "zlib could not start compressing")
        }
        defer { deflateEnd(&stream) }
        let (output, status) = pump(data, through: &stream) { deflate(&$0, Z_FINISH) }
        guard status == Z_STREAM_END else { throw Failure(description: "zlib could not compress the archive (status \(status))") }
        return output
    }

    /// The data inside a gzip file (for the audit, which reads the archive as a user would).
    static func gunzip(_ data: Data) throws -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw Failure(description: "zlib could not start reading") }
        defer { inflateEnd(&stream) }
        let (output, status) = pump(data, through: &stream) { inflate(&$0, Z_NO_FLUSH) }
        guard status == Z_STREAM_END else { throw Failure(description: "not a complete gzip stream (zlib status \(status))") }
        return output
    }

    /// Feeds all of `data` through an initialised zlib stream, one `step` (deflate or inflate) at a time
    /// into a 64 KiB buffer, until the step stops returning Z_OK; the output and zlib's last status.
    private static func pump(_ data: Data, through stream: inout z_stream, step: (inout z_stream) -> Int32) -> (Data, Int32) {
        var output = Data()
        var input = [UInt8](data)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let status: Int32 = input.withUnsafeMutableBufferPointer { inputPointer in
            stream.next_in = inputPointer.baseAddress
            stream.avail_in = uInt(inputPointer.count)
            var result = Z_OK
            repeat {
                result = buffer.withUnsafeMutableBufferPointer { bufferPointer in
                    stream.next_out = bufferPointer.baseAddress
                    stream.avail_out = uInt(bufferPointer.count)
                    let r = step(&stream)
                    output.append(bufferPointer.baseAddress!, count: bufferPointer.count - Int(stream.avail_out))
                    return r
                }
            } while result == Z_OK
            return result
        }
        return (output, status)
    }

    /// The regular files of a tar archive, in order.
    static func entries(_ tar: Data) throws -> [(name: String, data: Data)] {
        let bytes = [UInt8](tar)
        var result: [(String, Data)] = []
        var offset = 0
        while offset + 512 <= bytes.count {
            let header = bytes[offset..<offset + 512]
            if header.allSatisfy({ $0 == 0 }) { break }
            let name = String(decoding: header.prefix(100).prefix { $0 != 0 }, as: UTF8.self)
            let sizeText = String(decoding: bytes[offset + 124..<offset + 136].prefix { $0 != 0 && $0 != 32 }, as: UTF8.self)
            guard let size = Int(sizeText, radix: 8), offset + 512 + size <= bytes.count else { throw Failure(description: "damaged tar header at byte \(offset)") }
            if bytes[offset + 156] == UInt8(ascii: "0") || bytes[offset + 156] == 0 {
                result.append((name, Data(bytes[offset + 512..<offset + 512 + size])))
            }
            offset += 512 + (size + 511) / 512 * 512
        }
        return result
    }
}

private extension String {
    func leftPadded(to length: Int) -> String { count >= length ? self : String(repeating: "0", count: length - count) + self }
}
