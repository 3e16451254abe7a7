import Foundation
import GRDB
import Yams

/// Reads and validates every definition file under `Indicators/`. All problems are collected
/// and reported together with file, line and column; nothing is computed from a catalogue with problems.
public struct IndicatorCatalogue: Sendable {
    public var definitions: [IndicatorDefinition]

    /// What definitions may refer to, taken from the reference tables.
    public struct Vocabulary: Sendable {
        public var foundations: [String]
        public var visionStatements: [Int]
        public var periodTypes: [String]
        /// Placement type code -> its setting, location and placement group (seeds/placement_type.csv).
        public var placementTypes: [String: [String: String]]
        /// Codes of every codelist (seeds/codelist.csv).
        public var codelists: [String: Set<String>]

        public init(foundations: [String], visionStatements: [Int], periodTypes: [String], placementTypes: [String: [String: String]] = [:], codelists: [String: Set<String>] = [:]) {
            self.foundations = foundations
            self.visionStatements = visionStatements
            self.periodTypes = periodTypes
            self.placementTypes = placementTypes
            self.codelists = codelists
        }

        /// Reads the vocabulary from a store file.
        public static func load(store: URL) throws -> Vocabulary {
            try DatabaseQueue(path: store.path).read { try load(from: $0) }
        }

        public static func load(from db: Database) throws -> Vocabulary {
            var placementTypes: [String: [String: String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT placement_type_code, setting, location, placement_group FROM placement_type") {
                placementTypes[row["placement_type_code"]] = ["setting": row["setting"], "location": row["location"], "placement_group": row["placement_group"]]
            }
            var codelists: [String: Set<String>] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT codelist, code FROM codelist") {
                codelists[row["codelist"], default: []].insert(row["code"])
            }
            return Vocabulary(
                foundations: try String.fetchAll(db, sql: "SELECT foundation_id FROM foundation ORDER BY sort_order"),
                visionStatements: try Int.fetchAll(db, sql: "SELECT vision_statement_id FROM vision_statement ORDER BY 1"),
                periodTypes: try String.fetchAll(db, sql: "SELECT DISTINCT period_type FROM period ORDER BY 1"),
                placementTypes: placementTypes, codelists: codelists)
        }
    }

    // MARK: - The file schema

    enum Kind {
        case text, integer, number, date, list([String]), oneOf([String]), measure, direction, mapping
    }

    struct Field {
        let key: String
        let kind: Kind
        let required: Bool
    }

    static let fields: [Field] = [
        Field(key: "id", kind: .text, required: true),
        Field(key: "title", kind: .text, required: true),
        Field(key: "short_title", kind: .text, required: true),
        Field(key: "short_definition", kind: .text, required: true),
        Field(key: "definition", kind: .text, required: true),
        Field(key: "rationale", kind: .text, required: true),
        Field(key: "outcome", kind: .text, required: true),
        Field(key: "foundation", kind: .text, required: true),
        Field(key: "evidence", kind: .oneOf(IndicatorDefinition.Evidence.allCases.map(\.rawValue)), required: false),
        Field(key: "survey_topic", kind: .text, required: false),
        Field(key: "response_rate", kind: .text, required: false),
        Field(key: "vision_statement", kind: .integer, required: true),
        Field(key: "role", kind: .oneOf(IndicatorDefinition.Role.allCases.map(\.rawValue)), required: true),
        Field(key: "value_type", kind: .oneOf(IndicatorDefinition.ValueType.allCases.map(\.rawValue)), required: true),
        Field(key: "value_source", kind: .oneOf(IndicatorDefinition.ValueSource.allCases.map(\.rawValue)), required: false),
        Field(key: "unit", kind: .text, required: true),
        Field(key: "polarity", kind: .oneOf(IndicatorDefinition.Polarity.allCases.map(\.rawValue)), required: true),
        Field(key: "period_type", kind: .text, required: true),
        Field(key: "period_basis", kind: .oneOf(IndicatorDefinition.PeriodBasis.allCases.map(\.rawValue)), required: true),
        Field(key: "frequency", kind: .oneOf(IndicatorDefinition.Frequency.allCases.map(\.rawValue)), required: true),
        Field(key: "confidence_method", kind: .oneOf(IndicatorDefinition.ConfidenceMethod.allCases.map(\.rawValue)), required: true),
        Field(key: "source", kind: .text, required: true),
        Field(key: "publisher", kind: .text, required: true),
        Field(key: "last_updated", kind: .date, required: true),
        Field(key: "next_update_due", kind: .date, required: true),
        Field(key: "breakdowns", kind: .list(IndicatorDefinition.Breakdown.allCases.map(\.rawValue)), required: false),
        Field(key: "council_area_breakdowns", kind: .list(IndicatorDefinition.Breakdown.allCases.map(\.rawValue)), required: false),
        Field(key: "council_area_values", kind: .oneOf(["true", "false"]), required: false),
        Field(key: "caveats", kind: .text, required: false),
        Field(key: "target", kind: .number, required: false),
        Field(key: "target_label", kind: .text, required: false),
        Field(key: "numerator", kind: .measure, required: true),
        Field(key: "denominator", kind: .measure, required: false),
        Field(key: "direction_of_travel", kind: .direction, required: true),
    ]

    static let directionFields: [Field] = [
        Field(key: "headline_rule", kind: .oneOf(DirectionOfTravel.Rule.allCases.map(\.rawValue)), required: true),
        Field(key: "threshold", kind: .number, required: true),
        Field(key: "threshold_unit", kind: .oneOf(IndicatorDefinition.ThresholdUnit.allCases.map(\.rawValue)), required: true),
    ]

    static let measureFields: [Field] = [
        Field(key: "description", kind: .text, required: true),
        Field(key: "sql", kind: .text, required: true),
        Field(key: "counts", kind: .mapping, required: false),
    ]

    static let countsFields: [Field] = [
        Field(key: "population", kind: .text, required: true),
        Field(key: "where", kind: .mapping, required: false),
        Field(key: "overlapping", kind: .oneOf(["true", "false"]), required: false),
        Field(key: "unit", kind: .oneOf(IndicatorDefinition.CountUnit.allCases.map(\.rawValue)), required: false),
    ]

    // MARK: - Loading

    /// Loads every `*.yml` / `*.yaml` file in `directory`, sorted by name; throws a ``ProblemReport`` listing every problem.
    public static func load(directory: URL, vocabulary: Vocabulary, display: (URL) -> String) throws -> IndicatorCatalogue {
        let (catalogue, problems) = try inspect(directory: directory, vocabulary: vocabulary, display: display)
        if !problems.isEmpty { throw ProblemReport(problems) }
        return catalogue
    }

    /// Reads every definition and returns the problems found beside whatever could be read, so
    /// `check` can also test the SQL of a file that has other problems.
    public static func inspect(directory: URL, vocabulary: Vocabulary, display: (URL) -> String) throws -> (IndicatorCatalogue, [Problem]) {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }
            .sorted()
        var problems: [Problem] = []
        var definitions: [IndicatorDefinition] = []
        if names.isEmpty {
            problems.append(Problem(file: display(directory), message: "no indicator definition files (*.yml) found"))
        }
        for name in names {
            let url = directory.appendingPathComponent(name)
            let path = display(url)
            let data = try Data(contentsOf: url)
            let text = String(decoding: data, as: UTF8.self)
            let sha = InputFingerprint.hex(SHA256.hash(data: data))
            var parser = DefinitionParser(path: path, stem: (name as NSString).deletingPathExtension, vocabulary: vocabulary)
            if let definition = parser.parse(text, sha256: sha) {
                definitions.append(definition)
            }
            problems += parser.problems
        }
        problems += crossCheck(definitions)
        let ids = definitions.map(\.id)
        for (index, id) in ids.enumerated() where ids[..<index].contains(id) {
            problems.append(Problem(file: definitions[index].file, field: "id", message: "duplicate id '\(id)'"))
        }
        return (IndicatorCatalogue(definitions: definitions), problems)
    }

    /// Checks that need every file: a definition whose measure counts overlapping children must
    /// say so the same way wherever the same population is counted.
    static func crossCheck(_ definitions: [IndicatorDefinition]) -> [Problem] {
        var overlapping: [String: Bool] = [:]
        var problems: [Problem] = []
        let byID = Dictionary(definitions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for definition in definitions {
            if let rate = definition.responseRateIndicator, byID[rate]?.evidence != .experiential || byID[rate]?.periodType != definition.periodType {
                problems.append(Problem(file: definition.file, field: "response_rate",
                                        message: "expected the id of an experiential indicator with period type \(definition.periodType), found '\(rate)'"))
            }
            for (part, measure) in [("numerator", definition.numerator), ("denominator", definition.denominator)] {
                guard let measure, let population = measure.population else { continue }
                if let known = overlapping[population.name], known != population.overlapping {
                    problems.append(Problem(file: definition.file, line: measure.sqlLine, field: "\(part).counts.overlapping",
                                            message: "population '\(population.name)' is declared overlapping \(known) elsewhere, found \(population.overlapping)"))
                }
                overlapping[population.name] = population.overlapping
            }
        }
        return problems
    }

    public func definition(_ id: String) -> IndicatorDefinition? { definitions.first { $0.id == id } }

    // MARK: - SQL checks

    /// Prepares every numerator and denominator SQL against `db` (a store with the finished schema)
    /// and checks it returns the columns the engine reads.
    public func checkSQL(in db: Database) -> [Problem] {
        var problems: [Problem] = []
        for definition in definitions {
            let measures = [("numerator", definition.numerator)] + (definition.denominator.map { [("denominator", $0)] } ?? [])
            for (part, measure) in measures {
                do {
                    if let keyword = BoundedQuery.forbiddenKeyword(in: measure.sql) {
                        problems.append(Problem(file: definition.file, line: measure.sqlLine, field: "\(part).sql",
                                                message: "the SQL uses \(keyword), which indicator SQL may not: it reaches other database files or changes the connection; use a single SELECT or WITH ... SELECT"))
                        continue
                    }
                    let statement = try db.makeStatement(sql: measure.sql)
                    if !statement.isReadonly {
                        problems.append(Problem(file: definition.file, line: measure.sqlLine, field: "\(part).sql",
                                                message: "the SQL would write to the store; indicator SQL must only read (a single SELECT or WITH ... SELECT)"))
                        continue
                    }
                    let columns = Set(statement.columnNames)
                    var required = ["period_id", "geography_code", measure.population?.overlapping == true ? "unit_id" : part]
                    if part == "numerator" { required += definition.breakdowns.map(\.rawValue) }
                    if part == "numerator", definition.valueType == .mean { required.append("sum_of_squares") }
                    if definition.valueSource == .published { required = ["period_id", "geography_code", "value", "marker", "vintage"] }
                    for column in required where !columns.contains(column) {
                        problems.append(Problem(file: definition.file, line: measure.sqlLine, field: "\(part).sql",
                                                message: "expected the query to return a column named '\(column)', found columns \(statement.columnNames.joined(separator: ", "))"))
                    }
                    if part == "denominator", definition.valueType == .percentage || definition.valueType == .mean {
                        for breakdown in definition.breakdowns where !columns.contains(breakdown.rawValue) {
                            problems.append(Problem(file: definition.file, line: measure.sqlLine, field: "denominator.sql",
                                                    message: "breakdown '\(breakdown.rawValue)' is offered, so the denominator query must return a '\(breakdown.rawValue)' column too"))
                        }
                    }
                } catch let error as DatabaseError {
                    problems.append(Problem(file: definition.file, line: measure.sqlLine, field: "\(part).sql",
                                            message: "the SQL does not prepare against the store: \(error.message ?? "\(error)")",
                                            hint: "tables and columns are listed in docs/data-dictionary.md"))
                } catch {
                    problems.append(Problem(file: definition.file, line: measure.sqlLine, field: "\(part).sql", message: "\(error)"))
                }
            }
        }
        return problems
    }
}

// MARK: - DefinitionParser

/// Walks one file's YAML nodes, so every problem can point at the line and column it is on.
struct DefinitionParser {
    let path: String
    let stem: String
    let vocabulary: IndicatorCatalogue.Vocabulary
    var problems: [Problem] = []

    init(path: String, stem: String, vocabulary: IndicatorCatalogue.Vocabulary) {
        self.path = path
        self.stem = stem
        self.vocabulary = vocabulary
    }

    mutating func problem(_ node: Node?, _ field: String?, _ message: String, hint: String? = nil) {
        problems.append(Problem(file: path, line: node?.mark?.line, column: node?.mark?.column, field: field, message: message, hint: hint))
    }

    mutating func parse(_ source: String, sha256: String) -> IndicatorDefinition? {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: source) else {
                problem(nil, nil, "the file is empty; expected a mapping of indicator keys")
                return nil
            }
            root = node
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let message, let mark, _), .parser(_, let message, let mark, _), .composer(_, let message, let mark, _):
                problems.append(Problem(file: path, line: mark.line, column: mark.column, message: "not valid YAML: \(message)"))
            default:
                problems.append(Problem(file: path, message: "not valid YAML: \(error)"))
            }
            return nil
        } catch {
            problems.append(Problem(file: path, message: "not valid YAML: \(error)"))
            return nil
        }
        guard let mapping = root.mapping else {
            problem(root, nil, "expected a mapping of indicator keys at the top level")
            return nil
        }
        let values = checkKeys(mapping, fields: IndicatorCatalogue.fields, context: nil, node: root)
        let before = problems.count

        func text(_ key: String) -> String { values[key]?.string?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
        func choice<T: RawRepresentable>(_ key: String, _ type: T.Type) -> T? where T.RawValue == String {
            values[key].flatMap { $0.string }.flatMap { T(rawValue: $0) }
        }

        let id = text("id")
        if values["id"] != nil, id != stem {
            problem(values["id"], "id", "expected the id to match the file name '\(stem)', found '\(id)'")
        }
        if let node = values["foundation"], !vocabulary.foundations.contains(text("foundation")) {
            problem(node, "foundation", "expected one of \(vocabulary.foundations.joined(separator: ", ")), found '\(text("foundation"))'")
        }
        if let node = values["vision_statement"], let number = node.int, !vocabulary.visionStatements.contains(number) {
            problem(node, "vision_statement", "expected a vision statement number 1 to \(vocabulary.visionStatements.max() ?? 10), found \(number)")
        }
        if let node = values["period_type"], !vocabulary.periodTypes.contains(text("period_type")) {
            problem(node, "period_type", "expected one of the period types in seeds/period.csv (\(vocabulary.periodTypes.joined(separator: ", "))), found '\(text("period_type"))'")
        }
        let declaredType = choice("value_type", IndicatorDefinition.ValueType.self)
        let numerator = values["numerator"].flatMap { measure($0, name: "numerator") }
        var denominator: IndicatorDefinition.Measure?
        if let node = values["denominator"] {
            denominator = measure(node, name: "denominator")
            if declaredType == .count {
                problem(node, "denominator", "a count has no denominator; remove it or change value_type")
            }
        } else if let declaredType, declaredType == .percentage || declaredType == .ratePer1000 || declaredType == .mean,
                  values["value_source"]?.string != IndicatorDefinition.ValueSource.published.rawValue {
            problem(root, "denominator", "expected a denominator because value_type is \(declaredType.rawValue), found none")
        }
        _ = before
        // With problems, a definition is still returned (with placeholders) so its SQL can be
        // checked too; the problems stop it from being computed or published.
        guard let numerator else { return nil }
        let role = choice("role", IndicatorDefinition.Role.self) ?? .core
        let polarity = choice("polarity", IndicatorDefinition.Polarity.self) ?? .noJudgement
        let basis = choice("period_basis", IndicatorDefinition.PeriodBasis.self) ?? .snapshot
        let vision = values["vision_statement"]?.int ?? 0
        let valueType = declaredType ?? (denominator == nil ? .count : .percentage)
        let source = choice("value_source", IndicatorDefinition.ValueSource.self) ?? .computed
        if source == .published {
            if let node = values["denominator"] { problem(node, "denominator", "a published value has no denominator; remove it") }
            if let node = values["breakdowns"], !(node.sequence ?? []).isEmpty { problem(node, "breakdowns", "breakdowns of published values are not supported yet") }
        } else if valueType == .ratio || valueType == .median, let node = values["value_type"] {
            problem(node, "value_type", "\(valueType.rawValue) is supported for published values only (value_source: published)")
        }
        // Published values come without the counts behind them, so they carry no interval.
        let expectedMethod = source == .published ? IndicatorDefinition.ConfidenceMethod.none : .expected(for: valueType)
        let confidence = choice("confidence_method", IndicatorDefinition.ConfidenceMethod.self) ?? expectedMethod
        if let node = values["confidence_method"], confidence != expectedMethod {
            problem(node, "confidence_method", "a \(source == .published ? "published " : "")\(valueType.rawValue) uses \(expectedMethod.rawValue), found '\(confidence.rawValue)'")
        }
        var threshold = 0.0
        var thresholdUnit = IndicatorDefinition.ThresholdUnit.percent
        var headlineRule = DirectionOfTravel.Rule.linearTrend.rawValue

        if let updated = CivilDate(iso: text("last_updated")), let due = CivilDate(iso: text("next_update_due")), due <= updated {
            problem(values["next_update_due"], "next_update_due", "expected a date after last_updated (\(updated.iso)), found \(due.iso)")
        }
        if let node = values["direction_of_travel"], let mapping = node.mapping {
            let direction = checkKeys(mapping, fields: IndicatorCatalogue.directionFields, context: "direction_of_travel", node: node)
            threshold = direction["threshold"]?.float ?? 0
            headlineRule = direction["headline_rule"]?.string ?? headlineRule
            if valueType == .count || source == .published, headlineRule == DirectionOfTravel.Rule.linearTrend.rawValue {
                problem(direction["headline_rule"], "direction_of_travel.headline_rule", "the trend test needs numerators and denominators, which \(source == .published ? "a published value does not have" : "a count does not have"); use npf_change")
            }
            thresholdUnit = direction["threshold_unit"]?.string.flatMap(IndicatorDefinition.ThresholdUnit.init(rawValue:)) ?? .percent
            if valueType != .percentage, thresholdUnit == .percentagePoints {
                problem(direction["threshold_unit"], "direction_of_travel.threshold_unit", "percentage_points applies to percentages only; use percent for a \(valueType.rawValue)")
            }
        }
        let breakdowns = (values["breakdowns"]?.sequence ?? []).compactMap { $0.string.flatMap(IndicatorDefinition.Breakdown.init(rawValue:)) }
        let councilBreakdowns = (values["council_area_breakdowns"]?.sequence ?? []).compactMap { $0.string.flatMap(IndicatorDefinition.Breakdown.init(rawValue:)) }
        for breakdown in councilBreakdowns where !breakdowns.contains(breakdown) {
            problem(values["council_area_breakdowns"], "council_area_breakdowns", "expected breakdowns listed under breakdowns, found '\(breakdown.rawValue)'")
        }
        var definition = IndicatorDefinition(
            id: id, title: text("title"), shortTitle: text("short_title"), shortDefinition: text("short_definition"), definition: text("definition"),
            outcome: text("outcome"), confidenceMethod: confidence,
            frequency: choice("frequency", IndicatorDefinition.Frequency.self) ?? .annual, publisher: text("publisher"),
            lastUpdated: text("last_updated"), nextUpdateDue: text("next_update_due"), headlineRule: headlineRule, valueSource: source,
            rationale: text("rationale"),
            foundation: text("foundation"), visionStatement: vision, role: role, valueType: valueType, unit: text("unit"),
            polarity: polarity, periodType: text("period_type"), periodBasis: basis, source: text("source"),
            breakdowns: breakdowns, caveats: text("caveats"), numerator: numerator, denominator: denominator,
            directionThreshold: threshold, directionThresholdUnit: thresholdUnit,
            file: path, sha256: sha256)
        definition.councilAreaBreakdowns = councilBreakdowns
        definition.evidence = choice("evidence", IndicatorDefinition.Evidence.self) ?? .quantitative
        definition.surveyTopic = values["survey_topic"].map { _ in text("survey_topic") }
        definition.responseRateIndicator = values["response_rate"].map { _ in text("response_rate") }
        for key in ["survey_topic", "response_rate"] where values[key] != nil && definition.evidence != .experiential {
            problem(values[key], key, "only an experiential indicator (evidence: experiential) has a \(key.replacingOccurrences(of: "_", with: " "))")
        }
        // Survey counts are protected as groups of respondents: every count must say what it counts.
        if definition.evidence == .experiential, source == .computed {
            for (part, measure) in [("numerator", numerator), ("denominator", denominator)] {
                guard let measure else { continue }
                if measure.population == nil {
                    problem(values[part], "\(part).counts", "an experiential indicator must declare what each measure counts (counts: population and unit), so that disclosure control protects its groups of respondents")
                }
            }
            if numerator.population?.unit == .answers, denominator?.population?.unit != .respondents {
                problem(values["denominator"], "denominator.counts.unit", "a count of answers is protected with its group, so the denominator must count respondents (unit: respondents)")
            }
        }
        definition.councilAreaValues = values["council_area_values"]?.string != "false"
        if let target = values["target"]?.float {
            definition.target = IndicatorDefinition.Target(value: target, label: values["target_label"].map { _ in text("target_label") } ?? "")
        } else if let node = values["target_label"] {
            problem(node, "target_label", "a target label needs a target value")
        }
        if !definition.councilAreaValues, let node = values["council_area_breakdowns"], !(node.sequence ?? []).isEmpty {
            problem(node, "council_area_breakdowns", "council_area_values is false, so no breakdown can be published for council areas")
        }
        return definition
    }

    /// Reports unknown, missing and mistyped keys; returns the value node of each known key.
    mutating func checkKeys(_ mapping: Node.Mapping, fields: [IndicatorCatalogue.Field], context: String?, node: Node) -> [String: Node] {
        var values: [String: Node] = [:]
        let known = fields.map(\.key)
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            let qualified = context.map { "\($0).\(key)" } ?? key
            guard let field = fields.first(where: { $0.key == key }) else {
                let suggestion = known.min { editDistance($0, key) < editDistance($1, key) }
                let hint = suggestion.flatMap { editDistance($0, key) <= 3 ? "did you mean '\($0)'?" : nil }
                problem(keyNode, qualified, "unknown key; expected one of \(known.joined(separator: ", "))", hint: hint)
                continue
            }
            if values[key] != nil {
                problem(keyNode, qualified, "key given twice")
                continue
            }
            values[key] = valueNode
            switch field.kind {
            case .text:
                if valueNode.scalar == nil || (valueNode.string ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    if field.required || valueNode.scalar == nil {
                        problem(valueNode, qualified, "expected text, found \(describe(valueNode))")
                    }
                }
            case .integer:
                if valueNode.int == nil { problem(valueNode, qualified, "expected a whole number, found \(describe(valueNode))") }
            case .date:
                if valueNode.string.flatMap({ CivilDate(iso: $0) }) == nil { problem(valueNode, qualified, "expected a date written YYYY-MM-DD, found \(describe(valueNode))") }
            case .number:
                if valueNode.float == nil || (valueNode.float ?? -1) < 0 { problem(valueNode, qualified, "expected a number of 0 or more, found \(describe(valueNode))") }
            case .oneOf(let allowed):
                if let value = valueNode.string, valueNode.scalar != nil, allowed.contains(value) { break }
                problem(valueNode, qualified, "expected one of \(allowed.joined(separator: ", ")), found \(describe(valueNode))")
            case .list(let allowed):
                guard let items = valueNode.sequence else {
                    problem(valueNode, qualified, "expected a list such as [\(allowed.joined(separator: ", "))], found \(describe(valueNode))")
                    break
                }
                for item in items where !(item.string.map(allowed.contains) ?? false) {
                    problem(item, qualified, "expected one of \(allowed.joined(separator: ", ")), found \(describe(item))")
                }
            case .measure:
                if valueNode.mapping == nil {
                    problem(valueNode, qualified, "expected a mapping with description and sql, found \(describe(valueNode))")
                }
            case .mapping:
                if valueNode.mapping == nil {
                    problem(valueNode, qualified, "expected a mapping, found \(describe(valueNode))")
                }
            case .direction:
                if valueNode.mapping == nil {
                    problem(valueNode, qualified, "expected a mapping with threshold and threshold_unit, found \(describe(valueNode))")
                }
            }
        }
        for field in fields where field.required && values[field.key] == nil {
            problem(node, context.map { "\($0).\(field.key)" } ?? field.key, "required key is missing")
        }
        return values
    }

    mutating func measure(_ node: Node, name: String) -> IndicatorDefinition.Measure? {
        guard let mapping = node.mapping else { return nil }
        let values = checkKeys(mapping, fields: IndicatorCatalogue.measureFields, context: name, node: node)
        let population = values["counts"].flatMap { counts($0, name: "\(name).counts") }
        guard let description = values["description"]?.string, let sqlNode = values["sql"], let sql = sqlNode.string else { return nil }
        return IndicatorDefinition.Measure(description: description.trimmingCharacters(in: .whitespacesAndNewlines),
                                           sql: sql, sqlLine: sqlNode.mark?.line ?? 0, population: population)
    }

    /// Placement attributes, resolved to placement type codes through seeds/placement_type.csv.
    static let placementAttributes = ["placement_type", "setting", "location", "placement_group"]

    mutating func counts(_ node: Node, name: String) -> IndicatorDefinition.Population? {
        guard let mapping = node.mapping else { return nil }
        let values = checkKeys(mapping, fields: IndicatorCatalogue.countsFields, context: name, node: node)
        guard let population = values["population"]?.string else { return nil }
        var conditions: [String: Set<String>] = [:]
        for (keyNode, valueNode) in values["where"]?.mapping ?? Node.Mapping([]) {
            let attribute = keyNode.string ?? ""
            let codes = valueNode.sequence.map { $0.compactMap(\.string) } ?? valueNode.string.map { [$0] } ?? []
            if codes.isEmpty { problem(valueNode, "\(name).where.\(attribute)", "expected a list of codes, found \(describe(valueNode))") }
            if Self.placementAttributes.contains(attribute) {
                let known = attribute == "placement_type" ? Set(vocabulary.placementTypes.keys) : Set(vocabulary.placementTypes.values.compactMap { $0[attribute] })
                for code in codes where !known.contains(code) {
                    problem(valueNode, "\(name).where.\(attribute)", "expected codes from seeds/placement_type.csv (\(known.sorted().joined(separator: ", "))), found '\(code)'")
                }
                let matching = Set(vocabulary.placementTypes.filter { type in
                    attribute == "placement_type" ? codes.contains(type.key) : codes.contains(type.value[attribute] ?? "")
                }.keys)
                conditions[TableStructure.placementAttribute] = conditions[TableStructure.placementAttribute].map { $0.intersection(matching) } ?? matching
            } else {
                if let known = vocabulary.codelists[attribute] {
                    for code in codes where !known.contains(code) {
                        problem(valueNode, "\(name).where.\(attribute)", "expected codes of codelist '\(attribute)' (\(known.sorted().joined(separator: ", "))), found '\(code)'")
                    }
                }
                conditions[attribute] = Set(codes)
            }
        }
        return IndicatorDefinition.Population(name: population, conditions: conditions, overlapping: values["overlapping"]?.string == "true",
                                              unit: values["unit"]?.string.flatMap(IndicatorDefinition.CountUnit.init(rawValue:)) ?? .children)
    }

    func describe(_ node: Node) -> String {
        if let scalar = node.scalar { return "'\(scalar.string)'" }
        if node.sequence != nil { return "a list" }
        if node.mapping != nil { return "a mapping" }
        return "nothing"
    }
}

/// Levenshtein distance, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
