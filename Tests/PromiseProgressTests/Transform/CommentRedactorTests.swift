import Testing
@testable import PromiseProgress

@Suite("Children's comments are redacted before anything is published")
struct CommentRedactorTests {
    static let redactor = CommentRedactor(names: ["Jamie", "Chloe", "Callum"], places: ["Glasgow City", "Castlemilk", "Na h-Eileanan Siar"],
                                          schools: ["Riverside Primary", "St Kentigern's Academy"])

    @Test("names, e-mail addresses, phone numbers, postcodes, addresses, schools and places are replaced by a word in brackets",
          arguments: [
            ("Jamie my key worker is great, email her at sarah.mcleod@example.org",
             "[name] my key worker is great, email her at [e-mail]"),
            ("call me on 07700 900123 or 0141 496 0321 or +44 7700 900456 or +44 (0)131 496 0000",
             "call me on [phone] or [phone] or [phone] or [phone]"),
            ("I live at 14 Station Road, G45 9AB and go to Riverside Primary.",
             "I live at [address], [postcode] and go to [school]."),
            ("Flat 2, 41 Union Terrace, eh16 4xy", "[address], [postcode]"),
            ("I moved from Castlemilk to a home in Glasgow City and now go to Braeside High School.",
             "I moved from [place] to a home in [place] and now go to [school]."),
            ("Chloe's mum and CALLUM came to St Kentigern's Academy", "[name]'s mum and [name] came to [school]"),
            ("jamie b at jamie (at) example (dot) com", "jamie b at [e-mail]"),
            ("I will be 12 in 2026 and there are 3 of us.", "I will be 12 in 2026 and there are 3 of us."),
          ])
    func redacts(input: String, expected: String) {
        #expect(Self.redactor.redact(input) == expected)
    }

    @Test("the audit's patterns find what the redactor takes out, and nothing in ordinary figures")
    func auditPatterns() {
        let found = CommentRedactor.contactDetails(in: "jo@example.com, 07700 900123 and G45 9AB")
        #expect(found.map(\.kind) == ["e-mail", "phone", "postcode"])
        let figures = "2,593 of 3,350 (77.4%); 95% interval 76.0% to 78.8%; sw2025; S12000049; 0.000123; 2019-20\n2020-21\n000\n2021"
        #expect(CommentRedactor.contactDetails(in: figures).isEmpty)
    }
}
