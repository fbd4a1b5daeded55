import ModuleAPI
import Templating

/// Gathers a host's facts through its connection; provided by the module layer.
public protocol FactSource: Sendable {
    /// The host's facts without the `ansible_` prefix (`hostname`, `default_ipv4`, …).
    func gather(over connection: any Connection, subset: [String], timeout: Int) async throws -> ValueDictionary
}

/// `setup` / `gather_facts` (explicitly, or implicitly at the start of a play).
struct FactsAction: Sendable {
    let context: ExecutionContext
    let play: PlayContext
    let task: TaskPlan
    let host: String
    let scope: TaskScope

    func run(_ arguments: ValueDictionary) async throws -> ActionResult {
        let subset = arguments["gather_subset"]?.array?.map { PythonRepr.text($0) } ?? ["all"]
        let timeout: Int = if case .int(let number) = arguments["gather_timeout"] { number } else { 10 }
        let target = try ConnectionSettings.target(
            for: host, scope: scope, playTransport: task.connection, defaults: context.connectionDefaults)
        let connection = try await context.connections.connection(for: target)
        let facts = try await context.facts.gather(over: connection, subset: subset, timeout: timeout)
        var values = ValueDictionary()
        values["ansible_facts"] = .dict(facts)
        values["changed"] = .bool(false)
        return ActionResult(values: values, effects: [.gatheredFacts(facts)])
    }
}
