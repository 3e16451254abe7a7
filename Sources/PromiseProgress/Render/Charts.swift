import Foundation

/// Shapes and words for a comparison with Scotland, so a chart never relies on colour: a triangle
/// pointing up for better (or higher), down for worse (or lower), a circle for similar, a hollow
/// diamond where no comparison can be made.
enum ComparisonMark {
    static func words(_ call: String?) -> String {
        switch call {
        case "better": "Better than Scotland"
        case "worse": "Worse than Scotland"
        case "similar": "Similar to Scotland"
        case "higher": "Higher than Scotland"
        case "lower": "Lower than Scotland"
        default: "Not compared"
        }
    }

    static func short(_ call: String?) -> String {
        switch call {
        case "better": "Better"
        case "worse": "Worse"
        case "similar": "Similar"
        case "higher": "Higher"
        case "lower": "Lower"
        default: "Not compared"
        }
    }

    /// An SVG shape centred on (x, y).
    static func shape(_ call: String?, x: Double, y: Double) -> String {
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        switch call {
        case "better", "higher":
            return #"<polygon class="mark up" points="\#(f(x)),\#(f(y - 6)) \#(f(x + 6)),\#(f(y + 5)) \#(f(x - 6)),\#(f(y + 5))"/>"#
        case "worse", "lower":
            return #"<polygon class="mark down" points="\#(f(x)),\#(f(y + 6)) \#(f(x + 6)),\#(f(y - 5)) \#(f(x - 6)),\#(f(y - 5))"/>"#
        case "similar":
            return #"<circle class="mark same" cx="\#(f(x))" cy="\#(f(y))" r="5"/>"#
        default:
            return #"<polygon class="mark none" points="\#(f(x)),\#(f(y - 6)) \#(f(x + 6)),\#(f(y)) \#(f(x)),\#(f(y + 6)) \#(f(x - 6)),\#(f(y))"/>"#
        }
    }

    static func escape(_ text: String) -> String { PageDocument.html(text) }
}

/// Council areas against Scotland for one indicator and period: a row per area with its 95% interval
/// as a bar and its value as a shape (see ``ComparisonMark``), Scotland as a labelled vertical line,
/// and the comparison in words at the end of each row. A withheld or missing value is a row with words
/// and no mark, never a zero.
struct ComparisonChart {
    struct Row {
        var label: String
        var value: Double?
        var lower: Double?
        var upper: Double?
        var call: String?
        /// What to say where there is no value ([c], [x]).
        var missing: String
    }

    var id: String
    var title: String
    var description: String
    var rows: [Row]
    var scotland: Double?
    var valueType: IndicatorDefinition.ValueType

    var svg: String {
        let rowHeight = 20.0, top = 34.0, labelWidth = 190.0, wordsWidth = 150.0, width = 720.0
        let height = top + rowHeight * Double(rows.count) + 24
        let plotLeft = labelWidth + 10, plotRight = width - wordsWidth - 10
        let numbers = rows.flatMap { [$0.lower, $0.value, $0.upper].compactMap { $0 } } + [scotland].compactMap { $0 }
        var low = numbers.min() ?? 0, high = numbers.max() ?? 1
        if low >= 0 && low < (high - low) { low = 0 }
        if high == low { high = low + 1 }
        let step = TrendChart.niceStep(high - low)
        low = (low / step).rounded(.down) * step
        high = (high / step).rounded(.up) * step
        func x(_ v: Double) -> Double { plotLeft + (plotRight - plotLeft) * (v - low) / (high - low) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var parts = [#"<svg xmlns="http://www.w3.org/2000/svg" class="chart wide" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-labelledby="\#(id)-title \#(id)-desc">"#,
                     "<title id=\"\(id)-title\">\(ComparisonMark.escape(title))</title>", "<desc id=\"\(id)-desc\">\(ComparisonMark.escape(description))</desc>"]
        var tick = low
        while tick <= high + step / 2 {
            parts.append(#"<line class="grid" x1="\#(f(x(tick)))" x2="\#(f(x(tick)))" y1="\#(f(top - 6))" y2="\#(f(height - 20))"/>"#)
            parts.append(#"<text class="axis" x="\#(f(x(tick)))" y="\#(f(height - 6))" text-anchor="middle">\#(ComparisonMark.escape(Formatting.value(tick, type: valueType)))</text>"#)
            tick += step
        }
        if let scotland {
            parts.append(#"<line class="reference" x1="\#(f(x(scotland)))" x2="\#(f(x(scotland)))" y1="\#(f(top - 14))" y2="\#(f(height - 20))"/>"#)
            parts.append(#"<text class="axis" x="\#(f(x(scotland)))" y="\#(f(top - 18))" text-anchor="middle">Scotland \#(ComparisonMark.escape(Formatting.value(scotland, type: valueType)))</text>"#)
        }
        for (index, row) in rows.enumerated() {
            let y = top + rowHeight * (Double(index) + 0.5)
            parts.append(#"<text class="label" x="\#(f(labelWidth))" y="\#(f(y + 4))" text-anchor="end">\#(ComparisonMark.escape(row.label))</text>"#)
            if let lower = row.lower, let upper = row.upper {
                parts.append(#"<line class="ci" x1="\#(f(x(lower)))" x2="\#(f(x(upper)))" y1="\#(f(y))" y2="\#(f(y))"/>"#)
            }
            if let value = row.value {
                parts.append(ComparisonMark.shape(row.call, x: x(value), y: y))
                parts.append(#"<text class="label" x="\#(f(plotRight + 14))" y="\#(f(y + 4))">\#(ComparisonMark.escape(ComparisonMark.short(row.call)))</text>"#)
            } else {
                parts.append(#"<text class="gap" x="\#(f(plotLeft + 4))" y="\#(f(y + 4))">\#(ComparisonMark.escape(row.missing))</text>"#)
            }
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}

/// One council area's profile, Fingertips spine style: a row per indicator, Scotland's value at the
/// centre line, a grey bar from the lowest to the highest council area with a darker middle half
/// (25th to 75th percentile), and the area's value as a shape (``ComparisonMark``) with the comparison
/// in words. Where a direction is better, better is to the right; otherwise higher is to the right.
struct SpineChart {
    struct Row {
        var label: String
        var area: Double?
        var scotland: Double?
        var councilValues: [Double]
        var call: String?
        /// True for lower is better: the row is drawn mirrored.
        var mirrored: Bool
        var missing: String
    }

    var id: String
    var title: String
    var description: String
    var rows: [Row]

    var svg: String {
        let rowHeight = 24.0, top = 30.0, labelWidth = 250.0, wordsWidth = 150.0, width = 760.0
        let height = top + rowHeight * Double(rows.count) + 10
        let plotLeft = labelWidth + 10, plotRight = width - wordsWidth - 10, centre = (plotLeft + plotRight) / 2, half = (plotRight - plotLeft) / 2
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var parts = [#"<svg xmlns="http://www.w3.org/2000/svg" class="chart wide" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-labelledby="\#(id)-title \#(id)-desc">"#,
                     "<title id=\"\(id)-title\">\(ComparisonMark.escape(title))</title>", "<desc id=\"\(id)-desc\">\(ComparisonMark.escape(description))</desc>",
                     #"<line class="reference" x1="\#(f(centre))" x2="\#(f(centre))" y1="\#(f(top - 8))" y2="\#(f(height - 6))"/>"#,
                     #"<text class="axis" x="\#(f(centre))" y="\#(f(top - 14))" text-anchor="middle">Scotland</text>"#,
                     #"<text class="axis" x="\#(f(plotLeft))" y="\#(f(top - 14))">Worse or lower</text>"#,
                     #"<text class="axis" x="\#(f(plotRight))" y="\#(f(top - 14))" text-anchor="end">Better or higher</text>"#]
        for (index, row) in rows.enumerated() {
            let y = top + rowHeight * (Double(index) + 0.5)
            parts.append(#"<text class="label" x="\#(f(labelWidth))" y="\#(f(y + 4))" text-anchor="end">\#(ComparisonMark.escape(row.label))</text>"#)
            guard let scotland = row.scotland, !row.councilValues.isEmpty else {
                parts.append(#"<text class="gap" x="\#(f(plotLeft + 4))" y="\#(f(y + 4))">\#(ComparisonMark.escape(row.missing))</text>"#)
                continue
            }
            let sorted = row.councilValues.sorted()
            let spread = max(sorted.map { abs($0 - scotland) }.max() ?? 0, abs((row.area ?? scotland) - scotland), 1e-9)
            func x(_ v: Double) -> Double { centre + (row.mirrored ? -1 : 1) * half * (v - scotland) / spread }
            func quantile(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))] }
            let (a, b) = (x(sorted.first!), x(sorted.last!))
            parts.append(#"<rect class="range" x="\#(f(min(a, b)))" y="\#(f(y - 7))" width="\#(f(abs(b - a)))" height="14"/>"#)
            let (c, d) = (x(quantile(0.25)), x(quantile(0.75)))
            parts.append(#"<rect class="middle" x="\#(f(min(c, d)))" y="\#(f(y - 7))" width="\#(f(abs(d - c)))" height="14"/>"#)
            if let area = row.area {
                parts.append(ComparisonMark.shape(row.call, x: x(area), y: y))
                parts.append(#"<text class="label" x="\#(f(plotRight + 14))" y="\#(f(y + 4))">\#(ComparisonMark.escape(ComparisonMark.short(row.call)))</text>"#)
            } else {
                parts.append(#"<text class="label" x="\#(f(plotRight + 14))" y="\#(f(y + 4))">\#(ComparisonMark.escape(row.missing))</text>"#)
            }
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
