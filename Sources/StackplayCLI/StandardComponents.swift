import BuiltinModules
import Engine
import ModuleAPI
import OpenStack
import Templating

/// The modules, connections and fact gathering a real run uses. Connections are created by name
/// (`ansible_connection`), so other transports register here beside `local`.
public enum StandardComponents {
    public static func make(extraModules: [any Module.Type] = [], connections extra: [String: ConnectionFactory] = [:])
        -> RunComponents
    {
        var registry = BuiltinModules.registry
        for module in OpenStackModules.modules + TackerModules.modules + extraModules { registry.register(module) }
        var connections: [String: ConnectionFactory] = [
            "local": { target in LocalConnection(hostName: target.inventoryName) },
            "ssh": SSHConnectionFactory.make,
        ]
        connections.merge(extra) { _, new in new }
        return RunComponents(registry: registry, connections: connections, facts: ShellFacts())
    }
}

/// Fact gathering through the module layer's one-command fact script.
struct ShellFacts: FactSource {
    func gather(over connection: any Connection, subset: [String], timeout: Int) async throws -> ValueDictionary {
        try await FactGatherer.gather(over: connection, subset: subset, timeout: Double(timeout))
    }
}
