import Foundation
import Templating

/// `--junit FILE`: one `<testsuite>` per play, one `<testcase>` per task and host; failures and
/// unreachable hosts are `<failure>`, skips `<skipped/>`. Written when the recap arrives.
public struct JUnitCallback: OutputCallback {
    private struct Case {
        var name: String
        var className: String
        var seconds: Double
        var status: TaskStatus
        var message: String
    }

    private let path: String
    private var suites: [(name: String, cases: [Case])] = []
    private var taskStarted: [Int: ContinuousClock.Instant] = [:]
    /// Called when the file cannot be written.
    private let onError: @Sendable (String) -> Void

    public init(path: String, onError: @escaping @Sendable (String) -> Void) {
        self.path = path
        self.onError = onError
    }

    public mutating func handle(_ event: RunEvent) {
        switch event {
        case .playStarted(let play):
            suites.append((play.name.isEmpty ? play.hostPattern : play.name, []))
        case .taskStarted(let task):
            taskStarted[task.id] = .now
        case .hostResult(let task, let result):
            let elapsed = taskStarted[task.id].map { ContinuousClock.now - $0 } ?? .zero
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if suites.isEmpty { suites.append(("", [])) }
            let message = result.noLog ? ResultFormatting.censoredMessage : (result.message ?? "")
            suites[suites.count - 1].cases.append(
                Case(
                    name: "[\(result.host)] \(task.displayName)", className: task.location?.file ?? task.action,
                    seconds: seconds, status: result.status, message: message))
        case .recap:
            write()
        default:
            break
        }
    }

    private func write() {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
        for suite in suites {
            let failures = suite.cases.filter { $0.status.stopsHost }.count
            let skipped = suite.cases.filter { $0.status == .skipped }.count
            let time = suite.cases.reduce(0) { $0 + $1.seconds }
            xml += "  <testsuite name=\"\(escape(suite.name))\" tests=\"\(suite.cases.count)\" failures=\"\(failures)\""
            xml += " errors=\"0\" skipped=\"\(skipped)\" time=\"\(format(time))\">\n"
            for testCase in suite.cases {
                xml += "    <testcase name=\"\(escape(testCase.name))\" classname=\"\(escape(testCase.className))\""
                xml += " time=\"\(format(testCase.seconds))\""
                switch testCase.status {
                case .failed(ignored: false), .unreachable(ignored: false):
                    xml += ">\n      <failure message=\"\(escape(testCase.message))\"></failure>\n    </testcase>\n"
                case .skipped:
                    xml += ">\n      <skipped/>\n    </testcase>\n"
                default:
                    xml += "/>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        do {
            try Data(xml.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            onError("could not write JUnit report '\(path)': \(error.localizedDescription)")
        }
    }

    private func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

    private func escape(_ text: String) -> String { MarkupEscaping.escape(text, quotes: .named) }
}
