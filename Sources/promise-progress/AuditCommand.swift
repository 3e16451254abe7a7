import ArgumentParser
import Foundation
import GRDB
import PromiseProgress

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Attacks <output>/public as an outsider would and fails, naming file and cell, on any count from 1 to 4, any withheld count whose range linear programming over every public table can narrow, or anything child-level.",
        discussion: "build runs the same audit before publishing. The identifiers to look for come from <output>/promise.sqlite. Exits 0 when clean, 6 with findings (as build does when its audit fails), 1 on an error.")

    @OptionGroup var layout: LayoutOptions

    @Option(help: "Audit this folder instead of <output>/public.")
    var folder: String?

    func run() throws {
        let layout = layout.layout
        let store = layout.publishedStoreURL
        guard FileManager.default.fileExists(atPath: store.path) else {
            throw ValidationError("\(layout.display(store)) does not exist: run 'promise-progress build' first, or pass --output")
        }
        var audit = try DatabaseQueue(path: store.path).read { try PublicationAudit.configured(layout: layout, restrictedStore: $0) }
        let target = folder.map { URL(fileURLWithPath: $0) } ?? layout.publishedPublicDirectory
        let findings = try audit.audit(target)
        for finding in findings { print("finding: \(finding)") }
        print("\(audit.linearProgramsSolved) linear programmes solved")
        print("\(findings.count) finding\(findings.count == 1 ? "" : "s") in \(layout.display(target))")
        if !findings.isEmpty { throw ExitCode(ExitStatus.auditFailed.rawValue) }
    }
}
