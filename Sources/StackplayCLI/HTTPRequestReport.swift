import Engine
import Foundation
import OpenStack

/// What the run asked of the cloud APIs, printed after the recap at `-vvv` (one summary line) and
/// `-vvvv` (every request): the number operators and benchmarks compare against the floor of one
/// token and one read per resource.
enum HTTPRequestReport {
    static func write(_ log: RequestLog, verbosity: Int, to output: any TextOutput) {
        let entries = log.all
        guard verbosity >= 3, !entries.isEmpty else { return }
        var text = ""
        if verbosity >= 4 {
            for entry in entries {
                let status = entry.status.map(String.init) ?? "no answer"
                text += "HTTP \(entry.method) \(entry.url) -> \(status) (\(seconds(entry.seconds)))\n"
            }
        }
        let byMethod = Dictionary(grouping: entries, by: \.method).map { "\($0.key) \($0.value.count)" }.sorted()
        let total = entries.reduce(0) { $0 + $1.seconds }
        text += "HTTP requests: \(entries.count) (\(byMethod.joined(separator: ", "))), \(seconds(total)) in requests\n"
        output.write(text, toStandardError: false)
    }

    private static func seconds(_ value: Double) -> String {
        String(format: "%.3f s", value)
    }
}
