import Foundation
import Templating

/// `pause: seconds=N` / `minutes=N`. Prompts are not read (stackplay runs non-interactively), so
/// a pause with only a prompt returns at once with empty input, as Ansible does without a TTY.
enum PauseAction {
    static func run(_ arguments: ValueDictionary) async throws -> ActionResult {
        func seconds(_ value: Value?) -> Double? {
            switch value {
            case .some(.int(let number)): return Double(number)
            case .some(.float(let number)): return number
            case .some(.string(let text)): return Double(text.trimmingSpaces)
            default: return nil
            }
        }
        let duration = seconds(arguments["seconds"]) ?? seconds(arguments["minutes"]).map { $0 * 60 } ?? 0
        let start = Date()
        if duration > 0 { try await Task.sleep(for: .milliseconds(Int(duration * 1000))) }
        let stop = Date()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        var values = ValueDictionary()
        values["changed"] = .bool(false)
        values["delta"] = .int(Int(duration))
        values["echo"] = arguments["echo"] ?? .bool(true)
        values["rc"] = .int(0)
        values["start"] = .string(formatter.string(from: start))
        values["stop"] = .string(formatter.string(from: stop))
        values["stderr"] = .string("")
        values["stdout"] = .string("Paused for \(formatSeconds(duration))")
        values["user_input"] = .string("")
        return ActionResult(values: values)
    }

    private static func formatSeconds(_ seconds: Double) -> String {
        if seconds >= 60 {
            let minutes = seconds / 60
            return minutes == minutes.rounded() ? "\(Int(minutes)) minutes" : "\(minutes) minutes"
        }
        return seconds == seconds.rounded() ? "\(Int(seconds)) seconds" : "\(seconds) seconds"
    }
}
