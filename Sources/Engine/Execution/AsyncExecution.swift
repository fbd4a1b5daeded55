import ModuleAPI
import Templating

/// A task's `async:` / `poll:` settings and its `timeout:` keyword. `async` makes the module run
/// as a job (``AsyncJobRun``); `timeout` alone races the module against a timer and cancels the loser.
struct AsyncExecution: Sendable {
    let task: TaskPlan
    let scope: TaskScope

    /// ansible-core's default `poll` when a task sets `async` only (`DEFAULT_POLL_INTERVAL`).
    static let defaultPoll = 15.0

    /// Actions whose ansible-core action plugin refuses `async` (`_supports_async = False`).
    static let modulesWithoutAsync: Set<String> = [
        "ansible.builtin.copy", "ansible.builtin.template", "ansible.builtin.fetch", "ansible.builtin.raw",
        "ansible.builtin.script", "ansible.builtin.unarchive", "ansible.builtin.assemble",
        "ansible.builtin.async_status", "ansible.builtin.reboot", "ansible.builtin.wait_for_connection",
    ]

    /// `async` seconds and `poll` interval when the task runs as an async job; nil otherwise.
    func job() throws -> (seconds: Double, poll: Double)? {
        guard let seconds = try scope.seconds(task.asyncSeconds), seconds > 0 else { return nil }
        let poll = try scope.seconds(task.poll) ?? Self.defaultPoll
        return (seconds, max(poll, 0))
    }

    /// The failure ansible-core reports for `async` on an action that cannot run as a job.
    func refusal(for spec: ModuleSpec) -> ActionResult? {
        guard Self.modulesWithoutAsync.contains(spec.name) else { return nil }
        return .failure("This action (\(task.actionName)) does not support async.")
    }

    func refusal(for action: ControllerAction) throws -> ActionResult? {
        switch action {
        case .includeTasks, .includeRole, .meta, .tempfile, .waitFor, .gatherFacts: return nil
        default:
            guard try job() != nil else { return nil }
            return .failure("This action (\(task.actionName)) does not support async.")
        }
    }

    /// Seconds allowed by the `timeout` keyword; nil when unlimited.
    private var limit: Double? {
        guard let seconds = try? scope.seconds(task.timeout), seconds > 0 else { return nil }
        return seconds
    }

    /// The module's result, or nil when the `timeout` expired first.
    func run(_ body: @escaping @Sendable () async throws -> ModuleResult) async throws -> ModuleResult? {
        guard let limit else { return try await body() }
        return try await withThrowingTaskGroup(of: ModuleResult?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int(limit * 1000)))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { return nil }
            return first
        }
    }

    /// The failure Ansible reports when the `timeout` expires.
    func timedOut() -> ActionResult {
        guard let limit else { return .failure("the task timed out") }
        let seconds = limit == limit.rounded() ? String(Int(limit)) : String(limit)
        return .failure(
            "The \(task.actionName) action failed to execute in the expected time frame (\(seconds)) and was terminated")
    }
}
