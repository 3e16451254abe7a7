import Foundation
import Testing
@testable import PromiseProgress

@Suite("CSV reader")
struct CSVReaderTests {
    @Test("plain records with LF endings and line numbers")
    func plain() {
        let rows = CSVReader(string: "a,b,c\n1,2,3\n4,5,6\n").rows()
        #expect(rows == [
            .record(line: 1, fields: ["a", "b", "c"]),
            .record(line: 2, fields: ["1", "2", "3"]),
            .record(line: 3, fields: ["4", "5", "6"]),
        ])
    }

    @Test("CRLF endings, a byte order mark and no final newline")
    func crlfAndBOM() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("id,name\r\n1,x\r\n2,y".utf8)
        let rows = CSVReader(bytes: bytes).rows()
        #expect(rows == [
            .record(line: 1, fields: ["id", "name"]),
            .record(line: 2, fields: ["1", "x"]),
            .record(line: 3, fields: ["2", "y"]),
        ])
    }

    @Test("quotes, doubled quotes, embedded delimiters and newlines keep later line numbers right")
    func quoted() {
        let text = "id,note\n1,\"said \"\"hello\"\", then left\"\n2,\"two\nlines, here\"\n3,\"\"\n4,plain\n"
        let rows = CSVReader(string: text).rows()
        #expect(rows == [
            .record(line: 1, fields: ["id", "note"]),
            .record(line: 2, fields: ["1", "said \"hello\", then left"]),
            .record(line: 3, fields: ["2", "two\nlines, here"]),
            .record(line: 5, fields: ["3", ""]),
            .record(line: 6, fields: ["4", "plain"]),
        ])
    }

    @Test("empty fields, a trailing empty field and blank lines")
    func emptyFields() {
        let rows = CSVReader(string: "a,,c,\n\n\n,,,\n").rows()
        #expect(rows == [
            .record(line: 1, fields: ["a", "", "c", ""]),
            .record(line: 4, fields: ["", "", "", ""]),
        ])
    }

    @Test("a stray quote is reported with line and column, and reading goes on")
    func strayQuote() {
        let rows = CSVReader(string: "a,b\nx,y\"z\n1,2\n").rows()
        #expect(rows.count == 3)
        guard case .malformed(let line, let column, let reason, let raw) = rows[1] else {
            Issue.record("expected a malformed row, got \(rows[1])"); return
        }
        #expect(line == 2)
        #expect(column == 4)
        #expect(reason.contains("unquoted field"))
        #expect(raw == "x,y\"z")
        #expect(rows[2] == .record(line: 3, fields: ["1", "2"]))
    }

    @Test("text after a closing quote is malformed")
    func textAfterQuote() {
        let rows = CSVReader(string: "\"ab\"c,d\nok,1\n").rows()
        guard case .malformed(1, 5, _, _) = rows[0] else {
            Issue.record("expected malformed at 1:5, got \(rows[0])"); return
        }
        #expect(rows[1] == .record(line: 2, fields: ["ok", "1"]))
    }

    @Test("an unterminated quote names the line and column where it opened, and costs that line only")
    func unterminated() {
        let rows = CSVReader(string: "a,b\n1,\"never closed\n2,3\n").rows()
        #expect(rows == [.record(line: 1, fields: ["a", "b"]), .unterminatedQuote(line: 2, column: 3, raw: "1,\"never closed"), .record(line: 3, fields: ["2", "3"])])
    }

    @Test("a stray quote mid-file that closes lines later: the quoted line is reported, every line after it is read")
    func strayQuoteSwallowingLines() {
        // The quote on line 3 closes on line 5 ("x\"), which makes a malformed record; legal
        // multi-line fields (line 6-7) still work.
        let text = "id,name\n1,a\n\"2,b\n3,c\n4,x\"y\n5,\"two\nlines\"\n6,f\n"
        let rows = CSVReader(string: text).rows()
        #expect(rows == [
            .record(line: 1, fields: ["id", "name"]),
            .record(line: 2, fields: ["1", "a"]),
            .unterminatedQuote(line: 3, column: 1, raw: "\"2,b"),
            .record(line: 4, fields: ["3", "c"]),
            .malformed(line: 5, column: 4, reason: "a '\"' inside an unquoted field; quote the whole field and double the '\"'", raw: "4,x\"y"),
            .record(line: 6, fields: ["5", "two\nlines"]),
            .record(line: 8, fields: ["6", "f"]),
        ])
    }

    @Test("invalid UTF-8 is reported, not replaced")
    func invalidUTF8() {
        let bytes = Array("a,b\n".utf8) + [0x31, 0x2C, 0xFF, 0xFE, 0x0A] + Array("2,3\n".utf8)
        let rows = CSVReader(bytes: bytes).rows()
        guard case .malformed(2, _, let reason, _) = rows[1] else {
            Issue.record("expected malformed row 2, got \(rows[1])"); return
        }
        #expect(reason.contains("UTF-8"))
        #expect(rows[2] == .record(line: 3, fields: ["2", "3"]))
    }

    @Test("non-ASCII text survives")
    func unicode() {
        let rows = CSVReader(string: "name\nNa h-Eileanan Siar – Comhairle\n").rows()
        #expect(rows[1] == .record(line: 2, fields: ["Na h-Eileanan Siar – Comhairle"]))
    }
}
