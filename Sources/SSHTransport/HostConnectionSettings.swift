import Diagnostics
import ModuleAPI
import Templating

/// How to reach one host, read from its (already templated) inventory variables the way
/// ansible-playbook reads them: `ansible_host`, `ansible_port`, `ansible_user`,
/// `ansible_ssh_private_key_file`, `ansible_password`, `ansible_connection`, `ansible_become*`,
/// `ansible_ssh_common_args` / `ansible_ssh_extra_args` / `ansible_ssh_args` and the host key checking switch.
public struct HostConnectionSettings: Sendable, Equatable {
    /// `ssh` or `local` (`ansible_connection`; `smart` and `paramiko` mean ssh).
    public var transport: String
    /// The SSH options (meaningful when `transport` is `ssh`).
    public var ssh: SSHConnectionOptions
    /// `ansible_become`: whether tasks escalate unless they say otherwise.
    public var becomeEnabled: Bool
    /// `ansible_become_method/_user/_password/_flags`, for tasks that escalate.
    public var become: BecomeRequest
    /// SSH arguments accepted but without effect on libssh (`-o ControlPersist=60s`, …), for a warning.
    public var ignoredSSHArguments: [String]

    /// Reads the settings of `hostName` from `variables`.
    /// - Parameters:
    ///   - hostKeyChecking: the run-wide default (`host_key_checking` in ansible.cfg,
    ///     `ANSIBLE_HOST_KEY_CHECKING`); `ansible_host_key_checking` overrides it per host.
    ///   - locations: where each variable was defined, to locate errors.
    public init(
        hostName: String, variables: [String: Value], hostKeyChecking: Bool = true,
        locations: [String: SourceLocation] = [:]
    ) throws(ConnectionSettingsError) {
        let reader = VariableReader(hostName: hostName, variables: variables, locations: locations)

        transport = try reader.transport()
        var arguments = SSHArguments()
        for name in ["ansible_ssh_args", "ansible_ssh_common_args", "ansible_ssh_extra_args"] {
            guard let text = try reader.string(name) else { continue }
            do throws(ArgumentFailure) {
                try arguments.parse(text)
            } catch {
                throw reader.failure(name, error.message)
            }
        }
        ignoredSSHArguments = arguments.ignored

        // Ansible passes its own -o Port/User/ConnectTimeout before the user's arguments, and
        // OpenSSH keeps the first value: so the variables win over the arguments.
        let inventoryHost = try reader.string("ansible_host", "ansible_ssh_host")
        let host = arguments.hostName ?? inventoryHost ?? hostName
        let port = try reader.port("ansible_port", "ansible_ssh_port") ?? arguments.port ?? 22
        let user = try reader.string("ansible_user", "ansible_ssh_user") ?? arguments.user
        let keyFile = try reader.string("ansible_ssh_private_key_file", "ansible_private_key_file")
        var identityFiles = (keyFile.map { [$0] } ?? []) + arguments.identityFiles
        var password = try reader.string("ansible_password", "ansible_ssh_pass", "ansible_ssh_password")
        if arguments.passwordAuthentication == false { password = nil }
        var useAgent = arguments.useAgent ?? true
        var tryDefaults = true
        if arguments.identitiesOnly == true {
            useAgent = false
            tryDefaults = false
        }
        if arguments.publicKeyAuthentication == false {
            identityFiles = []
            useAgent = false
            tryDefaults = false
        }
        let checking = try reader.bool("ansible_host_key_checking", "ansible_ssh_host_key_checking") ?? hostKeyChecking
        let timeout = try reader.seconds("ansible_timeout", "ansible_ssh_timeout") ?? arguments.connectTimeout ?? 10

        ssh = SSHConnectionOptions(
            displayName: hostName, endpoint: SSHEndpoint(host: host, port: port, user: user),
            jumpHosts: arguments.jumpHosts ?? [], identityFiles: identityFiles, password: password,
            useAgent: useAgent, agentSocket: arguments.agentSocket, tryDefaultIdentities: tryDefaults,
            hostKeyPolicy: checking ? (arguments.hostKeyPolicy ?? .strict) : .off,
            knownHostsFile: arguments.knownHostsFile, connectTimeout: timeout,
            keepaliveInterval: arguments.keepaliveInterval)

        becomeEnabled = try reader.bool("ansible_become") ?? false
        let method = try reader.string("ansible_become_method") ?? "sudo"
        let becomeUser = try reader.string("ansible_become_user") ?? "root"
        let becomePassword = try reader.string(
            "ansible_become_password", "ansible_become_pass", "ansible_sudo_pass", "ansible_su_pass")
        let flags = try reader.string("ansible_become_flags")
        become = BecomeRequest(method: method, user: becomeUser, password: becomePassword, flags: flags)
    }
}

/// An inventory connection variable with a value that cannot work, located at its definition.
public struct ConnectionSettingsError: LocatedError, Equatable {
    public var location: SourceLocation?
    public var message: String

    public init(_ message: String, at location: SourceLocation?) {
        self.message = message
        self.location = location
    }
}

/// Typed access to connection variables, with Ansible's coercions (`"2222"` is a port, `"yes"` a boolean).
private struct VariableReader {
    let hostName: String
    let variables: [String: Value]
    let locations: [String: SourceLocation]

    func failure(_ name: String, _ problem: String) -> ConnectionSettingsError {
        ConnectionSettingsError("host '\(hostName)': \(name): \(problem)", at: locations[name])
    }

    /// The first of `names` that is set (aliases in Ansible's order), as text.
    func string(_ names: String...) throws(ConnectionSettingsError) -> String? {
        guard let (name, value) = first(names) else { return nil }
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .float(let number): return String(number)
        case .bool(let flag): return flag ? "True" : "False"
        default: throw failure(name, "expected a string, got \(describe(value))")
        }
    }

    func bool(_ names: String...) throws(ConnectionSettingsError) -> Bool? {
        guard let (name, value) = first(names) else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .int(let number) where number == 0 || number == 1: return number == 1
        case .string(let text):
            switch text.lowercased() {
            case "yes", "on", "true", "1", "y", "t": return true
            case "no", "off", "false", "0", "n", "f", "": return false
            default: break
            }
        default: break
        }
        throw failure(name, "expected a boolean, got \(describe(value))")
    }

    func port(_ names: String...) throws(ConnectionSettingsError) -> Int? {
        guard let (name, value) = first(names) else { return nil }
        let number: Int? =
            switch value {
            case .int(let number): number
            case .string(let text): Int(text.trimmingCharacters(in: .whitespaces))
            default: nil
            }
        guard let number, (1...65535).contains(number) else {
            throw failure(name, "expected a port number, got \(describe(value))")
        }
        return number
    }

    func seconds(_ names: String...) throws(ConnectionSettingsError) -> Double? {
        guard let (name, value) = first(names) else { return nil }
        let number: Double? =
            switch value {
            case .int(let number): Double(number)
            case .float(let number): number
            case .string(let text): Double(text.trimmingCharacters(in: .whitespaces))
            default: nil
            }
        guard let number, number > 0 else {
            throw failure(name, "expected a number of seconds, got \(describe(value))")
        }
        return number
    }

    func transport() throws(ConnectionSettingsError) -> String {
        guard let name = try string("ansible_connection") else { return "ssh" }
        switch name {
        case "ssh", "smart", "paramiko", "paramiko_ssh", "ansible.builtin.ssh", "ansible.builtin.paramiko_ssh",
            "ansible.legacy.ssh":
            return "ssh"
        case "local", "ansible.builtin.local", "ansible.legacy.local":
            return "local"
        default:
            throw failure("ansible_connection", "connection type '\(name)' is not supported (use ssh or local)")
        }
    }

    private func first(_ names: [String]) -> (String, Value)? {
        for name in names {
            guard let value = variables[name] else { continue }
            switch value {
            case .none, .undefined: continue
            default: return (name, value)
            }
        }
        return nil
    }

    private func describe(_ value: Value) -> String {
        switch value {
        case .string(let text): "'\(text)'"
        case .int(let number): String(number)
        case .float(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .list: "a list"
        case .dict: "a dictionary"
        case .none: "null"
        case .undefined: "an undefined value"
        }
    }
}
