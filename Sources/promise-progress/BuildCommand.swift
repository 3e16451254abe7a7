import ArgumentParser
import Foundation
import PromiseProgress

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Runs every stage and publishes out/promise.sqlite and out/public/ only if all succeed.")

    @OptionGroup var layout: LayoutOptions

    func run() throws {
        try Build(layout: layout.layout, logger: StandardErrorLogger()).run()
    }
}
