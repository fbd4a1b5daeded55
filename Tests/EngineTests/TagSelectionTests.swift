import Testing

@testable import Engine

@Suite struct TagSelectionTests {
    struct Case: Sendable, CustomStringConvertible {
        var only: [String]
        var skip: [String]
        var tags: Set<String>
        var runs: Bool
        var description: String { "--tags \(only) --skip-tags \(skip) task \(tags.sorted()) → \(runs)" }
    }

    static let cases: [Case] = [
        Case(only: [], skip: [], tags: [], runs: true),
        Case(only: [], skip: [], tags: ["web"], runs: true),
        Case(only: [], skip: [], tags: ["never"], runs: false),
        Case(only: ["web"], skip: [], tags: ["never", "web"], runs: true),
        Case(only: ["web"], skip: [], tags: ["db"], runs: false),
        Case(only: ["web"], skip: [], tags: [], runs: false),
        Case(only: ["web"], skip: [], tags: ["always"], runs: true),
        Case(only: ["tagged"], skip: [], tags: ["db"], runs: true),
        Case(only: ["tagged"], skip: [], tags: [], runs: false),
        Case(only: ["untagged"], skip: [], tags: [], runs: true),
        Case(only: ["untagged"], skip: [], tags: ["db"], runs: false),
        Case(only: [], skip: ["db"], tags: ["db"], runs: false),
        Case(only: [], skip: ["db"], tags: ["web"], runs: true),
        Case(only: [], skip: ["always"], tags: ["always"], runs: false),
        Case(only: [], skip: ["all"], tags: ["always"], runs: true),
        Case(only: [], skip: ["all"], tags: ["web"], runs: false),
        Case(only: [], skip: ["tagged"], tags: ["web"], runs: false),
        Case(only: [], skip: ["tagged"], tags: [], runs: true),
    ]

    @Test(arguments: cases)
    func selection(_ testCase: Case) {
        let selection = TagSelection(only: testCase.only, skip: testCase.skip)
        #expect(selection.shouldRun(tags: testCase.tags) == testCase.runs)
    }
}
