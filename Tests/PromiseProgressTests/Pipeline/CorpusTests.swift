import Foundation
import Testing
@testable import PromiseProgress

/// The malformed-input corpus (Tests/PromiseProgressTests/Corpus/cases.tsv): for every stream,
/// broken files as they arrive in practice. Each case changes one input file of a copy of the small
/// inputs (Fixture.smallInputs: every stream, a tenth of the embedded data's size), and `check` must
/// report it with file, line and what was wrong, and nothing else. `{next}` in what check must say
/// is the line an appended case starts on: one past the file's last line.
@Suite("Malformed-input corpus", .removesTemporaryFiles)
struct CorpusTests {
    struct Case: CustomStringConvertible, Sendable {
        var file: String
        var target: String
        var how: String
        var expected: [String]
        var description: String { file }
    }

    static let folder = Fixture.repositoryRoot.appendingPathComponent("Tests/PromiseProgressTests/Corpus")

    static let cases: [Case] = {
        let text = (try? String(contentsOf: folder.appendingPathComponent("cases.tsv"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Case(file: fields[0], target: fields[1], how: fields[2], expected: fields[3].components(separatedBy: " && "))
        }
    }()

    @Test("the corpus covers every stream")
    func coversEveryStream() {
        let streams = Set(Self.cases.map { $0.file.split(separator: "/")[0] })
        #expect(streams == ["quantitative", "published", "experiential", "qualitative"])
        #expect(Self.cases.count >= 14)
    }

    @Test("check names the file, line and fault of each malformed input, and reports nothing else", arguments: cases)
    func malformed(_ corpusCase: Case) throws {
        let input = try Fixture.copyOfSmallInputs()
        let source = try Data(contentsOf: Self.folder.appendingPathComponent(corpusCase.file))
        let target = input.appendingPathComponent(corpusCase.target)
        let next = ((try? Data(contentsOf: target))?.filter { $0 == UInt8(ascii: "\n") }.count ?? 0) + 1
        let expected = corpusCase.expected.map { $0.replacingOccurrences(of: "{next}", with: String(next)) }
        switch corpusCase.how {
        case "append":
            let handle = try FileHandle(forWritingTo: target)
            try handle.seekToEnd()
            try handle.write(contentsOf: source)
            try handle.close()
        case "replace", "add":
            try source.write(to: target)
        default:
            Issue.record("unknown way to apply a case: \(corpusCase.how)")
        }
        let report = try Check(layout: Fixture.layout(output: Fixture.temporaryDirectory("corpus-out"), input: input)).run(logger: MemoryLogger())
        let said = (report.problems + report.rejectedRows).map(\.description)
        #expect(!report.passed)
        #expect(said.count == 1, "exactly the one fault is reported: \(said)")
        #expect(said.contains { line in expected.allSatisfy(line.contains) }, "expected \(expected) in \(said)")
    }

    @Test("check passes on the small inputs the corpus changes, so each case's fault is its own")
    func baseIsClean() throws {
        let report = try Check(layout: Fixture.layout(output: Fixture.temporaryDirectory("corpus-base"), input: try Fixture.smallInputs.get())).run(logger: MemoryLogger())
        #expect(report.passed, "\((report.problems + report.rejectedRows).prefix(5))")
        #expect(report.rowsRead > 20_000)
    }
}
