import Foundation
import Testing
@testable import PromiseProgress

@Suite("CSV file reader: in pieces, every line accounted for")
struct CSVFileReaderTests {
    /// Quotes over lines, doubled quotes, CRLF, a BOM, a blank line, a stray quote and no final newline.
    static let tricky: [UInt8] = {
        let lines: [String] = [
            "id,note,n\r\n",
            "1,\"two\nlines\",3\r\n",
            "\r\n",
            "2,\"say \"\"hi\"\"\",4\n",
            "\"3,stray quote,5\n",
            "4,plain,6\n",
            "5,\"a, b\",7\n",
            "6,\"three\nwhole\nlines\",8\n",
            "7,last,9",
        ]
        return [0xEF, 0xBB, 0xBF] + Array(lines.joined().utf8)
    }()

    static func read(_ bytes: [UInt8], chunk: Int) throws -> (rows: [CSVRow], summary: CSVFileReader.Summary) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString).csv")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var reader = CSVFileReader(url: url)
        reader.chunkBytes = chunk
        var rows: [CSVRow] = []
        let summary = try reader.forEachRow { rows.append($0) }
        return (rows, summary)
    }

    @Test("any piece size gives the same rows as reading the whole file at once", arguments: [1, 2, 3, 7, 16, 64, 1 << 20])
    func pieces(chunk: Int) throws {
        let whole = CSVReader(bytes: Self.tricky).rows()
        let (rows, summary) = try Self.read(Self.tricky, chunk: chunk)
        #expect(rows == whole)
        #expect(rows.map(\.line) == [1, 2, 5, 6, 7, 8, 9, 12])
        #expect(rows[3] == .unterminatedQuote(line: 6, column: 1, raw: "\"3,stray quote,5"))
        // 12 physical lines: one blank, the other 11 in records (two of them span 2 and 3 lines).
        #expect(summary.lines == 12)
        #expect(summary.blankLines == 1)
        #expect(summary.linesInRecords == 11)
        #expect(summary.bytes == Self.tricky.count)
        #expect(summary.sha256 == SHA256.hash(data: Data(Self.tricky)).map { String(format: "%02x", $0) }.joined())
    }

    @Test("a quote that never closes costs its own line, even when the rest of the file is far larger than a piece")
    func neverClosed() throws {
        var text = "id,note\n1,\"opens and never closes\n"
        for index in 2...20_000 { text += "\(index),fine\n" }
        let (rows, summary) = try Self.read(Array(text.utf8), chunk: 4096)
        #expect(rows.count == 20_001)
        #expect(rows[1] == .unterminatedQuote(line: 2, column: 3, raw: "1,\"opens and never closes"))
        #expect(rows.last == .record(line: 20_001, fields: ["20000", "fine"]))
        #expect(summary.lines == summary.linesInRecords + summary.blankLines)
    }
}
