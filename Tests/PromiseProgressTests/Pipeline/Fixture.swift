import Foundation
import Testing
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

    /// Every temporary folder of this test process lies in one folder, removed when the process
    /// exits; a test under `.removesTemporaryFiles` puts its own in a folder removed as soon as it
    /// ends. A suite run left 3.7 GB behind in /tmp each time before, and a CI machine with little
    /// disk ran out half-way ("database or disk is full").
    static let processFolder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("promise-tests-\(getpid())-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Fixture.processFolder) }
        return url
    }()

    /// The folder of the test now running, when its suite removes its temporary files.
    @TaskLocal static var testFolder: URL?

    static func temporaryDirectory(_ name: String) -> URL {
        let parent = testFolder ?? processFolder
        let url = parent.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `make` outside any test's folder: for what one test process makes once and many tests
    /// read (the shared build, the small inputs), which must outlive the test that first asks for it.
    static func shared<T>(_ make: () throws -> T) rethrows -> T {
        try $testFolder.withValue(nil) { try make() }
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

    /// The run time of the shared build: fixed, so that a second build at the same run time must
    /// publish the same bytes (OperationsTests.byteIdentical builds only once more).
    static let defaultRunTime = Date(timeIntervalSince1970: 1_764_633_600)

    /// The embedded data built once per test process, into a temporary folder, or into
    /// $PROMISE_TEST_SHARED_BUILD when set: scripts/test sets it so that scripts/check-site and
    /// scripts/check-store check this same build instead of building again. Read it; never change it
    /// (copyOfDefaultBuild gives a folder a test may change).
    static let defaultBuild: Result<URL, any Error> = shared {
        let output: URL
        if let shared = ProcessInfo.processInfo.environment["PROMISE_TEST_SHARED_BUILD"], !shared.isEmpty {
            output = URL(fileURLWithPath: shared)
            try? FileManager.default.removeItem(at: output)
        } else {
            output = temporaryDirectory("default")
        }
        return Result {
            var build = Build(layout: layout(output: output), logger: MemoryLogger())
            build.runTime = defaultRunTime
            try build.run()
            return output
        }
    }

    /// A copy of the shared build, with its releases and links, that a test may change: the "last
    /// good outputs" a failing build must leave untouched, without building them again.
    static func copyOfDefaultBuild(_ name: String) throws -> URL {
        try copy(of: try defaultBuild.get(), name: name)
    }

    /// A copy of a folder in a new temporary folder.
    static func copy(of folder: URL, name: String) throws -> URL {
        let copy = temporaryDirectory(name)
        try FileManager.default.removeItem(at: copy)
        try FileManager.default.copyItem(at: folder, to: copy)
        return copy
    }

    /// Small inputs for every stream, made once per test process: the generator's child-level
    /// records and survey at a tenth of the embedded data's size (about 3,200 children and 1,100
    /// respondents, consistent with each other, and the published tables the generator writes beside
    /// them), with the embedded documents and commitments.
    /// For tests that judge how input is read, which need every stream but not its size.
    static let smallInputs: Result<URL, any Error> = shared { Result {
        let folder = temporaryDirectory("small-inputs")
        let seeds = repositoryRoot.appendingPathComponent("seeds")
        let population = try SyntheticDataGenerator.councilPopulation(seeds: seeds)
        try SyntheticDataGenerator(scale: 0.1, councilPopulation: population).write(to: folder.appendingPathComponent("quantitative"))
        try SyntheticSurvey(scale: 0.1, councilPopulation: population).write(to: folder.appendingPathComponent("experiential"), seeds: seeds)
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Data/qualitative"), to: folder.appendingPathComponent("qualitative"))
        return folder
    } }

    /// A copy of the small inputs that a test may edit.
    static func copyOfSmallInputs() throws -> URL {
        try copy(of: try smallInputs.get(), name: "small-input")
    }

    /// Extract, transform and load alone, then the quality gate a build runs after load, into the
    /// work store of a fresh output folder; returns that store. Bad-input tests judge the stages that
    /// read the input, without computing, protecting, rendering and auditing every indicator.
    @discardableResult
    static func loadStages(input: URL, name: String, qualityGate: Bool = true, logger: MemoryLogger = MemoryLogger()) throws -> URL {
        let layout = layout(output: temporaryDirectory(name), input: input)
        let context = PipelineContext(layout: layout, logger: logger)
        for stage in [ExtractStage(), TransformStage(), LoadStage()] as [any PipelineStage] { try Pipeline.run(stage, context: context) }
        if qualityGate { try Build(layout: layout, logger: MemoryLogger()).qualityGate(context) }
        return layout.workStoreURL
    }

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

/// Removes the temporary folders a test made as soon as it ends, passed or failed (see
/// `Fixture.processFolder`). Given to every suite that makes folders; nested suites and every test
/// in them inherit it.
struct RemovesTemporaryFiles: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        test.isSuite || testCase == nil ? nil : self
    }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let folder = Fixture.processFolder.appendingPathComponent("test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Fixture.$testFolder.withValue(folder) { try await function() }
    }
}

extension Trait where Self == RemovesTemporaryFiles {
    static var removesTemporaryFiles: Self { RemovesTemporaryFiles() }
}
