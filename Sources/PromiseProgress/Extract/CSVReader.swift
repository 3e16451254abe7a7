import Foundation

// MARK: - CSVRow

/// One physical record read from a CSV file: either its fields or the reason it could not be parsed.
public enum CSVRow: Sendable, Equatable {
    /// A well-formed record. `line` is the 1-based line on which the record starts.
    case record(line: Int, fields: [String])
    /// A malformed record, kept so that it can be reported and never silently dropped.
    case malformed(line: Int, column: Int, reason: String, raw: String)
    /// A quote opened on `line` that runs past the end of that line and does not make a well-formed
    /// record of the header's width: the line is reported (`raw` is that physical line alone) and
    /// reading resynchronises on the next physical line, so the lines it would have swallowed are read.
    case unterminatedQuote(line: Int, column: Int, raw: String)

    /// The 1-based line the row starts on.
    public var line: Int {
        switch self {
        case .record(let line, _), .malformed(let line, _, _, _), .unterminatedQuote(let line, _, _): line
        }
    }
}

// MARK: - CSVReader

/// An RFC 4180 CSV reader that works on bytes: quoted fields, doubled quotes, embedded
/// newlines, CRLF or LF line endings, an optional UTF-8 byte order mark, and line numbers.
///
/// ```swift
/// let reader = try CSVReader(contentsOf: url)
/// try reader.forEachRow { row in ... }
/// ```
///
/// A malformed record (a stray quote, text after a closing quote, invalid UTF-8) is reported as
/// ``CSVRow/malformed(line:column:reason:raw:)`` and reading resumes on the next line. A quoted
/// field that spans lines is legal, but when the record it makes is malformed or has a different
/// number of fields from the first record (the header), the quote was a stray one: it is reported as
/// ``CSVRow/unterminatedQuote(line:column:raw:)`` and reading resumes on the line after it, so one
/// stray quote costs one line, not the rest of the file. Blank lines carry no data and are skipped.
public struct CSVReader: Sendable {
    public let bytes: [UInt8]
    public let delimiter: UInt8

    public init(bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ",")) {
        self.bytes = bytes
        self.delimiter = delimiter
    }

    public init(contentsOf url: URL, delimiter: UInt8 = UInt8(ascii: ",")) throws {
        let data = try Data(contentsOf: url, options: .mappedIfSafe)
        self.init(bytes: [UInt8](data), delimiter: delimiter)
    }

    public init(string: String) {
        self.init(bytes: Array(string.utf8))
    }

    /// Every row in order. Convenient for small files; use ``forEachRow(_:)`` for large ones.
    public func rows() -> [CSVRow] {
        var result: [CSVRow] = []
        try? forEachRow { result.append($0) }
        return result
    }

    /// Calls `body` once per record, in file order. An error thrown by `body` stops reading and is rethrown.
    public func forEachRow(_ body: (CSVRow) throws -> Void) throws {
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        let count = bytes.count
        // The callback's error is caught inside the buffer's scope and rethrown after it: throwing
        // straight through withUnsafeBufferPointer crashed on Linux with Swift 6.3.
        var failureFromBody: (any Error)?
        bytes.withUnsafeBufferPointer { buf in
            var i = 0
            if count >= 3, buf[0] == 0xEF, buf[1] == 0xBB, buf[2] == 0xBF { i = 3 }
            var line = 1
            var expectedFields: Int?

            // Skips to just past the end of the current physical line, counting it.
            func skipLine(_ j: inout Int, _ line: inout Int) {
                while j < count, buf[j] != lf, buf[j] != cr { j += 1 }
                if j < count, buf[j] == cr { j += 1 }
                if j < count, buf[j] == lf { j += 1 }
                line += 1
            }

            while i < count {
                let recordStart = i
                let recordLine = line
                var lineStart = i
                // A blank line is no record.
                if buf[i] == lf || buf[i] == cr {
                    skipLine(&i, &line)
                    continue
                }
                var fields: [String] = []
                var field: [UInt8] = []
                var failure: (column: Int, reason: String)?
                var endOfRecord = false
                // Column of the first quote whose field ran onto another line, if any.
                var spanningQuote: Int?
                fieldLoop: while !endOfRecord {
                    field.removeAll(keepingCapacity: true)
                    if i < count, buf[i] == quote {
                        let openColumn = i - lineStart + 1
                        i += 1
                        var closed = false
                        while i < count {
                            let b = buf[i]
                            if b == quote {
                                if i + 1 < count, buf[i + 1] == quote {
                                    field.append(quote); i += 2
                                } else {
                                    i += 1; closed = true; break
                                }
                            } else {
                                if b == lf || (b == cr && !(i + 1 < count && buf[i + 1] == lf)) {
                                    if spanningQuote == nil { spanningQuote = openColumn }
                                    line += 1; lineStart = i + 1
                                } else if b == cr {
                                    // CR of a CRLF pair: the LF counts the line.
                                }
                                field.append(b); i += 1
                            }
                        }
                        if !closed {
                            failure = (openColumn, "a quoted field opened here is never closed (missing closing '\"')")
                            break fieldLoop
                        }
                        if i < count, buf[i] != delimiter, buf[i] != lf, buf[i] != cr {
                            failure = (i - lineStart + 1, "unexpected text after a closing quote; expected ',' or the end of the line")
                            break fieldLoop
                        }
                    } else {
                        while i < count {
                            let b = buf[i]
                            if b == delimiter || b == lf || b == cr { break }
                            if b == quote {
                                failure = (i - lineStart + 1, "a '\"' inside an unquoted field; quote the whole field and double the '\"'")
                                break fieldLoop
                            }
                            field.append(b); i += 1
                        }
                    }
                    guard let text = String(validating: field, as: UTF8.self) else {
                        failure = (i - lineStart + 1, "field \(fields.count + 1) is not valid UTF-8")
                        break fieldLoop
                    }
                    fields.append(text)
                    if i >= count {
                        endOfRecord = true
                    } else if buf[i] == delimiter {
                        i += 1
                    } else {
                        skipLine(&i, &line)
                        endOfRecord = true
                    }
                }
                if let column = spanningQuote, failure != nil || (expectedFields != nil && fields.count != expectedFields) {
                    // A stray quote: report its own line and read on from the next one.
                    var end = recordStart
                    while end < count, buf[end] != lf, buf[end] != cr { end += 1 }
                    let raw = String(decoding: buf[recordStart..<end], as: UTF8.self)
                    i = end
                    line = recordLine
                    if i < count { skipLine(&i, &line) } else { line += 1 }
                    do { try body(.unterminatedQuote(line: recordLine, column: column, raw: raw)) } catch {
                        failureFromBody = error
                        return
                    }
                } else if let failure {
                    // Resume on the line after the one where the problem was found.
                    if i < count, buf[i] == lf || buf[i] == cr {
                        skipLine(&i, &line)
                    } else if i < count {
                        skipLine(&i, &line)
                    }
                    let raw = String(decoding: buf[recordStart..<min(i, count)], as: UTF8.self)
                        .trimmingCharacters(in: .newlines)
                    do { try body(.malformed(line: recordLine, column: failure.column, reason: failure.reason, raw: raw)) } catch {
                        failureFromBody = error
                        return
                    }
                } else {
                    if expectedFields == nil { expectedFields = fields.count }
                    do { try body(.record(line: recordLine, fields: fields)) } catch {
                        failureFromBody = error
                        return
                    }
                }
            }
        }
        if let failureFromBody { throw failureFromBody }
    }
}
