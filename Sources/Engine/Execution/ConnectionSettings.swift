import Diagnostics
import ModuleAPI
import Templating

/// Reads a host's connection and privilege-escalation settings from its variables, as Ansible's
/// connection plugins do (`ansible_connection`, `ansible_host`, `ansible_user`, `ansible_become`, …).
public enum ConnectionSettings {
    /// Command-line defaults (`-c`, `-u`, `--private-key`, `-T`) used when the host sets nothing.
    public struct Defaults: Sendable {
        public var transport: String?
        public var user: String?
        public var port: Int?
        public var privateKeyFile: String?
        public var timeout: Int?
        public var hostKeyChecking = true
        public var become = false
        public var becomeUser: String?
        public var becomeMethod: String?
        /// `-k` / `--connection-password-file`.
        public var password: String?
        /// `-K` / `--become-password-file`.
        public var becomePassword: String?

        public init() {}
    }

    static func target(for host: String, scope: TaskScope, playTransport: String?, defaults: Defaults) throws
        -> ConnectionTarget
    {
        func string(_ name: String) throws -> String? {
            guard let value = try scope.value(of: name) else { return nil }
            if case .none = value { return nil }
            return PythonRepr.text(value)
        }
        let isLocalhost = host == "localhost" || host == "127.0.0.1" || host == "::1"
        // Ansible: the host's ansible_connection, then the play/task keyword, then -c; an implicit
        // localhost always connects locally.
        let chosen =
            try string("ansible_connection") ?? playTransport ?? defaults.transport ?? (isLocalhost ? "local" : "ssh")
        // Ansible's `smart` picks ssh, and `paramiko` is another SSH client: both mean our ssh transport.
        let transport = ["smart", "paramiko", "paramiko_ssh"].contains(chosen) ? "ssh" : chosen
        return ConnectionTarget(
            inventoryName: host,
            transport: transport,
            address: try string("ansible_host") ?? string("ansible_ssh_host") ?? host,
            port: try string("ansible_port").flatMap { Int($0) } ?? string("ansible_ssh_port").flatMap { Int($0) }
                ?? defaults.port,
            user: try string("ansible_user") ?? string("ansible_ssh_user") ?? defaults.user,
            privateKeyFile: try string("ansible_ssh_private_key_file") ?? string("ansible_private_key_file")
                ?? defaults.privateKeyFile,
            password: try string("ansible_password") ?? string("ansible_ssh_pass") ?? string("ansible_ssh_password")
                ?? defaults.password,
            timeout: try string("ansible_timeout").flatMap { Int($0) } ?? defaults.timeout,
            hostKeyChecking: try string("ansible_host_key_checking").map {
                !["false", "no", "0", "off"].contains($0.lowercased())
            } ?? defaults.hostKeyChecking,
            sshArguments: try ["ansible_ssh_args", "ansible_ssh_common_args", "ansible_ssh_extra_args"].compactMap {
                try string($0)
            })
    }

    /// The `become` request for a task, or nil when it does not escalate.
    static func become(_ plan: BecomePlan, scope: TaskScope, defaults: Defaults) throws -> BecomeRequest? {
        let hostBecome = try scope.value(of: "ansible_become").map { value -> Bool in
            if case .bool(let flag) = value { return flag }
            return ["yes", "true", "1"].contains(PythonRepr.text(value).lowercased())
        }
        let enabled = try Conditions.flag(
            plan.enabled, scope: scope, default: hostBecome ?? defaults.become)
        guard enabled else { return nil }
        func setting(_ expression: LocatedExpression?, variable: String, fallback: String?) throws -> String? {
            if let expression { return PythonRepr.text(try scope.template(expression.value, at: expression.location)) }
            if let value = try scope.value(of: variable) { return PythonRepr.text(value) }
            return fallback
        }
        return BecomeRequest(
            method: try setting(plan.method, variable: "ansible_become_method", fallback: defaults.becomeMethod) ?? "sudo",
            user: try setting(plan.user, variable: "ansible_become_user", fallback: defaults.becomeUser) ?? "root",
            password: try ["ansible_become_password", "ansible_become_pass", "ansible_sudo_pass", "ansible_su_pass"]
                .lazy.compactMap { try scope.value(of: $0).map { PythonRepr.text($0) } }.first ?? defaults.becomePassword,
            flags: try setting(plan.flags, variable: "ansible_become_flags", fallback: nil))
    }
}

/// `environment:` keywords merged into one dictionary, inner keys winning.
enum Environment {
    static func merged(_ expressions: [LocatedExpression], scope: TaskScope) throws -> [String: String] {
        var environment: [String: String] = [:]
        for expression in expressions {
            let value = try scope.template(expression.value, at: expression.location)
            guard let dictionary = value.dictionary else {
                if case .none = value { continue }
                throw SourceError("environment must be a dictionary, got \(PythonRepr.repr(value))", at: expression.location)
            }
            for (key, element) in dictionary { environment[PythonRepr.text(key)] = PythonRepr.text(element) }
        }
        return environment
    }
}
