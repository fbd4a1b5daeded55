import Diagnostics
import Templating

/// What one task did on one host, for the strategy to act on.
struct TaskOutcome: Sendable {
    var result: HostTaskResult
    /// Handlers to notify (the task changed something).
    var notify: [String] = []
    var meta: [MetaAction] = []
    var includes: [IncludedTasks] = []
}

/// Runs one task on one host: conditions, loop, the action (with retries), result policies,
/// `register` and the action's effects on variables and inventory.
struct TaskRunner: Sendable {
    let context: ExecutionContext
    let play: PlayContext
    let info: TaskInfo

    var builder: ScopeBuilder { ScopeBuilder(context: context, play: play) }

    func run(_ task: TaskPlan, host: String) async -> TaskOutcome {
        var (outcome, effects) = await execute(task, host: host)
        apply(effects, task: task, host: host, outcome: &outcome)
        if let register = task.register {
            let registered = registeredValue(outcome.result)
            context.state.update(host) { $0.setFacts[register] = .init(registered, origin: task.location) }
        }
        if case .ok(changed: true) = outcome.result.status { outcome.notify = task.notify }
        return outcome
    }

    /// Runs the task with a scope that ends here: while a scope (and the snapshot in it) lives, the
    /// host's variables are shared with it, and applying the task's effects would copy them.
    private func execute(_ task: TaskPlan, host: String) async -> (TaskOutcome, [ActionEffect]) {
        let scope = builder.scope(for: task, host: host, snapshot: context.state.snapshot())
        let noLog = (try? Conditions.flag(task.noLog, scope: scope, default: false)) ?? false
        if let loop = task.loop {
            return await runLoop(task, loop: loop, host: host, scope: scope, noLog: noLog)
        }
        return await runSingle(task, host: host, scope: scope, noLog: noLog)
    }

    /// The result dictionary `register:` stores (Ansible keeps `failed`/`skipped` there).
    private func registeredValue(_ result: HostTaskResult) -> Value {
        var values = result.values
        if values["failed"] == nil { values["failed"] = .bool(result.status.stopsHost || isIgnoredFailure(result.status)) }
        if values["changed"] == nil { values["changed"] = .bool(false) }
        return .dict(values)
    }

    private func isIgnoredFailure(_ status: TaskStatus) -> Bool {
        if case .failed(ignored: true) = status { return true }
        return false
    }

    private func runSingle(_ task: TaskPlan, host: String, scope: TaskScope, noLog: Bool) async
        -> (TaskOutcome, [ActionEffect])
    {
        let attempt: Attempt
        do {
            let (holds, failedCondition) = try Conditions.allHold(task.conditions, scope: scope)
            if !holds {
                attempt = Attempt(
                    action: .skipped(
                        reason: "Conditional result was False",
                        extra: .pairs(["false_condition": .string(failedCondition ?? "")])),
                    status: .skipped)
            } else {
                attempt = await AttemptRunner(context: context, play: play, info: info)
                    .run(task, host: host, scope: scope)
            }
        } catch {
            attempt = Attempt.failed(error, task: task, scope: scope)
        }
        let result = HostTaskResult(
            host: host, status: attempt.status, values: attempt.action.values, delegatedTo: attempt.delegatedTo,
            verboseAlways: attempt.action.verboseAlways, noLog: noLog)
        if context.diffMode, !attempt.action.diffs.isEmpty, !noLog {
            context.bus.emit(.diff(info, host: host, diffs: attempt.action.diffs))
        }
        return (TaskOutcome(result: result), attempt.action.effects)
    }

    /// Applies what the actions asked for: variables, inventory changes, control flow.
    func apply(_ effects: [ActionEffect], task: TaskPlan, host: String, outcome: inout TaskOutcome) {
        let factsHost = task.delegateFacts ? (outcome.result.delegatedTo ?? host) : host
        for effect in effects {
            switch effect {
            case .setFacts(let facts, let cacheable):
                context.state.update(host) { record in
                    for (key, value) in facts {
                        guard case .string(let name) = key else { continue }
                        record.setFacts[name] = .init(value, origin: task.location)
                        if cacheable { record.cachedFacts[name] = .init(value, origin: task.location) }
                    }
                }
            case .gatheredFacts(let facts):
                context.state.update(factsHost) { record in
                    for (key, value) in facts { record.facts[FactInjection.unprefixed(key)] = value }
                }
            case .includeVars(let variables):
                context.state.update(host) { record in
                    for (key, value) in variables {
                        guard case .string(let name) = key else { continue }
                        record.includedVars[name] = .init(value, origin: task.location)
                    }
                }
            case .addHost(let name, let groups, let variables):
                var layers = context.state.record(host)?.baseLayers ?? VariableLayers()
                for source in VariableSource.allCases where source != .extraVars { layers.clear(source) }
                layers.merge(variables, into: .inventoryHostVars)
                context.state.addHost(HostRecord(name: name, groups: ["all"], baseLayers: layers), groups: groups)
            case .groupBy(let group, let parents):
                context.state.addToGroup(host, group: group, parents: parents)
            case .setStats(let data, let perHost, let aggregate):
                context.state.setStats(data, host: host, perHost: perHost, aggregate: aggregate)
            case .meta(let action):
                outcome.meta.append(action)
            case .include(let included):
                outcome.includes.append(included)
            }
        }
    }
}
