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
        audit.previousRelease = Self.previousRelease(layout)
        let findings = try audit.audit(layout.workPublicDirectory)
        context.logger.log("  linear-programming attack: \(audit.linearProgramsSolved) linear programmes, \(String(format: "%.2f", audit.attackSeconds)) s")
        try store.queue.write { db in
            try db.execute(sql: "UPDATE run SET audit_findings = ? WHERE run_id = ?", arguments: [findings.count, context.runID])
        }
        guard findings.isEmpty else { throw AuditFailure(findings: findings) }
        try AuditSeal.current(context, previousRelease: audit.previousRelease).write(to: AuditSeal.url(layout))
        let files = (FileManager.default.enumerator(at: layout.workPublicDirectory, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []).filter { !$0.hasDirectoryPath }
        return "\(files.count) public files audited, no findings (every withheld count of children has a provable range including 0 and 5, every withheld group of respondents 0 and 10; no contact details)"
    }

    /// The public file of the release about to be replaced, through its links (an attacker holds
    /// it too), or nil before the first release.
    static func previousRelease(_ layout: PipelineLayout) -> URL? {
        let previous = layout.publishedPublicDirectory.appendingPathComponent("data/promise-public.sqlite")
        return FileManager.default.fileExists(atPath: previous.path) ? previous.resolvingSymlinksInPath() : nil
    }
}

/// What a clean audit saw, so that `stage publish` need not audit the same work area twice: the
/// public folder's files and their SHA-256, the earlier release the attack held, the restricted
/// store's stage runs (a stage run again after the audit changes them) and the program. Publishing
/// audits again when any of them differs, or the seal is missing or unreadable; it never trusts a
/// seal it cannot recompute.
struct AuditSeal: Equatable {
    var text: String

    static func url(_ layout: PipelineLayout) -> URL { layout.workDirectory.appendingPathComponent("audit-seal.txt") }

    static func current(_ context: PipelineContext, previousRelease: URL?) throws -> AuditSeal {
        let layout = context.layout
        var lines = ["program\t" + InputFingerprint.programIdentity(),
                     "previous-release\t" + (previousRelease?.path ?? "none")]
        let stages = try context.openWorkStore().queue.read { db in
            try Row.fetchAll(db, sql: "SELECT stage, started_at FROM run_stage WHERE run_id = ? AND stage <> 'audit' ORDER BY stage", arguments: [context.runID])
                .map { "stage\t\($0[0] as String)\t\($0[1] as String)" }
        }
        lines += stages
        var hasher = SHA256()
        for (path, digest) in try InputFingerprint.digests(under: layout.workPublicDirectory) { hasher.update(data: Data("\(path)\t\(digest)\n".utf8)) }
        lines.append("public\t" + InputFingerprint.hex(hasher.finalize()))
        return AuditSeal(text: lines.joined(separator: "\n") + "\n")
    }

    func write(to url: URL) throws {
        try FileOperation.run("write the audit seal", at: url) { try Data(text.utf8).write(to: url, options: .atomic) }
    }

    /// True when the work area is exactly as a clean audit left it (the previous-release path in both
    /// is AuditStage.previousRelease, already resolved).
    static func holds(_ context: PipelineContext) -> Bool {
        guard let recorded = try? String(contentsOf: url(context.layout), encoding: .utf8),
              let now = try? current(context, previousRelease: AuditStage.previousRelease(context.layout)) else { return false }
        return now.text == recorded
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
