import ArgumentParser
import Foundation
import PromiseProgress

struct ContractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contract",
        abstract: "Prints the input contract of every registered stream as Markdown (the source of docs/input-contract.md).")

    @Option(help: "Folder of reference CSVs whose codes are listed.")
    var seeds = "seeds"

    func run() throws {
        print(try InputContractDocument.markdown(seedsDirectory: URL(fileURLWithPath: seeds)), terminator: "")
    }
}
