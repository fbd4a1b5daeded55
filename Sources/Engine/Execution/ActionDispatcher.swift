import Diagnostics
import ModuleAPI
import Templating

/// Runs a task's action once on a host: templates the arguments, then hands them to a
/// controller action or to a module over the host's connection.
struct ActionDispatcher: Sendable {
    let context: ExecutionContext
    let play: PlayContext
    let task: TaskPlan
    let host: String
    /// `delegate_to`: the host whose connection runs the action.
    let delegate: String?
    /// For events about the task (`ASYNC POLL`).
    var info: TaskInfo?

    func run(scope: TaskScope) async -> ActionResult {
        do {
            let checkMode = try Conditions.flag(task.checkMode, scope: scope, default: context.checkMode)
            let diffMode = try Conditions.flag(task.diff, scope: scope, default: context.diffMode)
            switch task.action {
            case .controller(let action):
                if let refusal = try AsyncExecution(task: task, scope: scope).refusal(for: action) { return refusal }
                let arguments = try templatedArguments(scope: scope, raw: action == .includeTasks || action == .includeRole)
                let runner = ControllerActionRunner(
                    context: context, play: play, task: task, host: host, scope: scope, checkMode: checkMode,
                    delegate: delegate)
                return try await runner.run(action, arguments: arguments)
            case .module(let module):
                let arguments = try templatedArguments(scope: scope, raw: false)
                return try await runModule(module, arguments: arguments, scope: scope, checkMode: checkMode, diffMode: diffMode)
            }
        } catch let error as ConnectionError {
            var values = ValueDictionary()
            values["changed"] = .bool(false)
            values["msg"] = .string(error.message)
            values["unreachable"] = .bool(true)
            return ActionResult(values: values, unreachable: true)
        } catch {
            return Attempt.failed(error, task: task, scope: scope).action
        }
    }

    /// Arguments with templates evaluated and `omit` removed. Include actions keep their
    /// arguments raw until they know which part is theirs.
    private func templatedArguments(scope: TaskScope, raw: Bool) throws -> ValueDictionary {
        var result = ValueDictionary()
        for (key, value) in task.arguments {
            let location = key.string.flatMap { task.argumentLocations[$0] } ?? task.location
            let templated = try scope.template(value, at: location)
            if templated == .string(context.omitPlaceholder) { continue }
            result[key] = raw ? templated : removingOmitted(templated)
        }
        return result
    }

    private func removingOmitted(_ value: Value) -> Value {
        switch value {
        case .dict(let dictionary):
            var result = ValueDictionary()
            for (key, element) in dictionary where element != .string(context.omitPlaceholder) {
                result[key] = removingOmitted(element)
            }
            return .dict(result)
        case .list(let elements):
            return .list(elements.filter { $0 != .string(context.omitPlaceholder) }.map(removingOmitted))
        default:
            return value
        }
    }

    private func runModule(
        _ module: any Module.Type, arguments: ValueDictionary, scope: TaskScope, checkMode: Bool, diffMode: Bool
    ) async throws -> ActionResult {
        let spec = module.spec
        if checkMode && !spec.supportsCheckMode {
            return .skipped(
                reason: "Check mode is not supported for this task",
                extra: .pairs(["msg": .string("remote module (\(spec.name)) does not support check mode")]))
        }
        let canonical = try ModuleArguments.bind(arguments, to: spec, at: task.location)
        let targetHost = spec.runsOnController ? "localhost" : (delegate ?? host)
        let targetScope = try delegatedScope(for: targetHost, scope: scope)
        let connection = try await context.connections.connection(
            for: ConnectionSettings.target(
                for: targetHost, scope: targetScope, playTransport: task.connection, defaults: context.connectionDefaults))
        let templar = context.templar
        let managed = context.ansibleManaged
        let templateSource = canonical["src"].map { PythonRepr.text($0) }
        let templateDestination = canonical["dest"].map { PythonRepr.text($0) }
        let environment = try Environment.merged(task.environment, scope: scope)
        let invocation = ModuleInvocation(
            arguments: canonical, connection: connection, checkMode: checkMode, diffMode: diffMode, hostName: host,
            variables: scope, searchPaths: searchPaths(), environment: environment,
            become: try ConnectionSettings.become(task.become, scope: scope, defaults: context.connectionDefaults),
            renderTemplate: { source, path in
                let fileScope = try TemplateFileVariables.scope(
                    over: scope, path: templateSource ?? path, fullPath: path, destination: templateDestination,
                    managedFormat: managed)
                return try templar.render(
                    source, name: path, at: SourceLocation(file: path, line: 1, column: 1), scope: fileScope)
            },
            services: context.services)
        let execution = AsyncExecution(task: task, scope: scope)
        if let job = try execution.job() {
            if let refusal = execution.refusal(for: spec) { return refusal }
            return try await AsyncJobRun(context: context, info: info, host: host, seconds: job.seconds, poll: job.poll)
                .run(module, invocation: invocation)
        }
        let result = try await execution.run { try await module.init().run(invocation) }
        guard let result else { return execution.timedOut() }
        var action = ActionResult(values: result.registered.dictionary ?? ValueDictionary())
        action.diffs = result.diffs.map(\.value)
        action.values["diff"] = nil
        if !result.facts.isEmpty { action.effects.append(.gatheredFacts(result.facts)) }
        for warning in result.warnings { context.bus.emit(.warning(warning)) }
        return action
    }

    /// The scope of the host the action really runs on (for its connection variables).
    private func delegatedScope(for target: String, scope: TaskScope) throws -> TaskScope {
        guard target != host else { return scope }
        let snapshot = context.state.snapshot()
        if snapshot.hosts[target] == nil {
            // A delegate that is not in the inventory connects with defaults (local for localhost).
            return ScopeBuilder(context: context, play: play).scope(for: nil, host: target, snapshot: snapshot)
        }
        return ScopeBuilder(context: context, play: play).scope(for: task, host: target, snapshot: snapshot)
    }

    /// Where relative `src:` files are searched, as Ansible does: the role, the task's own
    /// directory, then the playbook directory (each with `files/` and `templates/`).
    private func searchPaths() -> [String] {
        var paths: [String] = []
        if let role = task.role {
            paths += [role.path + "/templates", role.path + "/files", role.path + "/tasks", role.path]
        }
        if let file = task.location?.file, let slash = file.lastIndex(of: "/") {
            let directory = String(file[..<slash])
            paths += [directory + "/templates", directory + "/files", directory]
        }
        let playbook = play.plan.playbookDirectory
        paths += [playbook + "/templates", playbook + "/files", playbook]
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }
}
