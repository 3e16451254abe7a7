/// Every table and view of the restricted store, with descriptions. `Store` creates them from
/// here and writes the same descriptions into `data_dictionary`, so the two never drift apart.
public enum Schema {
    // MARK: - Shared SQL fragments

    /// Whole years between a date of birth and a date, in plain SQL so analysts can reuse it.
    static func ageSQL(at date: String, dob: String) -> String {
        "(CAST(strftime('%Y', \(date)) AS INTEGER) - CAST(strftime('%Y', \(dob)) AS INTEGER) - (strftime('%m-%d', \(date)) < strftime('%m-%d', \(dob))))"
    }

    static let provenance: [ColumnSpec] = [
        ColumnSpec("source_file", "TEXT", "NOT NULL", "Input file the row was read from, relative to the input folder."),
        ColumnSpec("source_line", "INTEGER", "NOT NULL", "1-based line of the input file on which the row starts."),
    ]

    // MARK: - Reference tables (seeds/)

    public static let reference: [TableSpec] = [
        TableSpec("foundation", kind: .reference, description: "The five foundations of The Promise (seeds/foundation.csv).", columns: [
            ColumnSpec("foundation_id", "TEXT", "PRIMARY KEY", "Foundation code: voice, family, care, people or scaffolding."),
            ColumnSpec("name", "TEXT", "NOT NULL", "Foundation name."),
            ColumnSpec("description", "TEXT", "NOT NULL", "The foundation in one line."),
            ColumnSpec("sort_order", "INTEGER", "NOT NULL", "Order in which foundations are listed."),
        ]),
        TableSpec("vision_statement", kind: .reference, description: "The ten vision statements of the Promise Progress Framework (seeds/vision_statement.csv).", columns: [
            ColumnSpec("vision_statement_id", "INTEGER", "PRIMARY KEY", "Vision statement number, 1 to 10."),
            ColumnSpec("title", "TEXT", "NOT NULL", "Vision statement title."),
            ColumnSpec("sort_order", "INTEGER", "NOT NULL", "Order in which vision statements are listed."),
        ]),
        TableSpec("geography", kind: .reference, description: "Scotland and its 32 council areas with current GSS codes (seeds/geography.csv).", columns: [
            ColumnSpec("geography_code", "TEXT", "PRIMARY KEY", "Current GSS code, e.g. S92000003 for Scotland, S12000049 for Glasgow City."),
            ColumnSpec("name", "TEXT", "NOT NULL", "Official name."),
            ColumnSpec("geography_type", "TEXT", "NOT NULL CHECK (geography_type IN ('country','council_area'))", "country or council_area."),
            ColumnSpec("parent_code", "TEXT", "REFERENCES geography(geography_code)", "Code of the containing area; NULL for Scotland."),
        ]),
        TableSpec("geography_alias", kind: .reference, description: "Superseded GSS codes and name variants seen in source files, each mapped to a current code (seeds/geography_alias.csv). Current codes and official names are accepted without an alias.", columns: [
            ColumnSpec("alias", "TEXT", "PRIMARY KEY", "The code or name as it appears in a source file."),
            ColumnSpec("geography_code", "TEXT", "NOT NULL REFERENCES geography(geography_code)", "Current GSS code it stands for."),
            ColumnSpec("alias_type", "TEXT", "NOT NULL CHECK (alias_type IN ('superseded_code','name_variant'))", "superseded_code or name_variant."),
        ]),
        TableSpec("placement_type", kind: .reference, description: "Placement types of the looked after children return, grouped as published (seeds/placement_type.csv).", columns: [
            ColumnSpec("placement_type_code", "TEXT", "PRIMARY KEY", "Placement type code used in placements.csv."),
            ColumnSpec("label", "TEXT", "NOT NULL", "Placement type as published."),
            ColumnSpec("setting", "TEXT", "NOT NULL CHECK (setting IN ('community','residential'))", "community or residential."),
            ColumnSpec("location", "TEXT", "NOT NULL CHECK (location IN ('at_home','away_from_home'))", "at_home (with parents) or away_from_home (every other type)."),
            ColumnSpec("placement_group", "TEXT", "NOT NULL", "Published grouping: at_home, kinship, foster, prospective_adopters, other_community or residential."),
            ColumnSpec("sort_order", "INTEGER", "NOT NULL", "Order in which types are listed."),
        ]),
        TableSpec("age_band", kind: .reference, description: "Age bands used for children starting to be looked after (seeds/age_band.csv).", columns: [
            ColumnSpec("age_band_code", "TEXT", "PRIMARY KEY", "Age band code."),
            ColumnSpec("label", "TEXT", "NOT NULL", "Age band as published, e.g. '1 to 4'."),
            ColumnSpec("min_age", "INTEGER", "NOT NULL", "Youngest age in whole years, inclusive."),
            ColumnSpec("max_age", "INTEGER", "NOT NULL", "Oldest age in whole years, inclusive."),
            ColumnSpec("sort_order", "INTEGER", "NOT NULL", "Order in which bands are listed."),
        ]),
        TableSpec("codelist", kind: .reference, description: "Allowed values of coded input columns (seeds/codelist.csv): sex, ethnic_group, disability, legal_reason, destination, siblings_looked_after, living_with_siblings, separation_reason.", columns: [
            ColumnSpec("codelist", "TEXT", "NOT NULL", "Name of the coded column."),
            ColumnSpec("code", "TEXT", "NOT NULL", "Allowed value."),
            ColumnSpec("label", "TEXT", "NOT NULL", "Meaning in plain words."),
            ColumnSpec("sort_order", "INTEGER", "NOT NULL", "Order in which values are listed."),
        ], tableConstraints: ["PRIMARY KEY (codelist, code)"]),
        TableSpec("period", kind: .reference, description: "Periods (seeds/period.csv): reporting years (1 August to 31 July, snapshot on 31 July; ids like 2023-24), financial years (April to March; fy2023-24), academic years (August to July; ay2023-24) and calendar years (cy2023).", columns: [
            ColumnSpec("period_id", "TEXT", "PRIMARY KEY", "Period code, e.g. '2023-24'."),
            ColumnSpec("period_type", "TEXT", "NOT NULL", "reporting_year, financial_year, academic_year or calendar_year."),
            ColumnSpec("label", "TEXT", "NOT NULL", "Label for things counted during the period, e.g. '2023-24'."),
            ColumnSpec("start_date", "TEXT", "NOT NULL", "First day of the period (ISO date)."),
            ColumnSpec("end_date", "TEXT", "NOT NULL", "Last day of the period (ISO date)."),
            ColumnSpec("snapshot_date", "TEXT", "NOT NULL", "Date of the snapshot count (ISO date)."),
            ColumnSpec("snapshot_label", "TEXT", "NOT NULL", "Label for snapshot counts, e.g. '31 July 2024'."),
            ColumnSpec("sort_key", "INTEGER", "NOT NULL", "Sorts periods of one type in time order."),
        ], tableConstraints: ["UNIQUE (period_type, sort_key)"]),
        TableSpec("published_measure", kind: .reference, description: "Measures accepted in published aggregate files under quantitative/published/ (seeds/published_measure.csv).", columns: [
            ColumnSpec("measure", "TEXT", "PRIMARY KEY", "Measure code used in the files."),
            ColumnSpec("title", "TEXT", "NOT NULL", "What the measure is."),
            ColumnSpec("unit", "TEXT", "NOT NULL", "Unit of its values."),
            ColumnSpec("period_type", "TEXT", "NOT NULL", "Period type its periods must have."),
            ColumnSpec("publisher", "TEXT", "NOT NULL", "Who publishes it."),
            ColumnSpec("source", "TEXT", "NOT NULL", "The publication."),
            ColumnSpec("value_type", "TEXT", "NOT NULL CHECK (value_type IN ('count','percentage','rate_per_1000','mean','ratio'))", "What kind of number a value is: count (a whole number, 0 or more), percentage (0 to 100), rate_per_1000, mean or ratio (0 or more, up to maximum)."),
            ColumnSpec("maximum", "REAL", "NOT NULL", "The largest plausible value; a larger one is rejected as a likely error (100 for percentages)."),
        ]),
        TableSpec("population", kind: .reference, description: "Mid-year child population denominators by area (seeds/population.csv). The embedded figures are approximate, not National Records of Scotland estimates: see the source column.", columns: [
            ColumnSpec("geography_code", "TEXT", "NOT NULL REFERENCES geography(geography_code)", "Area."),
            ColumnSpec("year", "INTEGER", "NOT NULL", "Mid-year (30 June) of the estimate."),
            ColumnSpec("age_group", "TEXT", "NOT NULL CHECK (age_group IN ('0-17','0-15'))", "Ages covered."),
            ColumnSpec("population", "INTEGER", "NOT NULL CHECK (population > 0)", "Number of children."),
            ColumnSpec("source", "TEXT", "NOT NULL", "Where the figure comes from."),
        ], tableConstraints: ["PRIMARY KEY (geography_code, year, age_group)"]),
    ]

    // MARK: - Child-level tables

    /// Staging tables: the input files as read, every value text, before validation.
    public static var staging: [TableSpec] {
        InputContract.allFiles.map { file in
            TableSpec(file.stagingTable, kind: .staging, childLevel: true,
                      description: "\(file.fileName) as read by extract, every value as text. Dropped by load.",
                      columns: provenance + file.columns.map { ColumnSpec($0.name, "TEXT", "", $0.description) })
        }
    }

    /// Transformed tables: validated and normalised rows, before keys and indexes.
    public static var transformed: [TableSpec] {
        (clean + [publishedValues]).map { spec in
            TableSpec("xf_\(spec.name)", kind: .transformed, childLevel: true,
                      description: "Rows of \(spec.name) that passed row checks, before cross-row checks and keys. Dropped by load.",
                      columns: spec.columns.map { ColumnSpec($0.name, $0.type, "", $0.description) }
                          + [ColumnSpec("record", "TEXT", "NOT NULL", "The row as read, for rejected_row.record.")])
        }
    }

    public static let clean: [TableSpec] = [
        TableSpec("child", kind: .clean, childLevel: true, description: "One row per child (children.csv after validation). Restricted: never published.", columns: [
            ColumnSpec("child_id", "TEXT", "PRIMARY KEY", "Child identifier from the return."),
            ColumnSpec("la_code", "TEXT", "NOT NULL REFERENCES geography(geography_code)", "Council area (current GSS code) that returned the child."),
            ColumnSpec("date_of_birth", "TEXT", "NOT NULL", "Date of birth (ISO date)."),
            ColumnSpec("sex", "TEXT", "NOT NULL", "Code from codelist 'sex'."),
            ColumnSpec("ethnic_group", "TEXT", "NOT NULL", "Code from codelist 'ethnic_group'."),
            ColumnSpec("disability", "TEXT", "NOT NULL", "Code from codelist 'disability'."),
        ] + provenance),
        TableSpec("episode", kind: .clean, childLevel: true, description: "One row per episode of care (episodes.csv after validation). An episode open on a date means the child was looked after on that date.", columns: [
            ColumnSpec("episode_id", "TEXT", "PRIMARY KEY", "Episode identifier."),
            ColumnSpec("child_id", "TEXT", "NOT NULL REFERENCES child(child_id)", "Child."),
            ColumnSpec("la_code", "TEXT", "NOT NULL REFERENCES geography(geography_code)", "Council area responsible for the episode (current GSS code); indicators count children here."),
            ColumnSpec("start_date", "TEXT", "NOT NULL", "First day looked after (ISO date)."),
            ColumnSpec("end_date", "TEXT", "", "Day the child ceased to be looked after (ISO date); NULL while still looked after. A child whose episode ends on a snapshot date is not counted in that snapshot."),
            ColumnSpec("legal_reason", "TEXT", "NOT NULL", "Code from codelist 'legal_reason'."),
            ColumnSpec("destination", "TEXT", "", "Code from codelist 'destination' when the episode has ended; NULL while open."),
        ] + provenance, indexes: [
            "CREATE INDEX episode_child ON episode(child_id, start_date)",
            "CREATE INDEX episode_dates ON episode(start_date, end_date)",
        ]),
        TableSpec("placement", kind: .clean, childLevel: true, description: "One row per placement within an episode (placements.csv after validation). Placements of one episode do not overlap; one may start on the day the previous ends.", columns: [
            ColumnSpec("placement_id", "TEXT", "PRIMARY KEY", "Placement identifier."),
            ColumnSpec("episode_id", "TEXT", "NOT NULL REFERENCES episode(episode_id)", "Episode the placement belongs to."),
            ColumnSpec("start_date", "TEXT", "NOT NULL", "First day of the placement (ISO date)."),
            ColumnSpec("end_date", "TEXT", "", "Day the placement ended (ISO date); NULL while open."),
            ColumnSpec("placement_type", "TEXT", "NOT NULL REFERENCES placement_type(placement_type_code)", "Placement type code."),
            ColumnSpec("siblings_looked_after", "TEXT", "NOT NULL", "Code from codelist 'siblings_looked_after': does the child have a brother or sister also looked after."),
            ColumnSpec("living_with_siblings", "TEXT", "NOT NULL", "Code from codelist 'living_with_siblings': all, some, none or not_applicable."),
            ColumnSpec("separation_reason", "TEXT", "", "Code from codelist 'separation_reason' where the child lives apart from some or all siblings; NULL otherwise or when not given."),
        ] + provenance, indexes: [
            "CREATE INDEX placement_episode ON placement(episode_id, start_date)",
        ]),
    ]

    /// Published aggregate values (quantitative/published/*.csv after validation). Not child-level.
    public static let publishedValues = TableSpec("published_value", kind: .clean, description: "Published aggregate values from other statistics (quantitative/published/*.csv after validation), every vintage kept. The latest vintage of a value is the one shown; an earlier, different one makes it revised [r].", columns: [
        ColumnSpec("measure", "TEXT", "NOT NULL REFERENCES published_measure(measure)", "Measure code."),
        ColumnSpec("period", "TEXT", "NOT NULL REFERENCES period(period_id)", "Period id."),
        ColumnSpec("geography_code", "TEXT", "NOT NULL REFERENCES geography(geography_code)", "Scotland or a council area (current GSS code)."),
        ColumnSpec("breakdown", "TEXT", "NOT NULL", "total."),
        ColumnSpec("value", "REAL", "", "The published value; NULL where the source gives a marker instead."),
        ColumnSpec("marker", "TEXT", "", "The source's shorthand marker, if any."),
        ColumnSpec("vintage", "TEXT", "NOT NULL", "Publication date of this value (ISO date)."),
    ] + provenance, tableConstraints: ["PRIMARY KEY (measure, period, geography_code, breakdown, vintage)"])

    // MARK: - Analysis views (what indicator SQL is written against)

    public static let analysis: [TableSpec] = [
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
                  viewSQL: """
                  SELECT pe.period_id, pe.snapshot_date, e.child_id, e.episode_id, e.la_code, c.sex,
                         \(ageSQL(at: "pe.snapshot_date", dob: "c.date_of_birth")),
                         (SELECT ab.age_band_code FROM age_band ab WHERE \(ageSQL(at: "pe.snapshot_date", dob: "c.date_of_birth")) BETWEEN ab.min_age AND ab.max_age),
                         pl.placement_id, pl.placement_type, pt.placement_group, pt.setting, pt.location,
                         pl.siblings_looked_after, pl.living_with_siblings, pl.separation_reason
                  FROM period pe
                  JOIN episode e ON e.start_date <= pe.snapshot_date AND (e.end_date IS NULL OR e.end_date > pe.snapshot_date)
                  JOIN child c ON c.child_id = e.child_id
                  LEFT JOIN placement pl ON pl.episode_id = e.episode_id AND pl.start_date <= pe.snapshot_date
                       AND (pl.end_date IS NULL OR pl.end_date > pe.snapshot_date)
                  LEFT JOIN placement_type pt ON pt.placement_type_code = pl.placement_type
                  WHERE pe.period_type = 'reporting_year'
                  """, indexes: ["CREATE INDEX snapshot_placement_period ON snapshot_placement(period_id, la_code)"]),
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
                  viewSQL: """
                  SELECT pe.period_id, e.episode_id, e.child_id, e.la_code, e.start_date, c.sex,
                         \(ageSQL(at: "e.start_date", dob: "c.date_of_birth")),
                         (SELECT ab.age_band_code FROM age_band ab WHERE \(ageSQL(at: "e.start_date", dob: "c.date_of_birth")) BETWEEN ab.min_age AND ab.max_age),
                         e.legal_reason
                  FROM period pe
                  JOIN episode e ON e.start_date BETWEEN pe.start_date AND pe.end_date
                  JOIN child c ON c.child_id = e.child_id
                  WHERE pe.period_type = 'reporting_year'
                  """),
        TableSpec("period_stability", kind: .analysis, childLevel: true,
                  description: "Derived by load. One row per child looked after at any time during a period, with the number of placements that overlapped the period. The council area is that of the child's latest episode in the period.",
                  columns: [
                      ColumnSpec("period_id", "TEXT", "", "Period."),
                      ColumnSpec("child_id", "TEXT", "", "Child."),
                      ColumnSpec("la_code", "TEXT", "", "Council area of the child's latest episode in the period."),
                      ColumnSpec("placements", "INTEGER", "", "Placements (in any episode) open at some time during the period."),
                  ],
                  viewSQL: """
                  SELECT period_id, child_id, la_code, placements FROM (
                    -- One group per period and child: the council area of the latest episode (SQLite takes
                    -- bare columns from the row that gives MAX), and the placements of all its episodes.
                    SELECT pe.period_id, e.child_id, e.la_code, MAX(e.start_date || '|' || e.episode_id) AS latest,
                           SUM((SELECT COUNT(*) FROM placement pl WHERE pl.episode_id = e.episode_id AND pl.start_date <= pe.end_date
                                AND (pl.end_date IS NULL OR pl.end_date > pe.start_date))) AS placements
                    FROM period pe
                    JOIN episode e ON e.start_date <= pe.end_date AND (e.end_date IS NULL OR e.end_date > pe.start_date)
                    WHERE pe.period_type = 'reporting_year'
                    GROUP BY pe.period_id, e.child_id)
                  """),
    ]

    // MARK: - Indicators, quality and runs

    public static let indicatorValueColumns: [ColumnSpec] = [
        ColumnSpec("indicator_id", "TEXT", "NOT NULL REFERENCES indicator(indicator_id)", "Indicator."),
        ColumnSpec("period_id", "TEXT", "NOT NULL REFERENCES period(period_id)", "Period."),
        ColumnSpec("geography_code", "TEXT", "NOT NULL REFERENCES geography(geography_code)", "Area: Scotland (S92000003) or a council area. Scotland is the sum of the council areas."),
        ColumnSpec("breakdown_type", "TEXT", "NOT NULL", "What the value is broken down by: 'total' for the whole population, else age_band, sex or placement_type."),
        ColumnSpec("breakdown_code", "TEXT", "NOT NULL", "'total' on total rows (never NULL-means-all), else the category code."),
        ColumnSpec("numerator", "INTEGER", "", "Count of children (the number); for a mean, the sum of what is averaged; NULL when not available or suppressed."),
        ColumnSpec("denominator", "REAL", "", "Denominator of a percentage or rate; NULL for counts and when suppressed."),
        ColumnSpec("value", "REAL", "", "The indicator value in its unit (count, percentage 0-100, or rate per 1,000); NULL when not available or suppressed, see marker."),
        ColumnSpec("marker", "TEXT", "", "Analysis Function shorthand when value is NULL or qualified: [c] suppressed, [x] not available, [z] not applicable (e.g. zero denominator); NULL otherwise."),
        ColumnSpec("lower_95", "REAL", "", "Lower limit of the 95% confidence interval (random variation, see ci_method); NULL for counts."),
        ColumnSpec("upper_95", "REAL", "", "Upper limit of the 95% confidence interval."),
        ColumnSpec("lower_998", "REAL", "", "Lower limit of the 99.8% confidence interval."),
        ColumnSpec("upper_998", "REAL", "", "Upper limit of the 99.8% confidence interval."),
        ColumnSpec("ci_method", "TEXT", "", "Interval method: wilson (percentages), exact_poisson (rates, numerator below 10), byar (rates, numerator 10 or more), student_t (means); NULL for counts and published values. The counts are complete (every child), so intervals describe random variation in the processes behind them, not sampling error."),
        ColumnSpec("standard_deviation", "REAL", "", "Means only: the sample standard deviation of what is averaged, so the t interval can be recomputed from value, denominator and this: value +/- t(0.975, denominator - 1) * standard_deviation / sqrt(denominator)."),
        ColumnSpec("benchmark", "TEXT", "", "Council areas only: better, worse or similar than Scotland (higher, lower or similar where the indicator has no judgement); NULL for counts, Scotland and withheld values."),
        ColumnSpec("benchmark_method", "TEXT", "", "How benchmark was decided: the area's 95% interval (lower_95, upper_95) against Scotland's value in the same table."),
        ColumnSpec("rank", "INTEGER", "", "Rank among the council areas with a value in this table, 1 = highest value; ties share the lower rank."),
        ColumnSpec("quintile", "INTEGER", "", "Quintile of rank among those areas: 1 + floor(5 * (rank - 1) / number of areas); 1 = highest fifth."),
    ]

    public static let indicatorTables: [TableSpec] = [
        TableSpec("indicator", kind: .indicator, description: "Indicator definitions, one row per file under Indicators/.", columns: [
            ColumnSpec("indicator_id", "TEXT", "PRIMARY KEY", "Indicator id (the definition file's name)."),
            ColumnSpec("title", "TEXT", "NOT NULL", "Title as shown on dashboards."),
            ColumnSpec("short_title", "TEXT", "NOT NULL", "Short title for tables and charts."),
            ColumnSpec("short_definition", "TEXT", "NOT NULL", "What is measured, in one sentence."),
            ColumnSpec("definition", "TEXT", "NOT NULL", "What is measured, in full."),
            ColumnSpec("outcome", "TEXT", "NOT NULL", "The framework outcome the indicator gives evidence on."),
            ColumnSpec("foundation_id", "TEXT", "NOT NULL REFERENCES foundation(foundation_id)", "Foundation of The Promise."),
            ColumnSpec("vision_statement_id", "INTEGER", "NOT NULL REFERENCES vision_statement(vision_statement_id)", "Vision statement."),
            ColumnSpec("role", "TEXT", "NOT NULL CHECK (role IN ('core','contextual'))", "core (the measure itself) or contextual."),
            ColumnSpec("value_type", "TEXT", "NOT NULL CHECK (value_type IN ('count','percentage','rate_per_1000','mean','median','ratio'))", "count, percentage, rate_per_1000, mean, median or ratio (median and ratio for published values)."),
            ColumnSpec("value_source", "TEXT", "NOT NULL CHECK (value_source IN ('computed','published'))", "computed from child-level records, or published (taken from published_value)."),
            ColumnSpec("unit", "TEXT", "NOT NULL", "Unit in plain words."),
            ColumnSpec("polarity", "TEXT", "NOT NULL CHECK (polarity IN ('higher_is_better','lower_is_better','no_judgement'))", "Which direction is better, if any."),
            ColumnSpec("numerator_description", "TEXT", "NOT NULL", "Numerator in plain words."),
            ColumnSpec("numerator_sql", "TEXT", "NOT NULL", "SQL over documented tables returning period_id, geography_code, any breakdown columns and numerator, per council area."),
            ColumnSpec("denominator_description", "TEXT", "", "Denominator in plain words; NULL for counts."),
            ColumnSpec("denominator_sql", "TEXT", "", "SQL returning period_id, geography_code, any breakdown columns and denominator; NULL for counts."),
            ColumnSpec("breakdowns", "TEXT", "NOT NULL", "Comma-separated breakdowns offered besides the total ('' for none), for Scotland."),
            ColumnSpec("council_area_values", "INTEGER", "NOT NULL", "1 when values are published for each council area; 0 when for Scotland only (the definition says why)."),
            ColumnSpec("council_area_breakdowns", "TEXT", "NOT NULL", "Comma-separated breakdowns also published for each council area ('' for none: Scotland only, where numbers are large enough)."),
            ColumnSpec("source", "TEXT", "NOT NULL", "Source of the data."),
            ColumnSpec("period_type", "TEXT", "NOT NULL", "Period type of the values."),
            ColumnSpec("period_basis", "TEXT", "NOT NULL CHECK (period_basis IN ('snapshot','during_period'))", "snapshot (on the snapshot date) or during_period."),
            ColumnSpec("caveats", "TEXT", "NOT NULL", "Caveats a reader should know ('' for none)."),
            ColumnSpec("confidence_method", "TEXT", "NOT NULL", "wilson (percentages), poisson_exact_byar (rates), student_t (means) or none (counts and published values)."),
            ColumnSpec("frequency", "TEXT", "NOT NULL", "How often the indicator is updated: annual, quarterly or monthly."),
            ColumnSpec("publisher", "TEXT", "NOT NULL", "Who publishes the source."),
            ColumnSpec("last_updated", "TEXT", "NOT NULL", "When the definition or its source was last updated (ISO date)."),
            ColumnSpec("next_update_due", "TEXT", "NOT NULL", "When the next update is due (ISO date)."),
            ColumnSpec("headline_rule", "TEXT", "NOT NULL", "The direction_of_travel rule whose status is the headline: npf_change or linear_trend."),
            ColumnSpec("direction_threshold", "REAL", "NOT NULL", "For the npf_change rule: a change smaller than this between the last two periods is 'maintaining'."),
            ColumnSpec("direction_threshold_unit", "TEXT", "NOT NULL", "percentage_points or percent (relative change)."),
            ColumnSpec("definition_file", "TEXT", "NOT NULL", "Path of the definition file."),
            ColumnSpec("definition_sha256", "TEXT", "NOT NULL", "SHA-256 of the definition file used for this build."),
        ]),
        TableSpec("measure_population", kind: .indicator, description: "Which children each numerator and denominator counts (the definitions' counts: declarations), one row per allowed code. Measures with the same population and conditions count the same children; from these, the breakdowns and the council areas, every relation between published counts can be rebuilt.", columns: [
            ColumnSpec("indicator_id", "TEXT", "NOT NULL REFERENCES indicator(indicator_id)", "Indicator."),
            ColumnSpec("measure", "TEXT", "NOT NULL CHECK (measure IN ('numerator','denominator'))", "numerator or denominator."),
            ColumnSpec("population", "TEXT", "NOT NULL", "The population counted, e.g. looked_after_on_31_july."),
            ColumnSpec("overlapping", "INTEGER", "NOT NULL", "1 when one child can be counted in more than one council area or category (totals and Scotland are then distinct counts, at most the sum of their parts)."),
            ColumnSpec("attribute", "TEXT", "", "Attribute with a condition (placement conditions are given as placement_type codes); NULL when the whole population is counted."),
            ColumnSpec("code", "TEXT", "", "One allowed code of that attribute."),
        ]),
        TableSpec("indicator_value", kind: .indicator, description: "Every computed value BEFORE disclosure control: restricted, for analysts in government. Published figures are in published_indicator_value.",
                  columns: indicatorValueColumns,
                  tableConstraints: ["PRIMARY KEY (indicator_id, period_id, geography_code, breakdown_type, breakdown_code)"]),
        TableSpec("published_indicator_value", kind: .indicator, description: "Every value AFTER statistical disclosure control: exactly what dashboards, downloads and the public SQLite file show. Withheld numbers are NULL with marker [c]; why is in suppression_rule, which is kept here only (restricted).",
                  columns: indicatorValueColumns + [
                      ColumnSpec("suppression_rule", "TEXT", "", "Restricted: why a value is withheld, 'reason: which count': primary (a count from 1 to 4), group (inside a withheld total), secondary (the only other withheld count in a sum), protection (needed against linear programming over every published table); NULL when published."),
                  ],
                  tableConstraints: ["PRIMARY KEY (indicator_id, period_id, geography_code, breakdown_type, breakdown_code)"]),
        TableSpec("direction_of_travel", kind: .indicator, description: "Direction of travel of every indicator in Scotland and each council area, by two rules, with the inputs, statistic and threshold that produced it. Worked out from published values only, so anyone can reproduce it from the public file.", columns: [
            ColumnSpec("indicator_id", "TEXT", "NOT NULL REFERENCES indicator(indicator_id)", "Indicator."),
            ColumnSpec("geography_code", "TEXT", "NOT NULL REFERENCES geography(geography_code)", "Area."),
            ColumnSpec("rule", "TEXT", "NOT NULL", "npf_change: change between the last two periods against the indicator's direction_threshold; linear_trend: chi-squared test for linear trend over the latest five periods (Cochran-Armitage for percentages, Poisson score test for rates), scores 1 to 5, significant below p = 0.05."),
            ColumnSpec("status", "TEXT", "NOT NULL", "improving, worsening or maintaining; increasing or decreasing where the indicator has no judgement; cannot_be_calculated (see reason)."),
            ColumnSpec("reason", "TEXT", "", "Why the status cannot be calculated; NULL otherwise."),
            ColumnSpec("from_period", "TEXT", "", "First period used."),
            ColumnSpec("to_period", "TEXT", "", "Last period used."),
            ColumnSpec("points", "INTEGER", "NOT NULL", "Number of periods used."),
            ColumnSpec("inputs", "TEXT", "NOT NULL", "The inputs, 'period=value' (npf_change) or 'period=numerator/denominator' (linear_trend), joined by ';'."),
            ColumnSpec("statistic", "REAL", "", "npf_change: the change (percentage points or percent); linear_trend: the chi-squared statistic on 1 degree of freedom."),
            ColumnSpec("threshold", "REAL", "", "npf_change: the indicator's threshold; linear_trend: the significance level 0.05."),
            ColumnSpec("p_value", "REAL", "", "linear_trend only: the p-value of the statistic."),
            ColumnSpec("threshold_met", "INTEGER", "", "npf_change only: 1 when the change is at least the threshold, 0 when smaller."),
            ColumnSpec("significance_test", "TEXT", "", "npf_change only: test of the change between the two periods from published counts: two_proportion_z (percentages), poisson_rates_z (rates), poisson_counts_z (counts), welch_z (means); none when the counts are not published. In a council area a change is improving or worsening only when threshold_met = 1 and significance_p_value < 0.05."),
            ColumnSpec("significance_p_value", "REAL", "", "npf_change only: two-sided p-value of significance_test."),
        ], tableConstraints: ["PRIMARY KEY (indicator_id, geography_code, rule)"]),
        TableSpec("rejected_row", kind: .quality, description: "Every input row that was not loaded, one row per problem found, with where it came from and why. Nothing is dropped silently.", columns: [
            ColumnSpec("rejected_row_id", "INTEGER", "PRIMARY KEY", "Sequence number."),
            ColumnSpec("stage", "TEXT", "NOT NULL", "Stage that rejected the row: extract or transform."),
            ColumnSpec("source_file", "TEXT", "NOT NULL", "Input file."),
            ColumnSpec("source_line", "INTEGER", "NOT NULL", "1-based line on which the row starts."),
            ColumnSpec("column_name", "TEXT", "", "Field at fault, when one field is."),
            ColumnSpec("value", "TEXT", "", "The value found in that field."),
            ColumnSpec("rule", "TEXT", "NOT NULL", "Stable code of the check that failed: malformed_csv, unterminated_quote, control_character, wrong_field_count, missing_value, invalid_identifier, unknown_council_area, invalid_date, unknown_code, unknown_placement_type, invalid_number, out_of_range, end_before_start, destination_inconsistent, siblings_inconsistent, duplicate_id, orphan, before_birth, outside_episode or overlap."),
            ColumnSpec("reason", "TEXT", "NOT NULL", "What was expected and what was found."),
            ColumnSpec("record", "TEXT", "NOT NULL", "The whole row as read (fields joined by commas)."),
        ], indexes: ["CREATE INDEX rejected_row_source ON rejected_row(source_file, source_line)"]),
        TableSpec("run", kind: .run, description: "One row per build: when, outcome and totals. History is carried forward from the previous store.", columns: [
            ColumnSpec("run_id", "TEXT", "PRIMARY KEY", "Run identifier (UTC start time)."),
            ColumnSpec("started_at", "TEXT", "NOT NULL", "Start (ISO 8601, UTC)."),
            ColumnSpec("finished_at", "TEXT", "", "End (ISO 8601, UTC)."),
            ColumnSpec("status", "TEXT", "NOT NULL", "succeeded or failed (failed runs are also in out/run-log.jsonl)."),
            ColumnSpec("tool_version", "TEXT", "NOT NULL", "promise-progress version."),
            ColumnSpec("input_dir", "TEXT", "NOT NULL", "Input folder."),
            ColumnSpec("rows_read", "INTEGER", "", "Rows read from all input files."),
            ColumnSpec("rows_rejected", "INTEGER", "", "Distinct input rows rejected."),
            ColumnSpec("rows_loaded", "INTEGER", "", "Rows loaded into clean tables."),
            ColumnSpec("values_computed", "INTEGER", "", "Rows in indicator_value."),
            ColumnSpec("values_suppressed", "INTEGER", "", "Published values withheld ([c]) by disclosure control."),
            ColumnSpec("values_low_reliability", "INTEGER", "", "Published values marked [u]: a denominator below the low-reliability threshold."),
            ColumnSpec("cells_counted", "INTEGER", "", "Distinct counts (cells) the public outputs state or imply: numerators and denominators, one cell however many indicators state it."),
            ColumnSpec("cells_withheld_primary", "INTEGER", "", "Cells withheld because the count is from 1 to 4."),
            ColumnSpec("cells_withheld_group", "INTEGER", "", "Cells withheld because a total they lie inside is withheld (zeros included)."),
            ColumnSpec("cells_withheld_secondary", "INTEGER", "", "Cells withheld because a sum would otherwise have a single withheld member."),
            ColumnSpec("cells_withheld_protection", "INTEGER", "", "Cells withheld because linear programming over every published table could otherwise narrow a withheld count."),
            ColumnSpec("count_total", "INTEGER", "", "Sum of the counts in every cell."),
            ColumnSpec("count_withheld", "INTEGER", "", "Sum of the counts in withheld cells; count_withheld / count_total is the share of the count hidden."),
            ColumnSpec("disclosure_relations", "INTEGER", "", "Relations between cells derived from the definitions."),
            ColumnSpec("disclosure_linear_programs", "INTEGER", "", "Linear programmes solved to check every withheld count's provable range."),
            ColumnSpec("disclosure_seconds", "REAL", "", "Seconds spent choosing and checking what to withhold."),
            ColumnSpec("audit_findings", "INTEGER", "", "Problems the publication audit found in the public outputs (0 for every published run)."),
        ]),
        TableSpec("run_input", kind: .run, description: "Per run and input file: hash, rows read, rejected and loaded.", columns: [
            ColumnSpec("run_id", "TEXT", "NOT NULL REFERENCES run(run_id)", "Run."),
            ColumnSpec("source_file", "TEXT", "NOT NULL", "Input file."),
            ColumnSpec("sha256", "TEXT", "NOT NULL", "SHA-256 of the file's bytes."),
            ColumnSpec("bytes", "INTEGER", "NOT NULL", "File size."),
            ColumnSpec("rows_read", "INTEGER", "NOT NULL", "Data rows read (header excluded)."),
            ColumnSpec("rows_rejected", "INTEGER", "NOT NULL", "Distinct rows rejected."),
            ColumnSpec("rows_loaded", "INTEGER", "NOT NULL", "Rows loaded."),
        ], tableConstraints: ["PRIMARY KEY (run_id, source_file)"]),
        TableSpec("run_stage", kind: .run, description: "Per run and stage: duration and what it did.", columns: [
            ColumnSpec("run_id", "TEXT", "NOT NULL REFERENCES run(run_id)", "Run."),
            ColumnSpec("stage", "TEXT", "NOT NULL", "extract, transform, load, compute, disclosure or render."),
            ColumnSpec("started_at", "TEXT", "NOT NULL", "Start (ISO 8601, UTC)."),
            ColumnSpec("duration_ms", "INTEGER", "NOT NULL", "Wall-clock milliseconds."),
            ColumnSpec("summary", "TEXT", "NOT NULL", "What the stage did, in one line."),
        ], tableConstraints: ["PRIMARY KEY (run_id, stage)"]),
        TableSpec("run_note", kind: .run, description: "Notes a run made that are not errors, e.g. extra input columns that were ignored.", columns: [
            ColumnSpec("run_id", "TEXT", "NOT NULL", "Run."),
            ColumnSpec("stage", "TEXT", "NOT NULL", "Stage."),
            ColumnSpec("source_file", "TEXT", "", "File concerned, if any."),
            ColumnSpec("message", "TEXT", "NOT NULL", "The note."),
        ]),
    ]

    public static let dictionary: [TableSpec] = [
        TableSpec("data_dictionary_table", kind: .dictionary, description: "Every table and view in this file, with what it holds.", columns: [
            ColumnSpec("table_name", "TEXT", "PRIMARY KEY", "Table or view."),
            ColumnSpec("table_kind", "TEXT", "NOT NULL", "reference, clean, analysis, indicator, quality, run or dictionary."),
            ColumnSpec("is_view", "INTEGER", "NOT NULL", "1 for a view."),
            ColumnSpec("child_level", "INTEGER", "NOT NULL", "1 where rows describe individual children (restricted)."),
            ColumnSpec("description", "TEXT", "NOT NULL", "What the table holds."),
        ]),
        TableSpec("data_dictionary", kind: .dictionary, description: "Every column of every table and view in this file.", columns: [
            ColumnSpec("table_name", "TEXT", "NOT NULL", "Table or view."),
            ColumnSpec("column_name", "TEXT", "NOT NULL", "Column."),
            ColumnSpec("position", "INTEGER", "NOT NULL", "1-based position."),
            ColumnSpec("data_type", "TEXT", "NOT NULL", "SQLite type."),
            ColumnSpec("description", "TEXT", "NOT NULL", "What the column holds."),
        ], tableConstraints: ["PRIMARY KEY (table_name, column_name)"]),
    ]

    /// Tables of the finished restricted store, in creation order (staging and transformed tables are dropped by load).
    public static var finished: [TableSpec] {
        reference + clean + [publishedValues] + analysis + indicatorTables + dictionary
    }
}
