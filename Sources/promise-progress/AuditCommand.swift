import ArgumentParser
import Foundation
import PromiseProgress

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Scans a public folder and fails, naming file and cell, on any count from 1 to 4, any value recoverable by subtraction, or anything child-level.",
        discussion: "build runs the same audit before publishing. Exits 0 when clean, 1 with findings.")

    @Argument(help: "The folder to audit.")
    var folder: String = "out/public"

    @Option(help: "Restricted store whose child, episode and placement identifiers must not appear in the folder.")
    var store: String = "out/promise.sqlite"

    @Option(help: "Disclosure control settings (for the thresholds and linked groups).")
    var config: String = "config/disclosure-control.yml"

    @Option(help: "Folder of indicator definitions (the linked groups name them).")
    var indicators: String = "Indicators"

    @Option(help: "Folder of reference CSVs.")
    var seeds: String = "seeds"

    func run() throws {
        let storeURL = URL(fileURLWithPath: store)
        guard FileManager.default.fileExists(atPath: storeURL.path) else {
            throw ValidationError("--store \(store) does not exist; run 'promise-progress build' first or name the restricted store")
        }
        let identifiers = try PublicationAudit.childIdentifiers(in: storeURL)
        let catalogue = try IndicatorCatalogue.load(directory: URL(fileURLWithPath: indicators), vocabulary: try .load(store: storeURL), display: { $0.path })
        let rules = try DisclosureRulesFile.load(URL(fileURLWithPath: config), catalogue: catalogue, display: config)
        let findings = try PublicationAudit(childIdentifiers: identifiers, largestSuppressedCount: rules.largestSuppressedCount, groups: rules.groups)
            .audit(URL(fileURLWithPath: folder))
        for finding in findings { print("finding: \(finding)") }
        print("\(findings.count) finding\(findings.count == 1 ? "" : "s") in \(folder)")
        if !findings.isEmpty { throw ExitCode(1) }
    }
}
