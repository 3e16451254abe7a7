import Foundation
import GRDB

/// `promise-progress audit`: reads every file under a public folder the way an outsider would and
/// fails, naming the file and the cell, if it finds a count from 1 to 4, a withheld count whose
/// range an attacker can narrow, or anything child-level.
///
/// The attack uses the public files alone: the definitions' `measure_population` declarations, the
/// breakdowns and council areas in `promise-public.sqlite` give every relation between counts
/// (``TableStructure``); every published number and 0 is fixed; linear programming
/// (``ProvableRanges``) then bounds each withheld count. A withheld count whose range could hold a
/// count from 1 to 4 must reach both 0 and 5. The audit never calls ``DisclosureControl`` nor reads
/// its settings: it is a second, independent check of what is about to be published.
///
/// One room per check, each in this folder: what each kind of file may hold (`FileChecks.swift`),
/// identifiers from the restricted store (``IdentifierSearch``), contact details and names
/// (``PersonalDetailsCheck``), tables read back from pages (``PublishedTableReader``), and the attack
/// on withheld counts, alone and with the previous release (`AttackCheck.swift`). This file holds
/// what they share: the standard, what is read from the restricted store, and the walk over the files.
public struct PublicationAudit {
    public struct Finding: Sendable, CustomStringConvertible, Equatable {
        public var file: String
        public var place: String
        public var problem: String
        public var description: String { "\(file): \(place): \(problem)" }
    }

    /// Identifiers of children, episodes and placements (from the restricted store) that must never appear.
    /// Held in lower case: identity is case-insensitive (as the duplicate check and the stores hold it), so is the search.
    public var childIdentifiers: Set<String> {
        get { identifiers.values }
        set { identifiers = IdentifierSearch(newValue) }
    }
    /// The search for ``childIdentifiers`` in a file's text.
    var identifiers: IdentifierSearch
    /// The audit's own standard (counts from 1 to 4 are small; README, "Disclosure control"), not read
    /// from disclosure control's settings.
    public var largestSuppressedCount: Int
    /// The audit's standard for survey results: no group of fewer respondents than this.
    public var smallestRespondentGroup: Int
    /// Linear programmes solved by the last audit.
    public internal(set) var linearProgramsSolved = 0
    /// Seconds the last audit spent on the attack (building and solving its linear programmes).
    public internal(set) var attackSeconds = 0.0
    /// True counts before disclosure control, keyed `indicator.part|period|area|type|code`, from the
    /// restricted store. The attack never uses them; they only say which withheld counts are from 1 to 4
    /// and so must be shown to reach 0 and 5 (the standard is about the true value). Without them every
    /// withheld count whose range touches 1 to 4 must reach 0 and 5.
    public var trueCounts: [String: Double]?
    /// Numbers the public SQLite file states (nil where withheld), `indicator|period|area|type|code|column`,
    /// so every CSV can be checked against it: a CSV must not state what the SQLite file withholds.
    var statedInSQLite: [String: Double?] = [:]
    /// Each indicator's largest protected numerator and denominator, from the units declared in the
    /// public file (nil where the count is not protected on its own size), for checking the CSVs.
    var countLimits: [String: (numerator: Int?, denominator: Int?)] = [:]
    /// Indicators the public file says count public records (qualitative evidence), not people.
    var recordIndicators: Set<String> = []
    /// Given names (lower case) no published quote may contain, from the restricted store's
    /// `redaction_term`: looked for, never published.
    public var listedNames: Set<String> = []
    /// The public file of the release this one follows (`promise-public.sqlite`): the attacker keeps every
    /// release, so the two are attacked together (``jointFindings``).
    public var previousRelease: URL?
    /// Everyday words and the allow list, for finding a name the redactor missed: any capitalised word
    /// in a published quote that is neither is a finding. Nil: quotes cannot be checked, which is a finding.
    public var quoteWords: RedactionWords?
    /// SHA-256 of every redacted text a reviewer approved (`quote_review`, from the restricted store).
    /// A published quote whose text is not among them is a finding; nil (no store read) fails every quote.
    public var approvedQuotes: Set<String>?

    /// Columns no public file may have: every stream's personal columns, and where a row came from.
    static let childLevelColumns: Set<String> = Set(StreamRegistry.all.flatMap(\.personalColumns) + ["source_line", "record"])
    static let publicTables: Set<String> = Set(PublicData.tables.flatMap { [$0.name] + $0.shadowTables } + AnalystViews.specs.map(\.name))

    public init(childIdentifiers: Set<String>, largestSuppressedCount: Int = 4, smallestRespondentGroup: Int = 10) {
        identifiers = IdentifierSearch(childIdentifiers)
        self.largestSuppressedCount = largestSuppressedCount
        self.smallestRespondentGroup = smallestRespondentGroup
    }

    /// The audit's own limit for a unit (not read from disclosure control's settings).
    func largest(for unit: IndicatorDefinition.CountUnit) -> Int? {
        unit.largestProtected(children: largestSuppressedCount, respondentGroup: smallestRespondentGroup)
    }

    /// Reads the identifiers to look for from a restricted store.
    public static func childIdentifiers(in store: URL) throws -> Set<String> {
        try DatabaseQueue(path: store.path).read(childIdentifiers(in:))
    }

    static func childIdentifiers(in db: Database) throws -> Set<String> {
        var ids: Set<String> = []
        for stream in StreamRegistry.all {
            for (table, column) in stream.identifierColumns where try db.tableExists(table) {
                ids.formUnion(try String.fetchAll(db, sql: "SELECT DISTINCT \(column) FROM \(table) WHERE \(column) IS NOT NULL"))
            }
        }
        return ids
    }

    /// The audit as a build or `promise-progress audit` runs it: identifiers from the restricted store
    /// `db` (to look for them, never to learn counts); everything else from the public files.
    public static func configured(layout: PipelineLayout, restrictedStore db: Database) throws -> PublicationAudit {
        var audit = PublicationAudit(childIdentifiers: try childIdentifiers(in: db))
        audit.trueCounts = try trueCounts(in: db)
        if try db.tableExists("redaction_term") {
            audit.listedNames = Set(try String.fetchAll(db, sql: "SELECT lower(term) FROM redaction_term WHERE kind = 'name'"))
        }
        audit.quoteWords = try RedactionWords.load(from: db)
        audit.approvedQuotes = try approvedQuoteHashes(in: db)
        return audit
    }

    /// SHA-256 of every redacted text a reviewer approved, from the restricted store's `quote_review`.
    public static func approvedQuoteHashes(in db: Database) throws -> Set<String> {
        guard try db.tableExists("quote_review") else { return [] }
        return Set(try String.fetchAll(db, sql: "SELECT lower(redacted_sha256) FROM quote_review WHERE decision = 'approved'"))
    }

    public mutating func audit(_ given: URL) throws -> [Finding] {
        var findings: [Finding] = []
        linearProgramsSolved = 0
        attackSeconds = 0
        // out/public is a link to the current release: walk the folder it leads to (walking the
        // link itself finds nothing), and treat a folder with nothing in it as an error, not a pass.
        let folder = given.resolvingSymlinksInPath()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw PipelineFailure("the audit cannot read \(given.path): it is not a folder of published outputs")
        }
        // SQLite files first: the CSVs are checked against what they state.
        let all: [URL] = (FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []).filter { !$0.hasDirectoryPath }
        guard !all.isEmpty else {
            throw PipelineFailure("the audit found no files in \(given.path): nothing to vouch for, so it does not pass")
        }
        let files: [URL] = all.filter { $0.pathExtension == "sqlite" }.sorted { $0.path < $1.path } + all.filter { $0.pathExtension != "sqlite" }.sorted { $0.path < $1.path }
        statedInSQLite = [:]
        for file in files {
            let name = String(file.path.dropFirst(folder.path.count + 1))
            switch file.pathExtension {
            case "sqlite": findings += try auditSQLite(file, name: name)
            case "csv": findings += try auditCSV(file, name: name)
            case "gz": findings += try auditArchive(file, name: name)
            case "html", "md", "yml": findings += try auditText(file, name: name)
            case "css", "png": break
            default: findings.append(Finding(file: name, place: "file", problem: "unexpected kind of file in the public folder"))
            }
        }
        return findings
    }

}
