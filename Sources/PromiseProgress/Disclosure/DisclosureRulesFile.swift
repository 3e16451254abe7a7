import Foundation
import Yams

/// Reads `config/disclosure-control.yml`, the reviewed settings for ``DisclosureControl``.
public enum DisclosureRulesFile {
    struct File: Decodable {
        var largest_suppressed_count: Int
        var low_reliability_denominator: Double
        var smallest_respondent_group: Int
    }

    /// Loads `disclosure-control.yml` from the layout's configuration folder.
    public static func load(layout: PipelineLayout) throws -> DisclosureControl.Rules {
        let url = layout.configDirectory.appendingPathComponent("disclosure-control.yml")
        return try load(url, display: layout.display(url))
    }

    public static func load(_ url: URL, display: String) throws -> DisclosureControl.Rules {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw Problem(file: display, message: "the disclosure control settings file is missing", hint: "give --config the folder that holds disclosure-control.yml (the repository's own is config/)")
        }
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: String(decoding: try Data(contentsOf: url), as: UTF8.self))
        } catch let error as DecodingError {
            throw Problem(file: display, message: "does not match the expected settings: \(describe(error))")
        } catch let error as YamlError {
            throw Problem(file: display, message: "not valid YAML: \(error)")
        }
        guard file.largest_suppressed_count >= 1 else {
            throw Problem(file: display, field: "largest_suppressed_count", message: "expected a whole number of at least 1, found \(file.largest_suppressed_count)")
        }
        guard file.low_reliability_denominator >= 0 else {
            throw Problem(file: display, field: "low_reliability_denominator", message: "expected a number of 0 or more, found \(file.low_reliability_denominator)")
        }
        guard file.smallest_respondent_group >= 2 else {
            throw Problem(file: display, field: "smallest_respondent_group", message: "expected a whole number of at least 2, found \(file.smallest_respondent_group)")
        }
        return DisclosureControl.Rules(largestSuppressedCount: file.largest_suppressed_count, lowReliabilityDenominator: file.low_reliability_denominator,
                                       smallestRespondentGroup: file.smallest_respondent_group)
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key '\((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "'\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
