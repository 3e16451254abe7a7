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

    /// Rounded half away from zero to `places` decimals, with thousands separators: "1,234.5".
    /// Integer arithmetic on the scaled value, so no binary fraction leaks into the digits.
    public static func decimal(_ value: Double, places: Int = 1) -> String {
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((abs(value) * Double(scale)).rounded())
        var text = (value < 0 && scaled > 0 ? "-" : "") + count(scaled / scale)
        if places > 0 {
            let fraction = String(scaled % scale)
            text += "." + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return text
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
