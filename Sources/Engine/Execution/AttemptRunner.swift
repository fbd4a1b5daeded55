import Diagnostics
import Templating

/// The outcome of running a task's action once or, with `until`, until it succeeds.
struct Attempt: Sendable {
    var action: ActionResult
    var status: TaskStatus
    var delegatedTo: String?

    /// A task that could not run because of an error (a template, a condition, bad arguments).
    static func failed(_ error: any Error, task: TaskPlan, scope: TaskScope) -> Attempt {
        let message = (error as? any LocatedError)?.message ?? "\(error)"
        let ignored = (try? Conditions.flag(task.ignoreErrors, scope: scope, default: false)) ?? false
        var action = ActionResult.failure(message)
        if let location = (error as? any LocatedError)?.location {
            action.values["_ansible_error_location"] = .string(location.description)
        }
        return Attempt(action: action, status: .failed(ignored: ignored))
    }
}

/// Runs a task's action with `until`/`retries`/`delay`, then applies `changed_when`,
/// `failed_when` and `ignore_errors` (ansible-core's `TaskExecutor._execute` loop).
struct AttemptRunner: Sendable {
    let context: ExecutionContext
    let play: PlayContext
    let info: TaskInfo

    func run(_ task: TaskPlan, host: String, scope: TaskScope) async -> Attempt {
        do {
            return try await runChecked(task, host: host, scope: scope)
        } catch {
            return Attempt.failed(error, task: task, scope: scope)
        }
    }

    private func runChecked(_ task: TaskPlan, host: String, scope: TaskScope) async throws -> Attempt {
        let delegate = try delegatedHost(task, scope: scope)
        let attempts = try attemptCount(task, scope: scope)
        let delay = try attempts == 1 ? 0 : scope.seconds(task.delay).map { $0 < 0 ? 1 : $0 } ?? 5
        let dispatcher = ActionDispatcher(
            context: context, play: play, task: task, host: host, delegate: delegate, info: info)
        var attempt = 0
        var result: ActionResult
        while true {
            attempt += 1
            result = await dispatcher.run(scope: scope)
            if result.unreachable { break }
            if attempts > 1 { result.values["attempts"] = .int(attempt) }
            try applyResultPolicies(task, to: &result, scope: scope)
            guard attempts > 1 else { break }
            // `retries` without `until` retries until the task does not fail.
            let bound = scope.adding(task.register.map { [$0: .dict(result.values)] } ?? [:])
            if let until = task.until {
                if try Conditions.allHold(until, scope: bound).holds { break }
            } else if !result.isFailed {
                break
            }
            guard attempt < attempts else {
                // ansible-core reports one attempt fewer than it made once all have failed.
                result.values["attempts"] = .int(attempts - 1)
                result.values["failed"] = .bool(true)
                break
            }
            var shown = result.values
            shown["attempts"] = .int(attempt + 1)
            shown["retries"] = .int(attempts)
            let pending = HostTaskResult(
                host: host, status: .failed(ignored: false), values: shown, verboseAlways: result.verboseAlways)
            context.bus.emit(
                .retrying(info, host: host, attempt: attempt, retriesLeft: attempts - attempt - 1, result: pending))
            if delay > 0 { try? await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
        }
        let status = try status(of: result, task: task, scope: scope)
        return Attempt(action: result, status: status, delegatedTo: delegate)
    }

    /// `changed_when` and `failed_when`, evaluated with the registered name bound to this result.
    private func applyResultPolicies(_ task: TaskPlan, to result: inout ActionResult, scope: TaskScope) throws {
        guard task.changedWhen != nil || task.failedWhen != nil else { return }
        let bound = scope.adding(task.register.map { [$0: .dict(result.values)] } ?? [:])
        if let changedWhen = task.changedWhen, !result.isSkipped {
            result.values["changed"] = .bool(try Conditions.allHold(changedWhen, scope: bound).holds)
        }
        if let failedWhen = task.failedWhen, !result.isSkipped {
            let failed = try failedWhen.contains { try Conditions.holds($0, scope: bound) }
            result.values["failed_when_result"] = .bool(failed)
            result.values["failed"] = .bool(failed)
        }
    }

    private func status(of result: ActionResult, task: TaskPlan, scope: TaskScope) throws -> TaskStatus {
        if result.unreachable {
            return .unreachable(ignored: try Conditions.flag(task.ignoreUnreachable, scope: scope, default: false))
        }
        if result.isFailed {
            return .failed(ignored: try Conditions.flag(task.ignoreErrors, scope: scope, default: false))
        }
        if result.isSkipped { return .skipped }
        return .ok(changed: result.isChanged)
    }

    /// How many times the action may run (ansible-core 2.21's `TaskExecutor`): once, plus `retries`
    /// when given (with or without `until`), plus 3 for an `until` without `retries`.
    private func attemptCount(_ task: TaskPlan, scope: TaskScope) throws -> Int {
        if let retries = try integer(task.retries, scope: scope) { return 1 + max(0, retries) }
        return task.until == nil ? 1 : 4
    }

    private func delegatedHost(_ task: TaskPlan, scope: TaskScope) throws -> String? {
        guard let expression = task.delegateTo else { return nil }
        let value = try scope.template(expression.value, at: expression.location)
        switch value {
        case .string(let name) where !name.isEmpty: return name
        case .none: return nil
        default: return PythonRepr.text(value)
        }
    }

    private func integer(_ expression: LocatedExpression?, scope: TaskScope) throws -> Int? {
        guard let expression else { return nil }
        switch try scope.template(expression.value, at: expression.location) {
        case .int(let number): return number
        case .string(let text): return Int(text.trimmingSpaces)
        case .float(let number): return Int(number)
        default: return nil
        }
    }
}
