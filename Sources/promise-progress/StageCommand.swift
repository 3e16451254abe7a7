import ArgumentParser
import Foundation
import PromiseProgress

struct StageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage",
        abstract: "Runs one stage alone against the work store in <output>/.work/ (nothing is published).",
        discussion: "Stages run in the order extract, transform, load, compute, render; each needs the ones before it.")

    enum Name: String, ExpressibleByArgument, CaseIterable {
        case extract, transform, load, compute, render, audit
    }

    @Argument(help: "The stage: \(Name.allCases.map(\.rawValue).joined(separator: ", ")).")
    var name: Name

    @OptionGroup var layout: LayoutOptions

    func run() throws {
        let context = PipelineContext(layout: layout.layout, logger: StandardErrorLogger())
        let stage = (Pipeline.standardStages + [AuditStage()]).first { $0.name == name.rawValue }!
        if name != .extract { try context.resumeRun() }
        try Pipeline.run(stage, context: context)
    }
}
