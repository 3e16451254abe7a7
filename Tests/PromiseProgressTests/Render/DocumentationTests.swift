import Foundation
import Testing
@testable import PromiseProgress

@Suite("Documentation stays in step with the code", .removesTemporaryFiles)
struct DocumentationTests {
    @Test("docs/data-dictionary.md is what 'promise-progress dictionary' prints")
    func dataDictionary() throws {
        let committed = try String(contentsOf: Fixture.repositoryRoot.appendingPathComponent("docs/data-dictionary.md"), encoding: .utf8)
        #expect(committed == DataDictionaryDocument.markdown(), "regenerate with: swift run promise-progress dictionary > docs/data-dictionary.md")
    }

    @Test("docs/input-contract.md is what 'promise-progress contract' prints, and names every column and code")
    func inputContract() throws {
        let text = try String(contentsOf: Fixture.repositoryRoot.appendingPathComponent("docs/input-contract.md"), encoding: .utf8)
        #expect(text == (try InputContractDocument.markdown(seedsDirectory: Fixture.repositoryRoot.appendingPathComponent("seeds"))),
                "regenerate with: swift run promise-progress contract > docs/input-contract.md")
        for file in StreamRegistry.files {
            #expect(text.contains("`\(file.fileName)`"))
            for column in file.columns { #expect(text.contains("`\(column.name)`"), "\(file.fileName): \(column.name) is not documented") }
        }
        let codes = CSVReader(string: try String(contentsOf: Fixture.repositoryRoot.appendingPathComponent("seeds/codelist.csv"), encoding: .utf8)).rows()
        for case .record(_, let fields) in codes.dropFirst() {
            #expect(text.contains("`\(fields[1])`"), "code \(fields[0]).\(fields[1]) is not documented")
        }
    }

    @Test("every clean table starts with its file's input columns, then its provenance")
    func cleanTablesMatchTheirFiles() {
        for file in StreamRegistry.files {
            #expect(file.table.columns.map(\.name) == file.columnNames + ["source_file", "source_line"], "\(file.table.name)")
            for name in file.key + file.references.map(\.column) { #expect(file.columnNames.contains(name), "\(file.table.name).\(name)") }
        }
    }
}
