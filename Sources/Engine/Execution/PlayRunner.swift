import ModuleAPI
import Templating

/// Runs one play: resolves `serial` batches, gathers facts, runs pre_tasks, roles and tasks,
/// post_tasks (flushing handlers after each), with the play's strategy.
struct PlayRunner: Sendable {
    let context: ExecutionContext
    let plan: PlayPlan
    let forks: Int
    let ids: TaskIdentifiers
    let startAtTask: StartAtTask?

    /// Runs the play on `hosts`; returns false when the run must stop (every host failed).
    func run(hosts: [String]) async -> Bool {
        context.bus.emit(
            .playStarted(PlayInfo(name: plan.name, hostPattern: plan.hostPattern, hosts: hosts, checkMode: context.checkMode)))
        guard !hosts.isEmpty else {
            context.bus.emit(.noHostsMatched)
            return true
        }
        for host in hosts { context.state.touch(host) }
        var anyBatchSurvived = false
        for batch in SerialBatches.batches(hosts, sizes: plan.serial) {
            var state = BatchState(hosts: batch, handlers: plan.handlers, startAtTask: startAtTask)
            switch plan.strategy {
            case .linear:
                await runLinear(batch: batch, allHosts: hosts, state: &state)
            case .free, .hostPinned:
                await runFree(batch: batch, allHosts: hosts, state: &state)
            }
            if !state.active.isEmpty || !state.ended.isEmpty { anyBatchSurvived = true }
            if state.active.isEmpty && state.ended.isEmpty { return false }
            if state.endPlay { break }
        }
        return anyBatchSurvived
    }

    /// The hosts the implicit fact gathering runs on (`gathering = smart` skips hosts with facts).
    private func factHosts(_ hosts: [String]) -> [String] {
        guard plan.gatherOnlyMissingFacts else { return hosts }
        return hosts.filter { context.state.record($0)?.facts.isEmpty ?? true }
    }

    private func strategy(allHosts: [String]) -> LinearStrategy {
        LinearStrategy(context: context, play: plan, allHosts: allHosts, forks: forks, ids: ids)
    }

    private func runLinear(batch: [String], allHosts: [String], state: inout BatchState) async {
        let linear = strategy(allHosts: allHosts)
        if plan.gatherFacts, case let hosts = factHosts(batch), !hosts.isEmpty {
            await linear.runTask(
                FactGathering.task(for: plan, id: ids.next(), registry: context.registry), hosts: hosts, state: &state)
        }
        for section in [plan.preTasks, plan.tasks, plan.postTasks] {
            await linear.run(section, hosts: state.active, state: &state)
            if state.endPlay && !plan.forceHandlers { return }
            await linear.flushHandlers(state: &state)
            if state.endPlay || state.endBatch { return }
        }
    }

    /// `free` / `host_pinned`: every host walks the whole play on its own, as fast as it can.
    private func runFree(batch: [String], allHosts: [String], state: inout BatchState) async {
        let linear = strategy(allHosts: allHosts)
        let plan = self.plan
        let ids = self.ids
        let startAtTask = self.startAtTask
        let finalStates = await HostFanOut.run(batch, limit: forks) { host in
            var hostState = BatchState(hosts: [host], handlers: plan.handlers, startAtTask: startAtTask)
            if plan.gatherFacts, !factHosts([host]).isEmpty {
                await linear.runTask(
                    FactGathering.task(for: plan, id: ids.next(), registry: context.registry), hosts: [host],
                    state: &hostState)
            }
            for section in [plan.preTasks, plan.tasks, plan.postTasks] {
                await linear.run(section, hosts: hostState.active, state: &hostState)
                if hostState.endPlay && !plan.forceHandlers { break }
                await linear.flushHandlers(state: &hostState)
                if hostState.endPlay || hostState.endBatch { break }
            }
            return hostState
        }
        for (host, hostState) in finalStates {
            if hostState.failed.contains(host) { state.failed.insert(host) }
            if hostState.unreachable.contains(host) { state.unreachable.insert(host) }
            if hostState.ended.contains(host) { state.ended.insert(host) }
        }
    }
}

/// The implicit `Gathering Facts` task at the start of a play.
enum FactGathering {
    /// Runs the `setup` module when one is registered (so facts come over the host's connection
    /// like any module), else the engine's own ``FactSource``.
    static func task(for plan: PlayPlan, id: Int, registry: ModuleRegistry) -> TaskPlan {
        let action: TaskAction = registry.module(named: "ansible.builtin.setup").map { .module($0) } ?? .controller(.gatherFacts)
        var task = TaskPlan(
            id: id, name: "Gathering Facts", actionName: "gather_facts", action: action,
            arguments: ValueDictionary(), location: plan.location)
        task.tags = ["always"]
        return task
    }
}
