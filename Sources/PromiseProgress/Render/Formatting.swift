import Foundation

/// How numbers appear on pages: thousands separators, one decimal place for percentages and rates.
public enum Formatting {
    public static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var grouped = ""
        for (index, character) in digits.reversed().enumerated() {
            if index > 0 && index % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (value < 0 ? "-" : "") + String(grouped.reversed())
    }

    public static func decimal(_ value: Double, places: Int = 1) -> String {
        let rounded = (value * pow(10, Double(places))).rounded() / pow(10, Double(places))
        let whole = Int(rounded.rounded(.towardZero))
        let fraction = String(format: "%.\(places)f", abs(rounded - Double(whole))).dropFirst(1)
        return (rounded < 0 && whole == 0 ? "-" : "") + count(whole) + fraction
    }

    /// A value in its unit: "11,709", "18.9%" or "11.6".
    public static func value(_ value: Double, type: IndicatorDefinition.ValueType) -> String {
        switch type {
        case .count: count(Int(value.rounded()))
        case .percentage: decimal(value) + "%"
        case .ratePer1000, .mean, .median: decimal(value)
        case .ratio: decimal(value, places: 2)
        }
    }

    /// A number as the CSV downloads write it: whole numbers without a point, others to 6 significant figures.
    public static func plain(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(format: "%.6g", number)
    }

    /// "18.2% to 19.6%".
    public static func interval(_ lower: Double?, _ upper: Double?, type: IndicatorDefinition.ValueType) -> String {
        guard let lower, let upper else { return "" }
        return "\(value(lower, type: type)) to \(value(upper, type: type))"
    }
}
