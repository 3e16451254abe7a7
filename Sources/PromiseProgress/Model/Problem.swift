import Foundation

/// A problem found in an input, a definition or a configuration file: where it is, what was
/// expected and what was found. Thrown alone when fatal, collected into ``ProblemReport`` by `check`.
public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// Column name, key or field the problem is in.
    public var field: String?
    /// What was expected and what was found.
    public var message: String
    /// What to do about it.
    public var hint: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, field: String? = nil, message: String, hint: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
        self.hint = hint
    }

    /// `file:line:column: field 'x': message (hint)`, the form editors and CI logs link to.
    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        var text = "\(place): "
        if let field { text += "'\(field)': " }
        text += message
        if let hint { text += " (\(hint))" }
        return text
    }
}

/// Several problems found together; `check` reports them all instead of stopping at the first.
public struct ProblemReport: Error, Sendable, CustomStringConvertible {
    public var problems: [Problem]

    public init(_ problems: [Problem]) { self.problems = problems }

    public var description: String {
        "\(problems.count) problem\(problems.count == 1 ? "" : "s"):\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}

/// A failure of the pipeline itself (not of one input row) with a plain-words explanation.
public struct PipelineFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
