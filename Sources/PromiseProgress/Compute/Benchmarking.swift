/// Compares each council area with Scotland and ranks the areas (README, "Benchmarking and direction of travel"). Pure.
///
/// The call: the area's 95% interval against Scotland's point value. Wholly above is *higher*,
/// wholly below is *lower*, otherwise *similar*; the indicator's polarity turns higher and lower
/// into *better* and *worse*. Ranks (1 = highest value, ties share the lower rank) and quintiles
/// (1 = highest fifth) are among the council areas with a value, so a suppressed area leaves no trace.
public enum Benchmarking {
    public static let method = "95% confidence interval of the area compared with Scotland's value"

    public static func call(lower: Double, upper: Double, scotland: Double, polarity: IndicatorDefinition.Polarity) -> String {
        let side = lower > scotland ? 1 : upper < scotland ? -1 : 0
        switch (side, polarity) {
        case (0, _): return "similar"
        case (1, .higherIsBetter), (-1, .lowerIsBetter): return "better"
        case (-1, .higherIsBetter), (1, .lowerIsBetter): return "worse"
        default: return side > 0 ? "higher" : "lower"
        }
    }

    /// Fills benchmark, rank and quintile on council-area rows of percentages and rates.
    public static func apply(_ values: [IndicatorValue], definitions: [IndicatorDefinition], scotland: String = "S92000003") -> [IndicatorValue] {
        let polarity = Dictionary(uniqueKeysWithValues: definitions.map { ($0.id, $0) })
        struct Group: Hashable { var indicator, period, type, code: String }
        // Worked out afresh: a benchmark against a Scotland value that is withheld would bracket it.
        var result = values.map { value in
            var cleared = value
            (cleared.benchmark, cleared.benchmarkMethod, cleared.rank, cleared.quintile) = (nil, nil, nil, nil)
            return cleared
        }
        let groups = Dictionary(grouping: result.indices) {
            Group(indicator: result[$0].indicatorID, period: result[$0].key.period, type: result[$0].key.breakdownType, code: result[$0].key.breakdownCode)
        }
        for (group, indices) in groups {
            guard let definition = polarity[group.indicator], definition.valueType != .count else { continue }
            let scotlandValue = indices.first { result[$0].key.geography == scotland }.flatMap { result[$0].value }
            let areas = indices.filter { result[$0].key.geography != scotland && result[$0].value != nil }
            let sorted = areas.map { result[$0].value! }.sorted(by: >)
            for index in areas {
                let value = result[index].value!
                let rank = (sorted.firstIndex(of: value) ?? 0) + 1
                result[index].rank = rank
                result[index].quintile = 1 + (5 * (rank - 1)) / sorted.count
                if let scotlandValue, let lower = result[index].lower95, let upper = result[index].upper95 {
                    result[index].benchmark = call(lower: lower, upper: upper, scotland: scotlandValue, polarity: definition.polarity)
                    result[index].benchmarkMethod = method
                }
            }
        }
        return result
    }
}
