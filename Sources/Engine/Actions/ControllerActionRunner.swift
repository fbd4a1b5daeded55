import Diagnostics
import Foundation
import Templating

/// Runs one controller action on one host with templated arguments.
struct ControllerActionRunner: Sendable {
    let context: ExecutionContext
    let play: PlayContext
    let task: TaskPlan
    let host: String
    let scope: TaskScope
    let checkMode: Bool
    let delegate: String?

    func run(_ action: ControllerAction, arguments: ValueDictionary) async throws -> ActionResult {
        let arguments = try ModuleArguments.bind(
            arguments, to: ControllerActionSpecs.spec(for: action), at: task.location, module: action.rawValue)
        switch action {
        case .debug: return try debug(arguments)
        case .setFact: return setFact(arguments)
        case .assert: return try assertion(arguments)
        case .fail:
            return .failure(arguments["msg"].map { PythonRepr.text($0) } ?? "Failed as requested from task")
        case .meta: return try meta(arguments)
        case .includeVars: return try IncludeVarsAction(context: context, task: task, play: play).run(arguments)
        case .addHost: return addHost(arguments)
        case .groupBy: return groupBy(arguments)
        case .pause: return try await PauseAction.run(arguments)
        case .setStats: return setStats(arguments)
        case .tempfile: return try await TempfileAction(context: context, task: task, host: host, scope: scope)
            .run(arguments, checkMode: checkMode)
        case .waitFor: return try await WaitForAction.run(arguments)
        case .includeTasks, .includeRole:
            return try IncludeAction(context: context, task: task, scope: scope).run(action, arguments: arguments)
        case .gatherFacts: return try await FactsAction(context: context, play: play, task: task, host: host, scope: scope)
            .run(arguments)
        }
    }

    private func debug(_ arguments: ValueDictionary) throws -> ActionResult {
        let verbosity = arguments["verbosity"].flatMap { if case .int(let n) = $0 { n } else { nil } } ?? 0
        if verbosity > context.verbosity {
            return .skipped(reason: "Verbosity threshold not met.")
        }
        var values = ValueDictionary()
        if let variable = arguments["var"] {
            let name = PythonRepr.text(variable)
            var shown: Value
            do {
                shown = try scope.templar.evaluateExpression(name, at: task.argumentLocations["var"], scope: scope)
                if case .undefined = shown { shown = "VARIABLE IS NOT DEFINED!" }
            } catch {
                shown = "VARIABLE IS NOT DEFINED!"
            }
            values[.string(name)] = shown
        } else {
            values["msg"] = arguments["msg"] ?? "Hello world!"
        }
        values["changed"] = .bool(false)
        values["failed"] = .bool(false)
        return ActionResult(values: values, verboseAlways: true)
    }

    private func setFact(_ arguments: ValueDictionary) -> ActionResult {
        var facts = ValueDictionary()
        var cacheable = false
        for (key, value) in arguments {
            if key == "cacheable" {
                cacheable = value == .bool(true)
                continue
            }
            facts[key] = value
        }
        var values = ValueDictionary()
        values["ansible_facts"] = .dict(facts)
        values["changed"] = .bool(false)
        return ActionResult(values: values, effects: [.setFacts(facts, cacheable: cacheable)])
    }

    private func assertion(_ arguments: ValueDictionary) throws -> ActionResult {
        let that: [Value] = arguments["that"]?.array ?? arguments["that"].map { [$0] } ?? []
        let location = task.argumentLocations["that"] ?? task.location
        let quiet = arguments["quiet"] == .bool(true)
        let written: [Value] = task.arguments["that"].map { $0.array ?? [$0] } ?? []
        for (index, condition) in that.enumerated() {
            let expression = LocatedExpression(condition, at: location)
            if try !Conditions.holds(expression, scope: scope) {
                let failMessage = arguments["fail_msg"] ?? arguments["msg"]
                var values = ValueDictionary()
                // The condition as written, like ansible-core (whose `that` is never templated as an
                // argument): `"{{ x == 2 }}"` shows as such and evaluates to false when used.
                values["assertion"] = index < written.count ? written[index] : condition
                values["evaluated_to"] = .bool(false)
                values["changed"] = .bool(false)
                values["failed"] = .bool(true)
                values["msg"] = failMessage ?? "Assertion failed"
                return ActionResult(values: values, verboseAlways: true)
            }
        }
        var values = ValueDictionary()
        values["changed"] = .bool(false)
        values["msg"] = arguments["success_msg"] ?? "All assertions passed"
        return ActionResult(values: values, verboseAlways: !quiet)
    }

    private func meta(_ arguments: ValueDictionary) throws -> ActionResult {
        let text = arguments["_raw_params"].map { PythonRepr.text($0).trimmingSpaces } ?? ""
        guard let action = MetaAction(rawValue: text) else {
            throw SourceError("invalid meta action requested: \(text)", at: task.argumentLocations["_raw_params"] ?? task.location)
        }
        var values = ValueDictionary()
        values["changed"] = .bool(false)
        if action == .noop || action == .flushHandlers || action == .refreshInventory {
            values["skipped"] = .bool(false)
        }
        return ActionResult(values: values, effects: [.meta(action)])
    }

    private func addHost(_ arguments: ValueDictionary) -> ActionResult {
        var variables = ValueDictionary()
        var name = ""
        var groups: [String] = []
        for (key, value) in arguments {
            switch key.string ?? "" {
            case "name": name = PythonRepr.text(value)
            case "groups":
                groups = value.array.map { $0.map { PythonRepr.text($0) } }
                    ?? PythonRepr.text(value).split(separator: ",").map { String($0).trimmingSpaces }
            default: variables[key] = value
            }
        }
        // `host:port` names the port too, as add_host does.
        if let colon = name.lastIndex(of: ":"), !name.contains("]"), name.filter({ $0 == ":" }).count == 1,
            let port = Int(name[name.index(after: colon)...])
        {
            variables["ansible_port"] = .int(port)
            name = String(name[..<colon])
        }
        var values = ValueDictionary()
        values["add_host"] = .object([
            "host_name": .string(name), "groups": .list(groups.map(Value.string)), "host_vars": .dict(variables),
        ])
        // ansible-core reports inventory changes as changed.
        values["changed"] = .bool(true)
        return ActionResult(values: values, effects: [.addHost(name: name, groups: groups, variables: variables)])
    }

    private func groupBy(_ arguments: ValueDictionary) -> ActionResult {
        let key = arguments["key"].map { PythonRepr.text($0).replacingOccurrences(of: " ", with: "-") } ?? ""
        let parents = arguments["parents"]?.array?.map { PythonRepr.text($0) }
            ?? arguments["parents"].map { [PythonRepr.text($0)] } ?? ["all"]
        var values = ValueDictionary()
        values["changed"] = .bool(true)
        values["add_group"] = .string(key)
        values["parent_groups"] = .list(parents.map(Value.string))
        return ActionResult(values: values, effects: [.groupBy(group: key, parents: parents)])
    }

    private func setStats(_ arguments: ValueDictionary) -> ActionResult {
        let data = arguments["data"]?.dictionary ?? ValueDictionary()
        let perHost = arguments["per_host"] == .bool(true)
        let aggregate = arguments["aggregate"] != .bool(false)
        var values = ValueDictionary()
        values["changed"] = .bool(false)
        values["ansible_stats"] = .object(["data": .dict(data), "per_host": .bool(perHost), "aggregate": .bool(aggregate)])
        return ActionResult(values: values, effects: [.setStats(data, perHost: perHost, aggregate: aggregate)])
    }
}
