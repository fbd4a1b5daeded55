import ModuleAPI
import Templating

/// `ansible.builtin.ping`: proves the host is reachable and can run commands; returns `ping: pong`.
public struct PingModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.ping", arguments: ArgumentSpec(["data": OptionSpec(.string, default: "pong")]))

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        let data = ModuleArguments(invocation, for: Self.self).string("data", default: "pong")
        if data == "crash" { return .failure("boom") }
        _ = try await TargetShell(invocation).run("true")
        return ModuleResult(values: ValueDictionary(["ping": .string(data)]))
    }
}
