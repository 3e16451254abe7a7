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

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads a whole small file (seeds, configuration); input files go through ``CSVFileReader``.
    public init(contentsOf url: URL) throws {
        self.init(bytes: [UInt8](try Data(contentsOf: url, options: .mappedIfSafe)))
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
        var state = ParseState()
        _ = try Self.parse(bytes, from: 0, isFinal: true, state: &state, body)
    }

    /// What the parser carries from one buffer to the next.
    struct ParseState {
        /// 1-based line of the next byte.
        var line = 1
        /// Fields in the first record (the header); a spanning quote that breaks it is a stray one.
        var expectedFields: Int?
        /// Blank lines skipped.
        var blankLines = 0
        /// Physical lines taken up by records (the header's included), however they were read.
        var linesInRecords = 0
        /// True once the start of the file (and its byte order mark) has been seen.
        var started = false
        /// False for files none of whose columns may hold a line break: then a quoted field that
        /// reaches the end of its line is a stray quote, and only that line is rejected, so two stray
        /// quotes lines apart can never join the lines between them into one rejected record.
        var allowsLineBreaksInQuotes = true
    }

    /// A quoted field may run over lines, but a record longer than this is taken to be a stray quote.
    static let maximumRecordBytes = 16 << 20

    /// Parses complete records of `bytes[from...]` and returns where the first incomplete one starts
    /// (`bytes.count` when everything was read). Unless `isFinal`, a record is complete only when its
    /// line break is in the buffer: callers pass buffers that end just after a line feed.
    static func parse(_ bytes: [UInt8], from start: Int, isFinal: Bool, state: inout ParseState, _ body: (CSVRow) throws -> Void) throws -> Int {
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), delimiter = UInt8(ascii: ",")
        let count = bytes.count
        // The callback's error is caught inside the buffer's scope and rethrown after it: throwing
        // straight through withUnsafeBufferPointer crashed on Linux with Swift 6.3.
        var failureFromBody: (any Error)?
        var consumed = start
        var line = state.line
        var expectedFields = state.expectedFields
        var blankLines = state.blankLines
        var linesInRecords = state.linesInRecords
        bytes.withUnsafeBufferPointer { buf in
            var i = start
            if !state.started {
                if count >= 3, buf[0] == 0xEF, buf[1] == 0xBB, buf[2] == 0xBF { i = 3 }
                consumed = i
            }

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
                    blankLines += 1
                    consumed = i
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
                                if b == lf || b == cr, !state.allowsLineBreaksInQuotes {
                                    // No column of this file may hold a line break: the quote is a stray one.
                                    spanningQuote = openColumn
                                    failure = (openColumn, "a quote opened here runs past the end of the line")
                                    break fieldLoop
                                }
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
                            if !isFinal, count - recordStart < maximumRecordBytes {
                                // The rest of the record is in the next buffer.
                                line = recordLine
                                return
                            }
                            failure = (openColumn, "a quoted field opened here is never closed (missing closing '\"')")
                            break fieldLoop
                        }
                        if i < count, buf[i] != delimiter, buf[i] != lf, buf[i] != cr {
                            failure = (i - lineStart + 1, "unexpected text after a closing quote; expected ',' or the end of the line")
                            break fieldLoop
                        }
                        // ASCII needs no validation; anything else must be valid UTF-8.
                        guard let text = field.allSatisfy({ $0 < 0x80 }) ? String(decoding: field, as: UTF8.self) : String(validating: field, as: UTF8.self) else {
                            failure = (i - lineStart + 1, "field \(fields.count + 1) is not valid UTF-8")
                            break fieldLoop
                        }
                        fields.append(text)
                    } else {
                        // An unquoted field is read straight from the buffer, with no copy byte by byte.
                        let fieldStart = i
                        var ascii = true
                        while i < count {
                            let b = buf[i]
                            if b == delimiter || b == lf || b == cr { break }
                            if b == quote {
                                failure = (i - lineStart + 1, "a '\"' inside an unquoted field; quote the whole field and double the '\"'")
                                break fieldLoop
                            }
                            if b >= 0x80 { ascii = false }
                            i += 1
                        }
                        let slice = UnsafeBufferPointer(rebasing: buf[fieldStart..<i])
                        guard let text = ascii ? String(decoding: slice, as: UTF8.self) : String(validating: slice, as: UTF8.self) else {
                            failure = (i - lineStart + 1, "field \(fields.count + 1) is not valid UTF-8")
                            break fieldLoop
                        }
                        fields.append(text)
                    }
                    if i >= count {
                        endOfRecord = true
                    } else if buf[i] == delimiter {
                        i += 1
                    } else {
                        skipLine(&i, &line)
                        endOfRecord = true
                    }
                }
                let row: CSVRow
                if let column = spanningQuote, failure != nil || (expectedFields != nil && fields.count != expectedFields) {
                    // A stray quote: report its own line and read on from the next one.
                    var end = recordStart
                    while end < count, buf[end] != lf, buf[end] != cr { end += 1 }
                    let raw = String(decoding: buf[recordStart..<end], as: UTF8.self)
                    i = end
                    line = recordLine
                    if i < count { skipLine(&i, &line) }
                    row = .unterminatedQuote(line: recordLine, column: column, raw: raw)
                } else if let failure {
                    // Resume on the line after the one where the problem was found.
                    if i < count { skipLine(&i, &line) }
                    let raw = String(decoding: buf[recordStart..<min(i, count)], as: UTF8.self)
                        .trimmingCharacters(in: .newlines)
                    row = .malformed(line: recordLine, column: failure.column, reason: failure.reason, raw: raw)
                } else {
                    if expectedFields == nil { expectedFields = fields.count }
                    row = .record(line: recordLine, fields: fields)
                }
                consumed = i
                // Every physical line belongs to one record or is blank: count what this record took.
                let endsWithoutLineBreak = i >= count && buf[count - 1] != lf && buf[count - 1] != cr
                linesInRecords += line - recordLine + (endsWithoutLineBreak ? 1 : 0)
                do { try body(row) } catch {
                    failureFromBody = error
                    return
                }
            }
        }
        state.started = true
        state.line = line
        state.expectedFields = expectedFields
        state.blankLines = blankLines
        state.linesInRecords = linesInRecords
        if let failureFromBody { throw failureFromBody }
        return consumed
    }
}

// MARK: - CSVFileReader

/// Reads a CSV file in pieces, so memory stays bounded however large the file: each piece is parsed
/// up to its last line feed and the rest carried into the next. Also hashes the bytes and counts
/// physical lines, so a run can say exactly how much of the file it accounted for.
public struct CSVFileReader {
    public let url: URL
    public var chunkBytes = 4 << 20
    /// Whether a quoted field may run over lines (see ``CSVReader/ParseState/allowsLineBreaksInQuotes``).
    public var allowsLineBreaksInQuotes = true

    public init(url: URL) { self.url = url }

    public struct Summary: Sendable {
        public var bytes = 0
        /// Physical lines in the file, the header's included; a last line without a line break counts.
        public var lines = 0
        /// Blank lines, which carry no data and are skipped.
        public var blankLines = 0
        /// Lines taken up by records, the header's included. `lines == blankLines + linesInRecords`
        /// when every line was accounted for.
        public var linesInRecords = 0
        public var sha256 = ""
        /// False when the last byte is not a line break: a file cut off part-way through a line.
        public var endsWithLineBreak = true
    }

    /// The file could not be opened or read; `underlying` says why.
    public struct ReadError: Error {
        public let underlying: any Error
    }

    /// Calls `body` once per record, in file order. Throws ``ReadError`` when the file cannot be
    /// opened or read, and rethrows what `body` throws.
    public func forEachRow(_ body: (CSVRow) throws -> Void) throws -> Summary {
        let handle: FileHandle
        do { handle = try InputPath.openRegularFile(url, display: url.path) } catch let wrong as OperatorError { throw wrong } catch { throw ReadError(underlying: error) }
        defer { try? handle.close() }
        var hasher = SHA256()
        var summary = Summary()
        var state = CSVReader.ParseState()
        state.allowsLineBreaksInQuotes = allowsLineBreaksInQuotes
        var buffer: [UInt8] = []
        var lastByte: UInt8?
        let lineFeed = UInt8(ascii: "\n")
        // A line longer than the reader's limit, being passed over up to its line break: it is
        // one rejected row, and memory stays bounded however long it is.
        var skipping: (line: Int, bytes: Int, head: [UInt8])?
        func rejectLongLine(endsFile: Bool) throws {
            guard let long = skipping else { return }
            skipping = nil
            let head = String(decoding: long.head, as: UTF8.self)
            try body(.malformed(line: long.line, column: 1,
                                reason: "the line is \(long.bytes) bytes long, over the reader's limit of \(CSVReader.maximumRecordBytes >> 20) MiB for one row; it was rejected as one row and reading went on with the next line",
                                raw: Bounded.quote(head)))
            state.linesInRecords += 1
            if !endsFile { state.line += 1 }
        }
        while true {
            let piece: Data
            do { piece = try handle.read(upToCount: chunkBytes) ?? Data() } catch { throw ReadError(underlying: error) }
            let isFinal = piece.isEmpty
            if !isFinal {
                hasher.update(data: piece)
                summary.bytes += piece.count
                lastByte = piece.last
            }
            if skipping != nil {
                if isFinal {
                    try rejectLongLine(endsFile: true)
                    break
                }
                guard let feed = piece.firstIndex(of: lineFeed) else {
                    skipping!.bytes += piece.count
                    continue
                }
                skipping!.bytes += feed - piece.startIndex
                try rejectLongLine(endsFile: false)
                buffer = [UInt8](piece[(feed + 1)...])
            } else if !isFinal {
                buffer.append(contentsOf: piece)
            }
            // Parse up to the last line feed; keep the rest for the next piece.
            var end = buffer.count
            let parseAsFinal = isFinal
            if !isFinal {
                if let lastFeed = buffer.lastIndex(of: lineFeed) {
                    end = lastFeed + 1
                } else if buffer.count < CSVReader.maximumRecordBytes {
                    continue
                } else {
                    // One line longer than the limit, with no line feed yet: pass over it up to its
                    // line break, and reject it as one counted row.
                    skipping = (state.line, buffer.count, Array(buffer.prefix(Bounded.quoteLimit)))
                    state.started = true
                    buffer = []
                    continue
                }
            }
            let tail = Array(buffer[end...])
            buffer.removeSubrange(end...)
            let consumed = try CSVReader.parse(buffer, from: 0, isFinal: parseAsFinal, state: &state, body)
            buffer = Array(buffer[consumed...]) + tail
            if isFinal { break }
        }
        summary.blankLines = state.blankLines
        summary.linesInRecords = state.linesInRecords
        summary.endsWithLineBreak = lastByte.map { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") } ?? true
        // The parser's line counter stands on the line after the last line break; a last line with
        // no line break of its own is a line too.
        summary.lines = state.line - 1 + (summary.endsWithLineBreak ? 0 : 1)
        summary.sha256 = InputFingerprint.hex(hasher.finalize())
        return summary
    }
}
