import ArgumentParser
import Foundation
import PromiseProgress

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Writes a synthetic child-level dataset in the input contract (same seed, same bytes).")

    @Option(help: "Folder to write children.csv, episodes.csv and placements.csv into.")
    var output: String = "Data/quantitative"

    @Option(help: "Folder to write the survey's responses.csv, comments.csv, invited.csv and quote-review.csv into.")
    var experientialOutput: String = "Data/experiential"

    @Option(help: "Random seed.")
    var seed: UInt64 = 20240731

    @Option(help: "Multiplies the population (1 is roughly Scotland's size; use 100 for benchmarks, or a fraction such as 0.01 for a tiny fixture).")
    var scale: Double = 1

    @Option(help: "Folder of reference CSVs (population.csv sizes the council areas).")
    var seeds: String = "seeds"

    func validate() throws {
        guard scale.isFinite, scale > 0, scale <= 1_000 else { throw ValidationError("--scale must be a number above 0 and at most 1000, found \(scale)") }
    }

    func run() throws {
        let population = try SyntheticDataGenerator.councilPopulation(seeds: URL(fileURLWithPath: seeds))
        guard population.count == 32 else {
            throw ValidationError("\(seeds)/population.csv should give 2024 populations aged 0-17 for 32 council areas; found \(population.count)")
        }
        let generator = SyntheticDataGenerator(seed: seed, scale: scale, councilPopulation: population)
        let counts = try generator.write(to: URL(fileURLWithPath: output))
        print("wrote \(counts.children) children, \(counts.episodes) episodes, \(counts.placements) placements to \(output) (synthetic, seed \(seed), scale \(scale == scale.rounded() ? String(Int(scale)) : String(scale)))")
        let survey = try SyntheticSurvey(seed: seed &+ 1, scale: scale, councilPopulation: population)
            .write(to: URL(fileURLWithPath: experientialOutput), seeds: URL(fileURLWithPath: seeds))
        print("wrote \(survey.respondents) survey respondents (\(survey.answers) answers, \(survey.comments) comments, \(survey.invited) invited) to \(experientialOutput)")
        print("wrote quote-review.csv: \(survey.quotesApproved) consented quotes approved, \(survey.quotesRejected) rejected by the synthetic-data review (same seeds and word list as a build)")
    }
}
