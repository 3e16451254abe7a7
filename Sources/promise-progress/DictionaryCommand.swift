import ArgumentParser
import PromiseProgress

struct DictionaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dictionary",
        abstract: "Prints the data dictionary of the SQLite store as Markdown (the source of docs/data-dictionary.md).")

    func run() {
        print(DataDictionaryDocument.markdown(), terminator: "")
    }
}
