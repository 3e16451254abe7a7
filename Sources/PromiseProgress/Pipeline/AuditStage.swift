import Foundation
import GRDB

/// Audit: the last step before publishing. Runs ``PublicationAudit`` over the rendered public
/// folder in the work area; any finding fails the build, so nothing unsafe is ever published.
public struct AuditStage: PipelineStage {
    public let name = "audit"
    public init() {}

    public func run(_ context: PipelineContext) throws -> String {
        let layout = context.layout
        let store = try context.openWorkStore()
        var audit = try store.queue.read { db in
            try Store.require(["child", "published_indicator_value"], before: name, runFirst: "render", in: db)
            return try PublicationAudit.configured(layout: layout, restrictedStore: db)
        }
        // The release about to be replaced: an attacker holds it too.
        let previous = layout.publishedPublicDirectory.appendingPathComponent("data/promise-public.sqlite")
        if FileManager.default.fileExists(atPath: previous.path) { audit.previousRelease = previous.resolvingSymlinksInPath() }
        let findings = try audit.audit(layout.workPublicDirectory)
        context.logger.log("  linear-programming attack: \(audit.linearProgramsSolved) linear programmes, \(String(format: "%.2f", audit.attackSeconds)) s")
        try store.queue.write { db in
            try db.execute(sql: "UPDATE run SET audit_findings = ? WHERE run_id = ?", arguments: [findings.count, context.runID])
        }
        guard findings.isEmpty else { throw AuditFailure(findings: findings) }
        let files = (FileManager.default.enumerator(at: layout.workPublicDirectory, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []).filter { !$0.hasDirectoryPath }
        return "\(files.count) public files audited, no findings (every withheld count of children has a provable range including 0 and 5, every withheld group of respondents 0 and 10; no contact details)"
    }
}

/// The publication audit found something that must not be published.
public struct AuditFailure: Error, CustomStringConvertible {
    public var findings: [PublicationAudit.Finding]
    public var description: String {
        let shown = findings.prefix(25).map { "  \($0)" }.joined(separator: "\n")
        return "the publication audit found \(findings.count) problem\(findings.count == 1 ? "" : "s"); nothing was published:\n\(shown)"
            + (findings.count > 25 ? "\n  ... and \(findings.count - 25) more" : "")
    }
}
