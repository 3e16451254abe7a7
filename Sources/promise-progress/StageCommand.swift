import ArgumentParser
import Foundation
import PromiseProgress

struct StageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage",
        abstract: "Runs one stage alone against the work store in <output>/.work/ (nothing is published).",
        discussion: """
        Stages run in the order extract, transform, load, compute, render, audit; each needs the ones \
        before it. 'publish' then publishes the work area as build would (a new release, switched to in \
        one step). \
        A stage takes the same lock as build, so it never runs while a build (or another stage) does; \
        the next build starts its own work area afresh.
        """)

    enum Name: String, ExpressibleByArgument, CaseIterable {
        case extract, transform, load, compute, render, audit, publish
    }

    @Argument(help: "The stage: \(Name.allCases.map(\.rawValue).joined(separator: ", ")).")
    var name: Name

    @OptionGroup var layout: LayoutOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup(title: "Publish only") var publishing: PublishOptions

    func validate() throws {
        try layout.validateFolders()
        try publishing.validate()
        guard name == .publish || publishing.isDefault else {
            throw ValidationError("--max-row-drop, --accept-drop and --keep-releases apply to 'stage publish' only")
        }
    }

    func run() throws {
        let logger = output.logger
        let layout = layout.layout
        if name == .publish {
            var failure: OperatorError?
            do {
                var build = Build(layout: layout, logger: logger)
                publishing.apply(to: &build)
                let outcome = try build.publishStaged { failure = $0 }
                print("summary: \(outcome.summary)")
                return
            } catch {
                throw fail(failure ?? OperatorError.classify(error, stage: "publish", store: layout.workStoreURL), logger: logger)
            }
        }
        do {
            let lock: RunLock
            do {
                lock = try RunLock(url: layout.lockURL)
            } catch let refused as PipelineFailure {
                throw OperatorError(.refused, refused.description)
            }
            let build = Build(layout: layout, logger: logger)
            try build.checkRunLog()
            build.recordInterrupted(lock: lock, releases: Releases(layout: layout))
            let context = PipelineContext(layout: layout, logger: logger)
            let stage = (Pipeline.standardStages + [AuditStage()]).first { $0.name == name.rawValue }!
            if name != .extract { try context.resumeRun() }
            lock.hold(as: RunLock.Holder(runID: context.runID, pid: getpid(), startedAt: context.startedAt, command: "stage \(name.rawValue)"))
            do {
                let started = Date()
                let summary = try Pipeline.run(stage, context: context)
                print("summary: stage \(name.rawValue) done in \(String(format: "%.1f", Date().timeIntervalSince(started))) s: \(summary)")
            } catch {
                lock.release()
                throw OperatorError.classify(error, stage: name.rawValue, store: layout.workStoreURL)
            }
            lock.release()
            withExtendedLifetime(lock) {}
        } catch {
            // Every exit has its line in the run log; a stage that ran, or was refused, too.
            let failure = error as? OperatorError ?? OperatorError.classify(error, stage: name.rawValue, store: layout.workStoreURL)
            Build.recordRefusedCommandLine(outputDirectory: layout.outputDirectory, status: failure.status, message: "stage \(name.rawValue): \(failure.description)")
            throw fail(failure, logger: logger)
        }
    }
}
