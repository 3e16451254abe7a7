/// A line chart of one series as inline SVG: no scripts, no external assets. Missing or
/// suppressed points leave a gap in the line (never a zero). 95% intervals are drawn as bars.
public struct TrendChart {
    public struct Point {
        public var label: String
        public var value: Double?
        public var lower: Double?
        public var upper: Double?

        public init(label: String, value: Double?, lower: Double? = nil, upper: Double? = nil) {
            self.label = label
            self.value = value
            self.lower = lower
            self.upper = upper
        }
    }

    public var title: String
    public var description: String
    public var points: [Point]
    public var valueType: IndicatorDefinition.ValueType
    public var id: String

    let width = 640.0, height = 300.0
    let left = 64.0, right = 40.0, top = 16.0, bottom = 48.0

    public init(id: String, title: String, description: String, points: [Point], valueType: IndicatorDefinition.ValueType) {
        self.id = id
        self.title = title
        self.description = description
        self.points = points
        self.valueType = valueType
    }

    /// A round step for about four gridlines: 1, 2, 2.5 or 5 times a power of ten.
    static func niceStep(_ maximum: Double) -> Double {
        guard maximum > 0 else { return 1 }
        let raw = maximum / 4
        let magnitude = pow(10, log10(raw).rounded(.down))
        for step in [1.0, 2.0, 2.5, 5.0, 10.0] where step * magnitude >= raw { return step * magnitude }
        return 10 * magnitude
    }

    public var svg: String {
        let highest = points.compactMap { $0.upper ?? $0.value }.max() ?? 0
        let step = Self.niceStep(highest * 1.05)
        let ticks = max(1, Int((highest * 1.05 / step).rounded(.up)))
        let yMax = step * Double(ticks)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let spacing = points.count > 1 ? plotWidth / Double(points.count - 1) : 0
        func x(_ index: Int) -> Double { points.count > 1 ? left + Double(index) * spacing : left + plotWidth / 2 }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - value / yMax) }
        func fmt(_ number: Double) -> String { String(format: "%.1f", number) }

        var parts: [String] = []
        parts.append(#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-labelledby="\#(id)-title \#(id)-desc">"#)
        parts.append("<title id=\"\(id)-title\">\(escape(title))</title>")
        parts.append("<desc id=\"\(id)-desc\">\(escape(description))</desc>")
        let wholeSteps = step == step.rounded()
        for tick in 0...ticks {
            let value = step * Double(tick)
            let label = valueType == .count || wholeSteps
                ? Formatting.count(Int(value.rounded())) + (valueType == .percentage ? "%" : "")
                : Formatting.value(value, type: valueType)
            parts.append(#"<line class="grid" x1="\#(fmt(left))" x2="\#(fmt(width - right))" y1="\#(fmt(y(value)))" y2="\#(fmt(y(value)))"/>"#)
            parts.append(#"<text class="axis" x="\#(fmt(left - 8))" y="\#(fmt(y(value) + 4))" text-anchor="end">\#(escape(label))</text>"#)
        }
        for (index, point) in points.enumerated() {
            parts.append(#"<text class="axis" x="\#(fmt(x(index)))" y="\#(fmt(height - bottom + 20))" text-anchor="middle">\#(escape(point.label))</text>"#)
        }
        // Line segments through consecutive points that have values.
        var segment: [String] = []
        func flush() {
            if segment.count > 1 { parts.append(#"<polyline class="line" points="\#(segment.joined(separator: " "))"/>"#) }
            segment = []
        }
        for (index, point) in points.enumerated() {
            if let value = point.value { segment.append("\(fmt(x(index))),\(fmt(y(value)))") } else { flush() }
        }
        flush()
        for (index, point) in points.enumerated() {
            if let lower = point.lower, let upper = point.upper {
                parts.append(#"<line class="ci" x1="\#(fmt(x(index)))" x2="\#(fmt(x(index)))" y1="\#(fmt(y(lower)))" y2="\#(fmt(y(upper)))"/>"#)
            }
            if let value = point.value {
                parts.append(#"<circle class="point" cx="\#(fmt(x(index)))" cy="\#(fmt(y(value)))" r="4"/>"#)
            } else {
                parts.append(#"<text class="gap" x="\#(fmt(x(index)))" y="\#(fmt(top + plotHeight - 6))" text-anchor="middle">no value</text>"#)
            }
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
