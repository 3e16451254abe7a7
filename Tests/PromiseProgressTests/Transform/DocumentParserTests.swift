import Foundation
import Testing
@testable import PromiseProgress

@Suite("Qualitative documents: sections, statements, classification and tags", .removesTemporaryFiles)
struct DocumentParserTests {
    static let sample = """
    ---
    title: "A test update"
    published: 2024-06-28
    foundations: [care]
    colour: blue
    ---
    A test update

    Skip to content

    # What we did

    We have launched a network for foster carers p.52** and we are proud of it. Write to jo.bloggs@example.org or call 0141 496 0321.

    # What we will do

    This package will include:

    • Consideration of a universal definition of care experience
    - We plan to support brothers and sisters to live together.

    The Minister will chair a group of young people. The plan has been published.

    "It matters that I live with my sister, more than anything."

    Back to top
    Translate »
    """

    @Test("front matter, sections, bullets, furniture, page references and contact details")
    func structure() throws {
        let document = DocumentParser().parse(Self.sample)
        #expect(document.hasFrontMatter)
        #expect(document.title == "A test update" && document.titleSource == "front_matter")
        #expect(document.frontMatter.published == "2024-06-28")
        #expect(document.frontMatter.foundations == ["care"])
        #expect(document.frontMatter.problems.contains { $0.contains("unknown key 'colour'") })
        #expect(document.sections.map(\.heading).contains("What we did"))
        #expect(document.furnitureLines == 3, "Skip to content, Back to top, Translate »")
        let texts = document.statements.map(\.text)
        #expect(!texts.contains { $0.contains("Back to top") || $0.contains("Translate") || $0.contains("Skip to") })
        #expect(texts.contains("We have launched a network for foster carers and we are proud of it."), "page reference taken out")
        #expect(texts.contains("Write to [e-mail] or call [phone]."))
        #expect(!texts.joined().contains("@"))
        let bullets = document.statements.filter(\.isBullet).map(\.text)
        #expect(bullets == ["Consideration of a universal definition of care experience", "We plan to support brothers and sisters to live together."])
    }

    @Test("every statement traces back to its source: the file's characters at its offsets are its text")
    func offsets() {
        let document = DocumentParser().parse(Self.sample)
        let scalars = Array(Self.sample.unicodeScalars)
        for statement in document.statements where !statement.text.contains("[") {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[statement.start..<statement.end])
            let source = String(view).replacingOccurrences(of: " p.52**", with: "")
            #expect(source.split(whereSeparator: \.isWhitespace).joined(separator: " ") == statement.text, "\(statement.number)")
        }
    }

    @Test("commitments, progress, quotes and context",
          arguments: [
            ("We will lead a package of consultation work from summer to the end of 2024.", DocumentParser.Kind.commitment),
            ("We plan to seek the group’s views on what additional resource would help.", .commitment),
            ("The Minister for Children, Young People & The Promise will Chair a Partnership group.", .commitment),
            ("The councils are committed to keeping brothers and sisters together.", .commitment),
            ("We are committed to reducing the use of agency staff.", .commitment),
            ("The Statement of Intent will be published before the end of 2024.", .commitment),
            ("We have launched the National Training, Advice and Support Service for kinship carers.", .progress),
            ("We are working with Who Cares? Scotland to develop a training programme.", .progress),
            ("The practice guidance on brothers and sisters has been published.", .progress),
            ("We continue to work with partners to support the workforce.", .progress),
            ("In March 2022 we published our Promise implementation plan.", .progress),
            ("“Nobody asked me before they moved me. I found out the night before.”", .quote),
            ("Every child has the right to express their views freely.", .context),
            ("Particular consideration should be given to how views will be obtained.", .context),
          ])
    func classification(text: String, kind: DocumentParser.Kind) {
        #expect(DocumentParser.classify(text) == kind)
    }

    @Test("the lexicon tags a statement with every foundation whose terms it uses, and says which")
    func tagging() {
        let tagger = FoundationTagger(lexicon: [("care", "sibling*"), ("care", "brothers and sisters"), ("voice", "advoca*"), ("scaffolding", "COSLA"), ("scaffolding", "data")])
        let tags = tagger.tags("Siblings and brothers and sisters need advocacy; Cosla will publish the database.")
        #expect(tags["care"] == ["sibling*", "brothers and sisters"])
        #expect(tags["voice"] == ["advoca*"])
        #expect(tags["scaffolding"] == nil, "COSLA must match its case; 'data' is not 'database'")
    }

    /// The real 2024 progress update (Tests/PromiseProgressTests/Fixtures/README.md): every key action it lists.
    @Test("in the 2024 progress update each key action is found, tagged, and the contact e-mail is not published")
    func progressUpdate() throws {
        let url = Fixture.repositoryRoot.appendingPathComponent("Tests/PromiseProgressTests/Fixtures/progress-update-2024.txt")
        let document = DocumentParser().parse(try String(contentsOf: url, encoding: .utf8))
        #expect(document.title == "Keeping The Promise to our children, young people and families: progress update 2024")
        let statements = document.statements
        func kind(_ opening: String) -> DocumentParser.Kind? { statements.first { $0.text.hasPrefix(opening) }?.kind }
        for action in ["We will lead a package of consultation work", "The Minister for Children, Young People & The Promise will Chair",
                       "We will work closely with The Promise Scotland to lead a Quality Improvement Programme", "We will develop and promote a package of support for foster carers",
                       "We will continue to progress work across public protection areas", "We will continue to work with COSLA",
                       "We will progress the delivery of a rights and relationship based practice", "We will introduce the national Promise Progress Framework",
                       "Consideration of a universal definition of Care Experience", "Implementing the outcomes of the work to redesign",
                       "A package of support for young people transitioning", "On the future of fostering"] {
            #expect(kind(action) == .commitment, "\(action)")
        }
        #expect(kind("We are refreshing the common core framework") == .progress)
        #expect(kind("In March 2022 we published our Promise implementation plan") == .progress)
        #expect(!statements.contains { $0.text.contains("@") || $0.text.contains("Back to top") })
        #expect(statements.filter(\.isBullet).count == 13)
    }
}
