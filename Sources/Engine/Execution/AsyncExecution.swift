import ModuleAPI
import Templating

/// Enforces `async:` (with `poll:`) and the task `timeout:` keyword on a module run: the module
/// runs as a child task raced against a timer, and the loser is cancelled.
struct AsyncExecution: Sendable {
    let task: TaskPlan
    let scope: TaskScope

    /// Seconds allowed, from `async` or else `timeout`; nil when unlimited.
    private var limit: (seconds: Double, isAsync: Bool)? {
        if let seconds = seconds(task.asyncSeconds), seconds > 0 { return (seconds, true) }
        if let seconds = seconds(task.timeout), seconds > 0 { return (seconds, false) }
        return nil
    }

    private func seconds(_ expression: LocatedExpression?) -> Double? {
        guard let expression, let value = try? scope.template(expression.value, at: expression.location) else {
            return nil
        }
        switch value {
        case .int(let number): return Double(number)
        case .float(let number): return number
        case .string(let text): return Double(text.trimmingSpaces)
        default: return nil
        }
    }

    /// The module's result, or nil when the time limit expired first.
    func run(_ body: @escaping @Sendable () async throws -> ModuleResult) async throws -> ModuleResult? {
        guard let limit else { return try await body() }
        return try await withThrowingTaskGroup(of: ModuleResult?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int(limit.seconds * 1000)))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { return nil }
            return first
        }
    }

    /// The failure Ansible reports when the limit expires.
    func timedOut() -> ActionResult {
        guard let limit else { return .failure("the task timed out") }
        let seconds = limit.seconds == limit.seconds.rounded() ? String(Int(limit.seconds)) : String(limit.seconds)
        if limit.isAsync {
            return .failure("async task did not complete within the requested time - \(seconds)s")
        }
        return .failure(
            "The \(task.actionName) action failed to execute in the expected time frame (\(seconds)) and was terminated")
    }
}
