import Testing
@testable import PromiseProgress

@Suite("Civil dates")
struct CivilDateTests {
    @Test("ISO dates parse and print back", arguments: ["1970-01-01", "2000-02-29", "2024-07-31", "1899-12-31", "2099-01-01"])
    func roundTrip(_ text: String) throws {
        let date = try #require(CivilDate(iso: text))
        #expect(date.iso == text)
    }

    @Test("day numbers count from 1970-01-01")
    func dayNumbers() {
        #expect(CivilDate(iso: "1970-01-01")?.day == 0)
        #expect(CivilDate(iso: "2024-07-31")?.day == 19935)
        #expect(CivilDate(iso: "2024-03-01")!.day - CivilDate(iso: "2024-02-28")!.day == 2)
        #expect(CivilDate(iso: "2023-03-01")!.day - CivilDate(iso: "2023-02-28")!.day == 1)
    }

    @Test("impossible or badly written dates are rejected",
          arguments: ["2023-02-29", "2024-13-01", "2024-04-31", "2024-00-10", "24-07-31", "2024/07/31", "2024-7-31", "", "2024-07-31 ", "abcd-ef-gh"])
    func invalid(_ text: String) {
        #expect(CivilDate(iso: text) == nil)
    }
}
