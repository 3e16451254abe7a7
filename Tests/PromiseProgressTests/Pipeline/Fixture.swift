import Foundation
@testable import PromiseProgress

/// Shared helpers: the repository's own folders, temporary output folders, and one build of the
/// embedded data that several suites read (it takes a while, so it runs once per test process).
enum Fixture {
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    static func temporaryDirectory(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("promise-tests-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func layout(output: URL, input: URL? = nil, indicators: URL? = nil) -> PipelineLayout {
        var layout = PipelineLayout.defaults(root: repositoryRoot, output: output)
        if let input { layout.inputDirectory = input }
        if let indicators { layout.indicatorsDirectory = indicators }
        return layout
    }

    /// A copy of the embedded input files that a test may edit.
    static func copyOfInputs() throws -> URL {
        let folder = temporaryDirectory("input")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Data/quantitative"), to: folder.appendingPathComponent("quantitative"))
        return folder
    }

    /// The embedded data built once into a temporary folder.
    static let defaultBuild: Result<URL, any Error> = {
        let output = temporaryDirectory("default")
        return Result { try Build(layout: layout(output: output), logger: MemoryLogger()).run(); return output }
    }()

    /// Every file below a folder.
    /// Every file below a folder, following the folder itself if it is a link (out/public leads
    /// to the current release; enumerating the link would find nothing). Never empty.
    static func files(under folder: URL) -> [URL] {
        let enumerator = FileManager.default.enumerator(at: folder.resolvingSymlinksInPath(), includingPropertiesForKeys: nil)
        let files = (enumerator?.allObjects as? [URL] ?? []).filter { !$0.hasDirectoryPath }
        precondition(!files.isEmpty, "no files under \(folder.path): a test that reads them would pass without checking anything")
        return files
    }
}
