import Foundation
import ModuleAPI
import Templating

/// What one OpenStack module run works with: its arguments, the run-wide session of its cloud, and
/// API handles for the services it calls.
struct OpenStackContext: Sendable {
    let invocation: ModuleInvocation
    let arguments: Arguments
    let session: CloudSession

    /// Resolves the cloud from the task's arguments and environment and takes the run's shared session.
    static func make(_ invocation: ModuleInvocation) throws -> OpenStackContext {
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in invocation.environment { environment[key] = value }
        let config = try CloudConfigLoader(environment: environment).resolve(arguments: invocation.arguments)
        let session = SessionRegistry.shared(in: invocation.services).session(for: config)
        return OpenStackContext(invocation: invocation, arguments: Arguments(invocation.arguments), session: session)
    }

    var network: ResourceAPI { ResourceAPI(session: session, service: "network") }
    var image: ResourceAPI { ResourceAPI(session: session, service: "image") }
    var identity: ResourceAPI { ResourceAPI(session: session, service: "identity") }
    /// Nova at the microversion openstacksdk's resource class uses at most (negotiated down to the server's).
    func compute(_ microversion: Microversion) -> ResourceAPI {
        ResourceAPI(session: session, service: "compute", microversion: microversion)
    }

    /// Polls `probe` until it returns a value, as openstacksdk's `wait_for_status`: every `interval`
    /// seconds, failing after `timeout`.
    func poll<T: Sendable>(
        _ what: String, timeout: Double, interval: Double = 0.5, probe: () async throws -> T?
    ) async throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        var delay = min(interval, 0.25)
        while true {
            if let done = try await probe() { return done }
            guard Date() < deadline else { throw OpenStackModuleError("timeout waiting for \(what) after \(Int(timeout)) seconds") }
            try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
            delay = min(delay * 2, max(interval, 2))
        }
    }
}

/// Whether a string is shaped like an OpenStack UUID id (with or without dashes).
func looksLikeID(_ text: String) -> Bool {
    let hex = text.replacingOccurrences(of: "-", with: "")
    return hex.count == 32 && hex.allSatisfy(\.isHexDigit)
}

extension ModuleResult {
    /// openstack.cloud's present result: `changed`, the resource under `key`, and `id` when asked for.
    static func resource(_ key: String, _ resource: ValueDictionary, changed: Bool, withID: Bool = false) -> ModuleResult {
        var values = ValueDictionary()
        values[key] = .dict(resource)
        if withID { values["id"] = resource["id"] ?? Value.none }
        return ModuleResult(changed: changed, values: values)
    }
}
