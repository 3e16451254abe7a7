import ArgumentParser
import Foundation
import PromiseProgress

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Runs every stage and publishes out/promise.sqlite and out/public/ only if all succeed.")

    @OptionGroup var layout: LayoutOptions

    @Option(help: "Refuse to publish when more than this share (0 to 1) of any input file's rows is rejected.")
    var maxRejectedShare: Double = 0.10

    func validate() throws {
        guard (0...1).contains(maxRejectedShare) else {
            throw ValidationError("--max-rejected-share must be between 0 and 1, found \(maxRejectedShare)")
        }
    }

    func run() throws {
        try Build(layout: layout.layout, logger: StandardErrorLogger(), maximumRejectedShare: maxRejectedShare).run()
    }
}
