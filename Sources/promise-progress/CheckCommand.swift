import ArgumentParser
import Foundation
import PromiseProgress

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validates inputs and indicator definitions and writes nothing.")

    @OptionGroup var layout: LayoutOptions

    func run() throws {
        print("todo")
    }
}
