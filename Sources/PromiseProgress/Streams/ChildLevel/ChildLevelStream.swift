/// Child-level records of the looked after children return: children, their episodes of care and
/// the placements within them. Restricted: these rows never reach a published file.
extension DataStream {
    public static let childLevel = DataStream(
        id: "child_level",
        title: "Child-level looked after children records",
        summary: """
        Three CSV files under `<input>/quantitative/` (the embedded default is `Data/quantitative/`). One row
        per child, per episode of care, and per placement, following the Children's Social Work Statistics
        looked after children return (CLAS). Unit of disclosure: children. These rows are restricted:
        only disclosure-controlled counts of children are published.
        """,
        unitOfDisclosure: .children,
        files: [ChildLevelStream.children, ChildLevelStream.episodes, ChildLevelStream.placements],
        checks: [
            SetCheck(table: "episode", rule: "before_birth", sql: sql(PackageResources.episode_before_birth_sql),
                     description: "An episode may not start before the child's date of birth."),
            SetCheck(table: "placement", rule: "outside_episode", sql: sql(PackageResources.placement_outside_episode_sql),
                     description: "A placement lies within its episode: it starts on or after the episode's start, and a placement of an ended episode ends by the episode's end."),
        ],
        derivedTables: ChildLevelStream.derived,
        personalColumns: ["child_id", "episode_id", "placement_id", "date_of_birth"])
}

/// The files and tables of ``DataStream/childLevel``.
public enum ChildLevelStream {
    public static let children = StreamFile(
        location: .file("quantitative/children.csv"),
        table: "child", childLevel: true,
        description: "One row per child (children.csv after validation). Restricted: never published. child_id is unique (index child_key).",
        columns: [
            InputColumn("child_id", .identity, "the child", constraint: "unique", sql: "NOT NULL", "Child identifier from the return."),
            InputColumn("la_code", .councilArea, "council area that returned the child", sql: "NOT NULL REFERENCES geography(geography_code)", "Council area (current GSS code) that returned the child."),
            InputColumn("date_of_birth", .date, "date of birth", sql: "NOT NULL", "Date of birth (ISO date)."),
            InputColumn("sex", .code("sex"), "sex", sql: "NOT NULL", "Code from codelist 'sex'."),
            InputColumn("ethnic_group", .code("ethnic_group"), "ethnic group", sql: "NOT NULL", "Code from codelist 'ethnic_group'."),
            InputColumn("disability", .code("disability"), "whether the child is disabled", sql: "NOT NULL", "Code from codelist 'disability'."),
        ],
        key: ["child_id"])

    public static let episodes = StreamFile(
        location: .file("quantitative/episodes.csv"),
        table: "episode", childLevel: true,
        description: "One row per episode of care (episodes.csv after validation). An episode open on a date means the child was looked after on that date. episode_id is unique (index episode_key).",
        indexes: [
            "CREATE INDEX episode_child ON episode(child_id, start_date)",
            "CREATE INDEX episode_dates ON episode(start_date, end_date)",
        ],
        columns: [
            InputColumn("episode_id", .identity, "the episode of care", constraint: "unique", sql: "NOT NULL", "Episode identifier."),
            InputColumn("child_id", .identity, "the child", sql: "NOT NULL REFERENCES child(child_id)", "Child."),
            InputColumn("la_code", .councilArea, "council area responsible; indicators count children here", sql: "NOT NULL REFERENCES geography(geography_code)", "Council area responsible for the episode (current GSS code); indicators count children here."),
            InputColumn("start_date", .date, "first day looked after", constraint: "not before the child's date of birth", sql: "NOT NULL", "First day looked after (ISO date)."),
            InputColumn("end_date", .optionalDate, "day the child ceased to be looked after", constraint: "not before `start_date`", sql: "", "Day the child ceased to be looked after (ISO date); NULL while still looked after. A child whose episode ends on a snapshot date is not counted in that snapshot."),
            InputColumn("legal_reason", .code("legal_reason"), "legal reason", sql: "NOT NULL", "Code from codelist 'legal_reason'."),
            InputColumn("destination", .optionalCode("destination"), "where the child went when the episode ended", constraint: "required when `end_date` is given, empty otherwise", sql: "", "Code from codelist 'destination' when the episode has ended; NULL while open."),
        ],
        key: ["episode_id"],
        references: [Reference("child_id", to: "child", "child_id", in: "children.csv")],
        nonOverlappingWithin: "child_id",
        rowRules: [endNotBeforeStart, RowRule("An episode with an end_date has a destination (not_known if it is not known); an open episode has none.") { row, _ in
            var problems: [FieldProblem] = []
            if row["end_date"] != nil, row["destination"] == nil {
                problems.append(FieldProblem(column: "destination", value: "", rule: "destination_inconsistent", reason: "expected a destination because the episode has an end_date (use not_known if it is not known), found an empty value"))
            }
            if row["end_date"] == nil, let destination = row["destination"] {
                problems.append(FieldProblem(column: "destination", value: destination, rule: "destination_inconsistent", reason: "expected an empty destination because the episode has no end_date, found '\(destination)'"))
            }
            return problems
        }])

    public static let placements = StreamFile(
        location: .file("quantitative/placements.csv"),
        table: "placement", childLevel: true,
        description: "One row per placement within an episode (placements.csv after validation). Placements of one episode do not overlap; one may start on the day the previous ends. placement_id is unique (index placement_key).",
        indexes: [
            "CREATE INDEX placement_episode ON placement(episode_id, start_date)",
        ],
        columns: [
            InputColumn("placement_id", .identity, "the placement", constraint: "unique", sql: "NOT NULL", "Placement identifier."),
            InputColumn("episode_id", .identity, "the episode", sql: "NOT NULL REFERENCES episode(episode_id)", "Episode the placement belongs to."),
            InputColumn("start_date", .date, "first day of the placement", constraint: "within the episode", sql: "NOT NULL", "First day of the placement (ISO date)."),
            InputColumn("end_date", .optionalDate, "day the placement ended", constraint: "not before `start_date`, within the episode", sql: "", "Day the placement ended (ISO date); NULL while open."),
            InputColumn("placement_type", .placementType, "placement type", sql: "NOT NULL REFERENCES placement_type(placement_type_code)", "Placement type code."),
            InputColumn("siblings_looked_after", .code("siblings_looked_after"), "has at least one brother or sister also looked after", sql: "NOT NULL", "Code from codelist 'siblings_looked_after': does the child have a brother or sister also looked after."),
            InputColumn("living_with_siblings", .code("living_with_siblings"), "lives with all, some or none of them", constraint: "`not_applicable` exactly when `siblings_looked_after` is `no`", sql: "NOT NULL", "Code from codelist 'living_with_siblings': all, some, none or not_applicable."),
            InputColumn("separation_reason", .optionalCode("separation_reason"), "why the child lives apart from some or all siblings", constraint: "empty when living with `all` or `not_applicable`", sql: "", "Code from codelist 'separation_reason' where the child lives apart from some or all siblings; NULL otherwise or when not given."),
        ],
        key: ["placement_id"],
        references: [Reference("episode_id", to: "episode", "episode_id", in: "episodes.csv")],
        nonOverlappingWithin: "episode_id",
        rowRules: [endNotBeforeStart, RowRule("living_with_siblings is not_applicable exactly when siblings_looked_after is no; a separation_reason only where the child lives apart from some or all siblings.") { row, _ in
            guard let siblings = row["siblings_looked_after"], let living = row["living_with_siblings"] else { return [] }
            var problems: [FieldProblem] = []
            if siblings == "no", living != "not_applicable" {
                problems.append(FieldProblem(column: "living_with_siblings", value: living, rule: "siblings_inconsistent", reason: "expected not_applicable because siblings_looked_after is 'no', found '\(living)'"))
            }
            if siblings == "yes", living == "not_applicable" {
                problems.append(FieldProblem(column: "living_with_siblings", value: living, rule: "siblings_inconsistent", reason: "expected all, some or none because siblings_looked_after is 'yes', found 'not_applicable'"))
            }
            if let reason = row["separation_reason"], living == "all" || living == "not_applicable" {
                problems.append(FieldProblem(column: "separation_reason", value: reason, rule: "siblings_inconsistent", reason: "expected no separation_reason because living_with_siblings is '\(living)', found '\(reason)'"))
            }
            return problems
        }])

    static let endNotBeforeStart = RowRule("end_date is not before start_date.") { row, _ in
        guard let start = row["start_date"], let end = row["end_date"], end < start else { return [] }
        return [FieldProblem(column: "end_date", value: end, rule: "end_before_start", reason: "end_date \(end) is before start_date \(start)")]
    }

    static let derived: [TableSpec] = [
        TableSpec("snapshot_placement", kind: .analysis, childLevel: true,
                  description: "Derived by load. One row per child looked after on each period's snapshot date (31 July), with the placement open that day. Placement columns are NULL where no placement covers the date.",
                  columns: [
                      ColumnSpec("period_id", "TEXT", "", "Period whose snapshot date this is."),
                      ColumnSpec("snapshot_date", "TEXT", "", "Snapshot date."),
                      ColumnSpec("child_id", "TEXT", "", "Child."),
                      ColumnSpec("episode_id", "TEXT", "", "Episode open on the snapshot date."),
                      ColumnSpec("la_code", "TEXT", "", "Council area responsible for the episode."),
                      ColumnSpec("sex", "TEXT", "", "Child's sex code."),
                      ColumnSpec("age", "INTEGER", "", "Age in whole years on the snapshot date."),
                      ColumnSpec("age_band_code", "TEXT", "", "Age band of that age."),
                      ColumnSpec("placement_id", "TEXT", "", "Placement open on the snapshot date."),
                      ColumnSpec("placement_type", "TEXT", "", "Its placement type."),
                      ColumnSpec("placement_group", "TEXT", "", "Published grouping of the placement type."),
                      ColumnSpec("setting", "TEXT", "", "community or residential."),
                      ColumnSpec("location", "TEXT", "", "at_home or away_from_home."),
                      ColumnSpec("siblings_looked_after", "TEXT", "", "From the placement record."),
                      ColumnSpec("living_with_siblings", "TEXT", "", "From the placement record."),
                      ColumnSpec("separation_reason", "TEXT", "", "From the placement record."),
                  ],
                  viewSQL: DataStream.sql(PackageResources.snapshot_placement_sql),
                  indexes: ["CREATE INDEX snapshot_placement_period ON snapshot_placement(period_id, la_code, age_band_code)"]),
        TableSpec("episode_start", kind: .analysis, childLevel: true,
                  description: "Derived by load. One row per episode that started during a period, with the child's age at the start.",
                  columns: [
                      ColumnSpec("period_id", "TEXT", "", "Period in which the episode started."),
                      ColumnSpec("episode_id", "TEXT", "", "Episode."),
                      ColumnSpec("child_id", "TEXT", "", "Child."),
                      ColumnSpec("la_code", "TEXT", "", "Council area responsible for the episode."),
                      ColumnSpec("start_date", "TEXT", "", "Start date."),
                      ColumnSpec("sex", "TEXT", "", "Child's sex code."),
                      ColumnSpec("age", "INTEGER", "", "Age in whole years at the start."),
                      ColumnSpec("age_band_code", "TEXT", "", "Age band at the start."),
                      ColumnSpec("legal_reason", "TEXT", "", "Legal reason code."),
                  ],
                  viewSQL: DataStream.sql(PackageResources.episode_start_sql),
                  indexes: ["CREATE INDEX episode_start_period ON episode_start(period_id, la_code, age_band_code)"]),
        TableSpec("period_stability", kind: .analysis, childLevel: true,
                  description: "Derived by load. One row per child looked after at any time during a period, with the number of placements that overlapped the period. The council area is that of the child's latest episode in the period.",
                  columns: [
                      ColumnSpec("period_id", "TEXT", "", "Period."),
                      ColumnSpec("child_id", "TEXT", "", "Child."),
                      ColumnSpec("la_code", "TEXT", "", "Council area of the child's latest episode in the period."),
                      ColumnSpec("placements", "INTEGER", "", "Placements (in any episode) open at some time during the period."),
                  ],
                  viewSQL: DataStream.sql(PackageResources.period_stability_sql),
                  indexes: ["CREATE INDEX period_stability_period ON period_stability(period_id, la_code)"]),
    ]
}
