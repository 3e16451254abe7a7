/// A line chart of one series as inline SVG: no scripts, no external assets. Missing or
/// suppressed points leave a gap in the line and the band (never a zero), marked "no value". The 95%
/// interval is a shaded band with a bar at each point; a break in the series ([b]) is a dashed
/// vertical line, labelled, and the line is not drawn across it; a target is a dashed horizontal
/// line, labelled. Nothing depends on colour: lines differ by dash and every mark has a label.
public struct TrendChart {
    public struct Point {
        public var label: String
        public var value: Double?
        public var lower: Double?
        public var upper: Double?
        /// The series changed before this point ([b]): not comparable with the points before it.
        public var isBreak: Bool

        public init(label: String, value: Double?, lower: Double? = nil, upper: Double? = nil, isBreak: Bool = false) {
            self.label = label
            self.value = value
            self.lower = lower
            self.upper = upper
            self.isBreak = isBreak
        }
    }

    public var title: String
    public var description: String
    public var points: [Point]
    public var valueType: IndicatorDefinition.ValueType
    public var id: String
    /// A target from the definition, drawn as a labelled line.
    public var target: (value: Double, label: String)?

    let width = 640.0, height = 300.0
    let left = 64.0, right = 40.0, top = 16.0, bottom = 48.0

    public init(id: String, title: String, description: String, points: [Point], valueType: IndicatorDefinition.ValueType, target: (value: Double, label: String)? = nil) {
        self.id = id
        self.target = target
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

    /// The vertical axis: from 0, unless every value lies far above it; then from a round number below
    /// the lowest interval, so the band and the change are visible (``startsAboveZero`` says so in words).
    var axis: (low: Double, high: Double, step: Double) {
        let highs = points.compactMap { $0.upper ?? $0.value } + [target?.value].compactMap { $0 }
        let lows = points.compactMap { $0.lower ?? $0.value } + [target?.value].compactMap { $0 }
        let highest = highs.max() ?? 0, lowest = lows.min() ?? 0
        guard lowest > 0.4 * highest, highest > lowest else {
            let step = Self.niceStep(highest * 1.05)
            return (0, step * max(1, (highest * 1.05 / step).rounded(.up)), step)
        }
        let step = Self.niceStep((highest - lowest) * 1.3)
        let low = ((lowest - (highest - lowest) * 0.15) / step).rounded(.down) * step
        let high = ((highest + (highest - lowest) * 0.15) / step).rounded(.up) * step
        return (max(0, low), high, step)
    }

    /// True when the vertical axis does not start at zero.
    public var startsAboveZero: Bool { axis.low > 0 }

    public var svg: String {
        let (yMin, yMax, step) = axis
        let ticks = max(1, Int(((yMax - yMin) / step).rounded()))
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let spacing = points.count > 1 ? plotWidth / Double(points.count - 1) : 0
        func x(_ index: Int) -> Double { points.count > 1 ? left + Double(index) * spacing : left + plotWidth / 2 }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - (value - yMin) / (yMax - yMin)) }
        func fmt(_ number: Double) -> String { String(format: "%.1f", number) }

        var parts: [String] = []
        parts.append(#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-labelledby="\#(id)-title \#(id)-desc">"#)
        parts.append("<title id=\"\(id)-title\">\(escape(title))</title>")
        parts.append("<desc id=\"\(id)-desc\">\(escape(description))</desc>")
        let wholeSteps = step == step.rounded()
        for tick in 0...ticks {
            let value = yMin + step * Double(tick)
            let label = valueType == .count || wholeSteps
                ? Formatting.count(Int(value.rounded())) + (valueType == .percentage ? "%" : "")
                : Formatting.value(value, type: valueType)
            parts.append(#"<line class="grid" x1="\#(fmt(left))" x2="\#(fmt(width - right))" y1="\#(fmt(y(value)))" y2="\#(fmt(y(value)))"/>"#)
            parts.append(#"<text class="axis" x="\#(fmt(left - 8))" y="\#(fmt(y(value) + 4))" text-anchor="end">\#(escape(label))</text>"#)
        }
        for (index, point) in points.enumerated() {
            parts.append(#"<text class="axis" x="\#(fmt(x(index)))" y="\#(fmt(height - bottom + 20))" text-anchor="middle">\#(escape(point.label))</text>"#)
        }
        // The 95% band: one polygon per run of consecutive points with intervals (a gap or a break ends it).
        var band: [Int] = []
        func flushBand() {
            if band.count > 1 {
                let upper = band.map { "\(fmt(x($0))),\(fmt(y(points[$0].upper!)))" }
                let lower = band.reversed().map { "\(fmt(x($0))),\(fmt(y(points[$0].lower!)))" }
                parts.append(#"<polygon class="band" points="\#((upper + lower).joined(separator: " "))"/>"#)
            }
            band = []
        }
        for (index, point) in points.enumerated() {
            if point.isBreak { flushBand() }
            if point.lower != nil, point.upper != nil, point.value != nil { band.append(index) } else { flushBand() }
        }
        flushBand()
        if let target {
            parts.append(#"<line class="target" x1="\#(fmt(left))" x2="\#(fmt(width - right))" y1="\#(fmt(y(target.value)))" y2="\#(fmt(y(target.value)))"/>"#)
            parts.append(#"<text class="axis" x="\#(fmt(width - right))" y="\#(fmt(y(target.value) - 6))" text-anchor="end">\#(escape(target.label))</text>"#)
        }
        for (index, point) in points.enumerated() where point.isBreak && index > 0 {
            let at = (x(index) + x(index - 1)) / 2
            parts.append(#"<line class="break" x1="\#(fmt(at))" x2="\#(fmt(at))" y1="\#(fmt(top))" y2="\#(fmt(top + plotHeight))"/>"#)
            parts.append(#"<text class="axis" x="\#(fmt(at + 4))" y="\#(fmt(top + 12))">[b] series break</text>"#)
        }
        // Line segments through consecutive points that have values, not across a break.
        var segment: [String] = []
        func flush() {
            if segment.count > 1 { parts.append(#"<polyline class="line" points="\#(segment.joined(separator: " "))"/>"#) }
            segment = []
        }
        for (index, point) in points.enumerated() {
            if point.isBreak { flush() }
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
