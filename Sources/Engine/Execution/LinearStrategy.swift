import Templating

/// Runs task lists the `linear` way: each task on every active host (concurrently, bounded by
/// forks) before the next task starts. Blocks, rescue/always, includes, handlers and `meta` are
/// handled here; per-host work is in ``TaskRunner``.
struct LinearStrategy: Sendable {
    let context: ExecutionContext
    let play: PlayPlan
    let allHosts: [String]
    let forks: Int
    let ids: TaskIdentifiers

    func run(_ items: [PlanItem], hosts: [String], state: inout BatchState) async {
        for item in items {
            if state.endPlay || state.endBatch { return }
            let live = hosts.filter { state.isActive($0) }
            if live.isEmpty { return }
            switch item {
            case .task(let task): await runTask(task, hosts: live, state: &state)
            case .block(let block): await runBlock(block, hosts: live, state: &state)
            }
        }
    }

    private func runBlock(_ block: BlockPlan, hosts: [String], state: inout BatchState) async {
        let failedBefore = state.failed
        if !block.rescue.isEmpty { state.rescueDepth += 1 }
        await run(block.block, hosts: hosts, state: &state)
        if !block.rescue.isEmpty { state.rescueDepth -= 1 }
        var failedHere = hosts.filter { state.failed.contains($0) && !failedBefore.contains($0) }
        if !block.rescue.isEmpty && !failedHere.isEmpty && !state.endPlay {
            for host in failedHere {
                state.failed.remove(host)
                context.state.countRescued(host)
            }
            await run(block.rescue, hosts: failedHere, state: &state)
            failedHere = hosts.filter { state.failed.contains($0) && !failedBefore.contains($0) }
        }
        guard !block.always.isEmpty, !state.endPlay else { return }
        // `always` runs for hosts that failed in the block too; they stay failed afterwards.
        for host in failedHere { state.failed.remove(host) }
        await run(block.always, hosts: hosts.filter { state.isActive($0) }, state: &state)
        for host in failedHere { state.failed.insert(host) }
    }

    /// Runs one task (or handler) on `hosts` and folds the outcomes into the batch state.
    func runTask(_ task: TaskPlan, hosts: [String], state: inout BatchState, kind: TaskInfo.Kind = .task) async {
        if let gate = state.startAtTask, !gate.admits(task) { return }
        guard context.tags.shouldRun(tags: task.tags) else { return }
        if case .controller(.meta) = task.action {
            await runMeta(task, hosts: hosts, state: &state)
            return
        }
        let playContext = PlayContext(plan: play, allHosts: allHosts, batch: state.hosts, activeHosts: state.active)
        let info = TaskInfo(
            id: ids.next(), displayName: TaskNaming.displayName(task, context: context, play: playContext),
            action: task.actionName, kind: kind, location: task.location, checkMode: context.checkMode,
            isLoop: task.loop != nil, isInclude: task.isInclude, isAction: Self.runsWithoutModule(task))
        context.bus.emit(.taskStarted(info))
        let targets = task.runOnce ? Array(hosts.prefix(1)) : hosts
        let runner = TaskRunner(context: context, play: playContext, info: info)
        let limit = min(forks, task.throttle.map { $0 > 0 ? $0 : forks } ?? forks)
        let outcomes = await HostFanOut.run(targets, limit: limit) { host in
            let outcome = await runner.run(task, host: host)
            context.bus.emit(.hostResult(info, outcome.result))
            return outcome
        }
        var includes: [(host: String, IncludedTasks)] = []
        for (host, outcome) in outcomes {
            record(outcome, host: host, task: task, state: &state)
            includes += outcome.includes.map { (host, $0) }
        }
        if task.runOnce, let (first, outcome) = outcomes.first {
            // run_once: the other hosts share the first host's result and registered variable.
            for host in hosts where host != first {
                if let register = task.register, let value = context.state.record(first)?.setFacts[register] {
                    context.state.update(host) { $0.setFacts[register] = value }
                }
                record(outcome, host: host, task: task, state: &state, counted: false)
            }
        }
        applyFailurePolicies(task, hosts: hosts, state: &state)
        await runIncludes(includes, state: &state)
    }

    /// Counts the result, stops failed hosts and records handler notifications.
    private func record(_ outcome: TaskOutcome, host: String, task: TaskPlan, state: inout BatchState, counted: Bool = true) {
        let status = outcome.result.status
        if counted {
            if case .failed(ignored: false) = status, state.rescueDepth > 0 {
                // Counted as rescued when the rescue section starts.
            } else if task.isInclude, let items = outcome.result.values["results"]?.array, !items.isEmpty {
                // A looped include counts once per item, as each item includes its own file.
                for item in items where item.dictionary?["skipped"] != .bool(true) {
                    context.state.count(host, .ok(changed: false))
                }
            } else {
                context.state.count(host, status, resultChanged: outcome.result.values["changed"] == .bool(true))
            }
        }
        switch status {
        case .failed(ignored: false):
            state.failed.insert(host)
            setFailureVariables(outcome, host: host, task: task)
        case .unreachable(ignored: false):
            state.unreachable.insert(host)
        default:
            break
        }
        for name in outcome.notify {
            if state.handlers.notify(name, host: host) {
                context.bus.emit(.handlerNotified(handler: name, host: host))
            }
        }
        for meta in outcome.meta { applyMeta(meta, host: host, state: &state) }
    }

    /// `ansible_failed_task` / `ansible_failed_result` for the `rescue` section.
    private func setFailureVariables(_ outcome: TaskOutcome, host: String, task: TaskPlan) {
        var failedTask = ValueDictionary()
        // An unnamed task's name is empty here, as in ansible-core (the banner shows the action instead).
        failedTask["name"] = .string(task.name ?? "")
        failedTask["action"] = .string(task.actionName)
        if let location = task.location { failedTask["path"] = .string("\(location.file):\(location.line)") }
        context.state.update(host) { record in
            record.setFacts["ansible_failed_task"] = .init(.dict(failedTask))
            record.setFacts["ansible_failed_result"] = .init(.dict(outcome.result.values))
        }
    }

    private func applyFailurePolicies(_ task: TaskPlan, hosts: [String], state: inout BatchState) {
        let failedNow = hosts.filter { state.failed.contains($0) || state.unreachable.contains($0) }
        guard !failedNow.isEmpty, state.rescueDepth == 0 else { return }
        if task.anyErrorsFatal ?? play.anyErrorsFatal {
            for host in state.hosts { state.failed.insert(host) }
            state.endPlay = true
        } else if let percentage = play.maxFailPercentage {
            let failedCount = state.hosts.filter { !state.isActive($0) && !state.ended.contains($0) }.count
            if Double(failedCount) * 100 / Double(max(state.hosts.count, 1)) > percentage {
                state.endPlay = true
            }
        }
    }

    private func runMeta(_ task: TaskPlan, hosts: [String], state: inout BatchState) async {
        let playContext = PlayContext(plan: play, allHosts: allHosts, batch: state.hosts, activeHosts: state.active)
        // ansible-core announces a meta task like any other (its banner, `skipping:` where `when` is
        // false) but reports no result for it and counts nothing unless it fails.
        let info = TaskInfo(
            id: ids.next(), displayName: TaskNaming.displayName(task, context: context, play: playContext),
            action: task.actionName, kind: .task, location: task.location, checkMode: context.checkMode)
        context.bus.emit(.taskStarted(info))
        let runner = TaskRunner(context: context, play: playContext, info: info)
        var flush = false
        for host in hosts {
            let outcome = await runner.run(task, host: host)
            switch outcome.result.status {
            case .failed:
                context.bus.emit(.hostResult(info, outcome.result))
                record(outcome, host: host, task: task, state: &state)
                continue
            case .skipped:
                context.bus.emit(.hostResult(info, outcome.result))
            default:
                break
            }
            if outcome.meta.contains(.flushHandlers) { flush = true }
            for meta in outcome.meta where meta != .flushHandlers { applyMeta(meta, host: host, state: &state) }
            if outcome.meta.contains(.endPlay) || outcome.meta.contains(.endBatch) { break }
        }
        if flush { await flushHandlers(state: &state) }
    }

    private func applyMeta(_ meta: MetaAction, host: String, state: inout BatchState) {
        switch meta {
        case .endPlay: state.endPlay = true
        case .endBatch: state.endBatch = true
        case .endHost:
            state.ended.insert(host)
            state.handlers.drop(host: host)
        case .clearHostErrors:
            state.failed.removeAll()
        case .clearFacts:
            context.state.update(host) { record in
                record.facts = ValueDictionary()
                record.cachedFacts = [:]
            }
        case .flushHandlers, .noop, .refreshInventory, .resetConnection, .endRole:
            break
        }
    }

    /// Runs pending handlers in definition order until none is pending.
    func flushHandlers(state: inout BatchState) async {
        while true {
            let eligible = Set(play.forceHandlers ? state.hosts.filter { !state.unreachable.contains($0) } : state.active)
            guard case .run(let index, let hosts) = state.handlers.next(activeHosts: eligible) else { return }
            var handler = state.handlerPlans[index]
            // Under force_handlers a failed host runs its handlers, then stays failed.
            let failedHosts = hosts.filter { state.failed.contains($0) }
            for host in failedHosts { state.failed.remove(host) }
            handler.tags = []
            await runTask(handler, hosts: hosts, state: &state, kind: .handler)
            for host in failedHosts { state.failed.insert(host) }
        }
    }

    /// The actions ansible-core's action plugins complete without a module.
    private static func runsWithoutModule(_ task: TaskPlan) -> Bool {
        switch task.action {
        case .controller(let action):
            return [.debug, .setFact, .assert, .fail, .includeVars, .addHost, .groupBy, .pause, .setStats].contains(action)
        default: return false
        }
    }

    /// Runs tasks brought in by `include_tasks`/`include_role`, grouping hosts that included the same thing.
    private func runIncludes(_ includes: [(host: String, IncludedTasks)], state: inout BatchState) async {
        guard !includes.isEmpty else { return }
        var groups: [(key: String, included: IncludedTasks, hosts: [String])] = []
        for (host, included) in includes {
            let key = included.path + "\u{0}" + PythonRepr.repr(included.itemLabel ?? .none)
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].hosts.append(host)
            } else {
                groups.append((key, included, [host]))
            }
        }
        // ansible-playbook announces every included file before the first of them runs.
        for group in groups {
            context.bus.emit(
                .included(path: group.included.shownName, hosts: group.hosts, itemLabel: group.included.itemLabel))
        }
        for group in groups {
            state.addHandlers(group.included.handlers)
            await run(group.included.items, hosts: group.hosts, state: &state)
        }
    }
}
