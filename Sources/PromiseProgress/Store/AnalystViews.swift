import Foundation
import GRDB

/// Views for the questions analysts ask most, in both the restricted store and the public file,
/// with the indexes that serve them. Their names and columns are part of the stable schema
/// (``schemaVersion``): a change to them is a new version, noted in the README.
public enum AnalystViews {
    /// `PRAGMA user_version` of both SQLite files. 1: versioned stores, with these views. 2: the
    /// revisions policy (run.cells_withheld_revision, run.values_held_for_revision, held_revision,
    /// published_answer_distribution) and survey_response_band.
    public static let schemaVersion = 2

    static let periodLabel = "CASE i.period_basis WHEN 'snapshot' THEN p.snapshot_label ELSE p.label END"

    public static let specs: [TableSpec] = [
        TableSpec("latest_value", kind: .indicator,
                  description: "The latest value of every indicator for every area (whole population, no breakdown): the latest period with a value or a withheld value ([c]) for that area. Example: SELECT * FROM latest_value WHERE geography_code = 'S92000003'.",
                  columns: [
                    ColumnSpec("indicator_id", "TEXT", "", "Indicator."),
                    ColumnSpec("title", "TEXT", "", "Indicator title."),
                    ColumnSpec("foundation_id", "TEXT", "", "Foundation the indicator belongs to."),
                    ColumnSpec("geography_code", "TEXT", "", "Area code (S92000003 is Scotland)."),
                    ColumnSpec("geography_name", "TEXT", "", "Area name."),
                    ColumnSpec("period_id", "TEXT", "", "Latest period with a value for this indicator and area."),
                    ColumnSpec("period_label", "TEXT", "", "The period in words (the snapshot date for snapshot indicators)."),
                    ColumnSpec("numerator", "INTEGER", "", "Numerator; NULL when withheld."),
                    ColumnSpec("denominator", "REAL", "", "Denominator; NULL when withheld."),
                    ColumnSpec("value", "REAL", "", "Value in the indicator's unit; NULL when withheld or not available."),
                    ColumnSpec("marker", "TEXT", "", "Shorthand marker ([c] withheld, [u] low reliability, [r] revised...)."),
                    ColumnSpec("lower_95", "REAL", "", "Lower limit of the 95% confidence interval."),
                    ColumnSpec("upper_95", "REAL", "", "Upper limit of the 95% confidence interval."),
                    ColumnSpec("benchmark", "TEXT", "", "Against Scotland: better, worse, similar, higher or lower; NULL for Scotland or when not compared."),
                  ],
                  viewSQL: """
                    SELECT v.indicator_id, i.title, i.foundation_id, v.geography_code, g.name, v.period_id, \(periodLabel),
                           v.numerator, v.denominator, v.value, v.marker, v.lower_95, v.upper_95, v.benchmark
                    FROM indicator_value v
                    JOIN indicator i ON i.indicator_id = v.indicator_id
                    JOIN geography g ON g.geography_code = v.geography_code
                    JOIN period p ON p.period_id = v.period_id
                    WHERE v.breakdown_type = 'total' AND v.breakdown_code = 'total'
                      AND p.sort_key = (SELECT MAX(p2.sort_key) FROM indicator_value v2 JOIN period p2 ON p2.period_id = v2.period_id
                                        WHERE v2.indicator_id = v.indicator_id AND v2.geography_code = v.geography_code
                                          AND v2.breakdown_type = 'total' AND v2.breakdown_code = 'total'
                                          AND (v2.value IS NOT NULL OR v2.marker = '[c]'))
                    """),
        TableSpec("area_profile", kind: .indicator,
                  description: "One council area's picture against Scotland: every indicator's latest value for the area beside Scotland's for the same period, and the comparison. Example: SELECT * FROM area_profile WHERE geography_code = 'S12000005'.",
                  columns: [
                    ColumnSpec("geography_code", "TEXT", "", "Council area code."),
                    ColumnSpec("geography_name", "TEXT", "", "Council area name."),
                    ColumnSpec("indicator_id", "TEXT", "", "Indicator."),
                    ColumnSpec("title", "TEXT", "", "Indicator title."),
                    ColumnSpec("foundation_id", "TEXT", "", "Foundation."),
                    ColumnSpec("period_id", "TEXT", "", "The area's latest period with a value."),
                    ColumnSpec("period_label", "TEXT", "", "The period in words."),
                    ColumnSpec("value", "REAL", "", "The area's value; NULL when withheld or not available."),
                    ColumnSpec("marker", "TEXT", "", "The area's marker."),
                    ColumnSpec("lower_95", "REAL", "", "Lower limit of the area's 95% confidence interval."),
                    ColumnSpec("upper_95", "REAL", "", "Upper limit of the area's 95% confidence interval."),
                    ColumnSpec("scotland_value", "REAL", "", "Scotland's value for the same period; NULL when withheld."),
                    ColumnSpec("scotland_marker", "TEXT", "", "Scotland's marker for the same period."),
                    ColumnSpec("benchmark", "TEXT", "", "Better, worse, similar, higher or lower than Scotland (95% intervals); NULL when not compared."),
                    ColumnSpec("polarity", "TEXT", "", "Whether higher or lower is better."),
                  ],
                  viewSQL: """
                    SELECT a.geography_code, a.geography_name, a.indicator_id, a.title, a.foundation_id, a.period_id, a.period_label,
                           a.value, a.marker, a.lower_95, a.upper_95, s.value, s.marker, a.benchmark, i.polarity
                    FROM latest_value a
                    JOIN indicator i ON i.indicator_id = a.indicator_id
                    LEFT JOIN indicator_value s ON s.indicator_id = a.indicator_id AND s.period_id = a.period_id AND s.geography_code = 'S92000003'
                         AND s.breakdown_type = 'total' AND s.breakdown_code = 'total'
                    WHERE a.geography_code <> 'S92000003'
                    """),
        TableSpec("foundation_headline", kind: .indicator,
                  description: "Each foundation's headline: every indicator's latest value for Scotland and its headline direction of travel, with the test behind it. Example: SELECT * FROM foundation_headline WHERE foundation_id = 'care'.",
                  columns: [
                    ColumnSpec("foundation_id", "TEXT", "", "Foundation."),
                    ColumnSpec("foundation_name", "TEXT", "", "Foundation name."),
                    ColumnSpec("indicator_id", "TEXT", "", "Indicator."),
                    ColumnSpec("title", "TEXT", "", "Indicator title."),
                    ColumnSpec("role", "TEXT", "", "core or contextual."),
                    ColumnSpec("evidence", "TEXT", "", "quantitative, experiential or qualitative."),
                    ColumnSpec("period_id", "TEXT", "", "Latest period with a value for Scotland."),
                    ColumnSpec("period_label", "TEXT", "", "The period in words."),
                    ColumnSpec("value", "REAL", "", "Scotland's latest value; NULL when withheld."),
                    ColumnSpec("marker", "TEXT", "", "Scotland's marker."),
                    ColumnSpec("direction", "TEXT", "", "Headline direction of travel: improving, maintaining, worsening, increasing, decreasing or cannot_be_calculated."),
                    ColumnSpec("p_value", "REAL", "", "p-value of the change's significance test, where one was made."),
                    ColumnSpec("from_period", "TEXT", "", "Period the change is measured from."),
                    ColumnSpec("to_period", "TEXT", "", "Period the change is measured to."),
                  ],
                  viewSQL: """
                    SELECT f.foundation_id, f.name, i.indicator_id, i.title, i.role, i.evidence, l.period_id, l.period_label, l.value, l.marker,
                           d.status, COALESCE(d.p_value, d.significance_p_value), d.from_period, d.to_period
                    FROM foundation f
                    JOIN indicator i ON i.foundation_id = f.foundation_id
                    LEFT JOIN latest_value l ON l.indicator_id = i.indicator_id AND l.geography_code = 'S92000003'
                    LEFT JOIN direction_of_travel d ON d.indicator_id = i.indicator_id AND d.geography_code = 'S92000003' AND d.rule = i.headline_rule
                    ORDER BY f.sort_order, i.indicator_id
                    """),
        TableSpec("indicator_series", kind: .indicator,
                  description: "The time series of every indicator for every area and breakdown, in period order. Example: SELECT period_label, value, lower_95, upper_95, marker FROM indicator_series WHERE indicator_id = 'residential' AND geography_code = 'S92000003' AND breakdown_type = 'total' ORDER BY sort_key.",
                  columns: [
                    ColumnSpec("indicator_id", "TEXT", "", "Indicator."),
                    ColumnSpec("geography_code", "TEXT", "", "Area code."),
                    ColumnSpec("geography_name", "TEXT", "", "Area name."),
                    ColumnSpec("breakdown_type", "TEXT", "", "total, sex, age_band, placement_type, age_group or foundation."),
                    ColumnSpec("breakdown_code", "TEXT", "", "The category (total for the whole population)."),
                    ColumnSpec("period_id", "TEXT", "", "Period."),
                    ColumnSpec("period_label", "TEXT", "", "The period in words."),
                    ColumnSpec("sort_key", "INTEGER", "", "Orders the periods of one indicator in time."),
                    ColumnSpec("numerator", "INTEGER", "", "Numerator; NULL when withheld."),
                    ColumnSpec("denominator", "REAL", "", "Denominator; NULL when withheld."),
                    ColumnSpec("value", "REAL", "", "Value; NULL when withheld or not available."),
                    ColumnSpec("marker", "TEXT", "", "Shorthand marker."),
                    ColumnSpec("lower_95", "REAL", "", "Lower limit of the 95% confidence interval."),
                    ColumnSpec("upper_95", "REAL", "", "Upper limit of the 95% confidence interval."),
                  ],
                  viewSQL: """
                    SELECT v.indicator_id, v.geography_code, g.name, v.breakdown_type, v.breakdown_code, v.period_id, \(periodLabel), p.sort_key,
                           v.numerator, v.denominator, v.value, v.marker, v.lower_95, v.upper_95
                    FROM indicator_value v
                    JOIN indicator i ON i.indicator_id = v.indicator_id
                    JOIN geography g ON g.geography_code = v.geography_code
                    JOIN period p ON p.period_id = v.period_id
                    """),
    ]

    /// Indexes the views need beyond the tables' keys: the latest period per indicator and area,
    /// and an area's values across indicators.
    public static let indexes = [
        "CREATE INDEX IF NOT EXISTS indicator_value_by_area ON indicator_value (indicator_id, geography_code, breakdown_type, breakdown_code, period_id)",
        "CREATE INDEX IF NOT EXISTS indicator_value_area_first ON indicator_value (geography_code, breakdown_type, breakdown_code, indicator_id)",
    ]

    /// Creates the views and indexes and stamps the schema version.
    public static func install(in db: Database) throws {
        for spec in specs.reversed() { try db.execute(sql: "DROP VIEW IF EXISTS \(spec.name)") }
        for spec in specs { try db.execute(sql: spec.createSQL) }
        for index in indexes { try db.execute(sql: index) }
        try db.execute(sql: "PRAGMA user_version = \(schemaVersion)")
    }
}
