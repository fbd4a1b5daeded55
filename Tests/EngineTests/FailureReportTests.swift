import Diagnostics
import Foundation
import Templating
import TestSupport
import Testing

@testable import Engine

/// The report printed before a failed task's result line, laid out as ansible-core 2.21 lays it out.
@Suite struct FailureReportTests {
    @Test func theExcerptNumbersLinesToTheWidestAndPointsAtTheColumn() throws {
        let scratch = try Scratch()
        let lines = (1...9).map { "line \($0)" } + ["", "    - command: /bin/false"]
        let path = try scratch.write("site.yml", lines.joined(separator: "\n") + "\n")
        let excerpt = try #require(FailureReport.excerpt(path: path, line: 11, column: 7))
        // Blank lines show their number only; the caret sits under column 7 after the gutter.
        #expect(excerpt == " 9 line 9\n10\n11     - command: /bin/false\n         ^ column 7\n")
    }

    @Test func moduleAndActionFailuresAreToldApartAndPathsMadeAbsolute() throws {
        let scratch = try Scratch()
        _ = try scratch.write("site.yml", "- hosts: all\n  tasks:\n    - fail:\n")
        let location = SourceLocation(file: "site.yml", line: 3, column: 7)
        let failed = HostTaskResult(host: "h", status: .failed(ignored: false), values: ValueDictionary([("msg", .string("broken"))]))
        let report = FailureReport(workingDirectory: scratch.path)
        let action = report.render(failed, task: TaskInfo(id: 1, displayName: "fail", action: "fail", location: location, isAction: true))
        #expect(action?.hasPrefix("[ERROR]: Task failed: Action failed: broken\nOrigin: \(scratch.path)/site.yml:3:7\n\n") == true)
        let module = report.render(failed, task: TaskInfo(id: 2, displayName: "x", action: "command", location: location))
        #expect(module?.hasPrefix("[ERROR]: Task failed: Module failed: broken\n") == true)
        let retried = HostTaskResult(host: "h", status: .failed(ignored: false), values: ValueDictionary([("msg", .string("broken")), ("attempts", .int(3))]))
        #expect(report.render(retried, task: TaskInfo(id: 3, displayName: "x", action: "command", location: location)) == nil)
    }
}
