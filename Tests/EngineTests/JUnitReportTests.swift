import Foundation
import TestSupport
import Testing

@testable import Engine

struct JUnitReportTests {
    @Test func namesAndMessagesAreEscapedWithXMLEntities() async throws {
        let scratch = try Scratch()
        let report = scratch.path + "/report.xml"
        _ = try await runPlaybook(
            """
            - hosts: localhost
              gather_facts: false
              tasks:
                - name: say "hi" & 'bye' <now>
                  fail:
                    msg: a < b & "c"
            """
        ) { $0.junitPath = report }
        let xml = try String(contentsOfFile: report, encoding: .utf8)
        #expect(xml.contains(#"<testcase name="[localhost] say &quot;hi&quot; &amp; &apos;bye&apos; &lt;now&gt;""#))
        #expect(xml.contains(#"<failure message="a &lt; b &amp; &quot;c&quot;"></failure>"#))
    }
}
