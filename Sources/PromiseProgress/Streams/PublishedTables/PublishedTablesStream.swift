import Foundation

/// Values other statistics already publish (secure care, child protection, the Children's Reporter,
/// aftercare, restraint, education, workforce): one tidy CSV per source.
extension DataStream {
    public static let publishedTables = DataStream(
        id: "published_tables",
        title: "Published aggregate values",
        summary: """
        Many streams exist only as published tables (secure care, child protection, the Children's
        Reporter, aftercare, restraint, education, workforce). Each source is one tidy CSV under
        `quantitative/published/` (any file name ending `.csv`, read in name order; the folder is optional).
        Unit of disclosure: none of ours; these values are already public, under their publisher's own control.
        """,
        unitOfDisclosure: .publishedAggregates,
        files: [PublishedTablesStream.values],
        notes: """
        Each measure's kind of number and largest plausible value are in `seeds/published_measure.csv`
        (`value_type`, `maximum`): a count must be a whole number of 0 or more, a percentage from 0 to 100,
        a rate, mean or ratio from 0 to its maximum; anything else is `out_of_range` (`invalid_number` when it
        is not a plain decimal: `0x1p6`, `1e300`).

        A value published again with a later vintage is a revision: both rows are kept in
        `published_value`; indicators show the newest and mark it `[r]` when it differs from an earlier one.
        The same measure, period, area and vintage twice is a `duplicate_id` rejection (the first is kept).
        Published values carry no numerators, so they have no confidence intervals and no trend test;
        their direction of travel uses the change between the last two periods.
        """)
}

/// The file of ``DataStream/publishedTables``.
public enum PublishedTablesStream {
    public static let values = StreamFile(
        location: .folder("quantitative/published"),
        required: false,
        table: "published_value",
        description: "Published aggregate values from other statistics (quantitative/published/*.csv after validation), every vintage kept. The latest vintage of a value is the one shown; an earlier, different one makes it revised [r]. (measure, period, geography_code, breakdown, vintage) is unique (index published_value_key).",
        columns: [
            InputColumn("measure", .publishedMeasure, "what the value is; the seed gives its unit, period type, publisher and source", sql: "NOT NULL REFERENCES published_measure(measure)", "Measure code."),
            InputColumn("period", .period, "e.g. `2023-24` (reporting year), `fy2023-24` (financial year), `ay2023-24` (academic year), `cy2023` (calendar year)", constraint: "of the measure's period type", sql: "NOT NULL REFERENCES period(period_id)", "Period id."),
            InputColumn("geography_code", .area, "where", sql: "NOT NULL REFERENCES geography(geography_code)", "Scotland or a council area (current GSS code)."),
            InputColumn("breakdown", .breakdown, "breakdowns of published values are not accepted yet", sql: "NOT NULL", "total."),
            InputColumn("value", .optionalNumber, "the published value in the measure's unit", constraint: "within the measure's range", type: "REAL", sql: "", "The published value; NULL where the source gives a marker instead."),
            InputColumn("marker", .optionalMarker, "the source's own marker", sql: "", "The source's shorthand marker, if any."),
            InputColumn("vintage", .date, "the publication date of this value", sql: "NOT NULL", "Publication date of this value (ISO date)."),
        ],
        key: ["measure", "period", "geography_code", "breakdown", "vintage"],
        rowRules: [
            RowRule("A measure's periods are of its period type (seeds/published_measure.csv).") { row, reference in
                guard let measure = row["measure"], let period = row["period"], let expected = reference.measures[measure], reference.periods[period] != expected else { return [] }
                return [FieldProblem(column: "period", value: period, rule: "unknown_code",
                                     reason: "measure \(measure) is reported by \(expected.replacingOccurrences(of: "_", with: " ")), found period \(period) (\(reference.periods[period]?.replacingOccurrences(of: "_", with: " ") ?? "unknown"))")]
            },
            RowRule("A value is in its measure's range: counts whole and 0 or more, percentages 0 to 100, others 0 to the measure's maximum.") { row, reference in
                guard let measure = row["measure"], let text = row["value"], RecordValidator.isPlainDecimal(text), let range = reference.measureRanges[measure] else { return [] }
                // Judged on the decimal text, not on a Double: 100.00000000000000001 is above 100, and
                // 5.0000000000000000001 is no whole number, though both round to one.
                let negative = RecordValidator.compareDecimal(text, "0") < 0
                let fraction = text.split(separator: ".", maxSplits: 1).dropFirst().first ?? ""
                var problem: String?
                switch range.valueType {
                case "count" where negative || fraction.contains { $0 != "0" }:
                    problem = "expected a count (a whole number, 0 or more)"
                case "percentage" where negative || RecordValidator.compareDecimal(text, "100") > 0:
                    problem = "expected a percentage from 0 to 100"
                case _ where negative || RecordValidator.compareDecimal(text, String(format: "%.6f", range.maximum)) > 0:
                    problem = "expected a \(range.valueType.replacingOccurrences(of: "_", with: " ")) from 0 to \(Formatting.decimal(range.maximum, places: 0)) (the largest plausible value, seeds/published_measure.csv)"
                default: break
                }
                guard let problem else { return [] }
                return [FieldProblem(column: "value", value: text, rule: "out_of_range", reason: "\(problem) for \(measure), found \(text)")]
            },
            RowRule("A row has a value, or a marker saying why there is none.") { row, _ in
                guard row["value"] == nil, row["marker"] == nil else { return [] }
                return [FieldProblem(column: "value", value: "", rule: "missing_value", reason: "expected a value, or a marker saying why there is none; found neither")]
            },
        ])
}
