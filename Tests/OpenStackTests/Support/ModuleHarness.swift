import Foundation
import ModuleAPI
import Templating

@testable import OpenStack

/// A connection for controller-side modules: OpenStack modules never touch the host, so any use fails.
struct ControllerOnlyConnection: Connection {
    var transport: String { "local" }

    func execute(_ command: CommandRequest) async throws(ConnectionError) -> CommandOutput {
        throw ConnectionError(.io, host: "localhost", message: "OpenStack modules must not run commands")
    }

    func upload(_ data: Data, to path: String, mode: UInt16?) async throws(ConnectionError) {
        throw ConnectionError(.io, host: "localhost", message: "OpenStack modules must not upload")
    }

    func download(_ path: String) async throws(ConnectionError) -> Data {
        throw ConnectionError(.io, host: "localhost", message: "OpenStack modules must not download")
    }

    func close() async {}
}

/// Runs modules the way the engine does: aliases resolved to canonical names and defaults filled in
/// from the module's spec, one `ServiceContainer` (so one token) for the whole test run.
enum ModuleHarness {
    static let services = ServiceContainer()

    static func canonical(_ arguments: [String: Value], spec: ArgumentSpec) -> ValueDictionary {
        var result = ValueDictionary()
        for (name, value) in arguments {
            let canonicalName = spec.options.first { $0.key == name || $0.value.aliases.contains(name) }?.key ?? name
            result[canonicalName] = value
        }
        for (name, option) in spec.options where result[name] == nil {
            result[name] = option.defaultValue ?? Value.none
        }
        return result
    }

    static func run<M: Module>(
        _ module: M.Type, _ arguments: [String: Value], check: Bool = false, diff: Bool = false,
        environment: [String: String] = TestBed.environment, services: ServiceContainer = ModuleHarness.services
    ) async throws -> ModuleResult {
        let invocation = ModuleInvocation(
            arguments: canonical(arguments, spec: M.spec.arguments), connection: ControllerOnlyConnection(),
            checkMode: check, diffMode: diff, hostName: "localhost", variables: DictionaryScope([:]),
            environment: environment, renderTemplate: { source, _ in source }, services: services)
        return try await M().run(invocation)
    }
}

/// The test bed's clouds (`STACKPLAY_TESTBED` names the directory holding its clouds.yaml).
enum TestBed {
    static let directory = ProcessInfo.processInfo.environment["STACKPLAY_TESTBED"]
    static var isAvailable: Bool {
        guard let directory else { return false }
        return FileManager.default.fileExists(atPath: directory + "/clouds.yaml")
    }

    /// Environment that points openstacksdk-style resolution at the test bed's clouds.yaml.
    static var environment: [String: String] {
        guard let directory else { return [:] }
        return ["OS_CLIENT_CONFIG_FILE": directory + "/clouds.yaml"]
    }

    /// A name no earlier run used, so that tests never collide with leftovers.
    static func uniqueName(_ prefix: String) -> String {
        "sp-\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Repeats a step while the test bed's services restart (connection refused, 502/503).
    static func retrying<T>(_ step: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await step()
            } catch let error as OpenStackTransportError where attempt < 5 {
                attempt += 1
                _ = error
                try await Task.sleep(nanoseconds: 2_000_000_000)
            }
        }
    }
}

extension ModuleResult {
    /// The dict under `key` in the result values.
    func resource(_ key: String) -> ValueDictionary? { values[key]?.dictionary }
}
