import Foundation

/// Where an SSH server listens and who logs in there.
public struct SSHEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// Host name or address to connect to (`ansible_host`).
    public var host: String
    /// TCP port (`ansible_port`), 22 by default.
    public var port: Int
    /// Login user; nil means the controller's current user, as OpenSSH does.
    public var user: String?

    public init(host: String, port: Int = 22, user: String? = nil) {
        self.host = host
        self.port = port
        self.user = user
    }

    /// `user@host:port`, the way OpenSSH's `ProxyJump` spells it.
    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return (user.map { "\($0)@" } ?? "") + hostPart + (port == 22 ? "" : ":\(port)")
    }

    /// Parses one `ProxyJump` hop: `[user@]host[:port]`, `[user@][v6addr]:port` or `ssh://[user@]host[:port]`.
    public init?(proxyJump text: String) {
        var rest = Substring(text)
        if rest.hasPrefix("ssh://") { rest = rest.dropFirst(6) }
        var user: String?
        if let at = rest.lastIndex(of: "@") {
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
            if user?.isEmpty == true { return nil }
        }
        var port = 22
        var host: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let tail = rest[rest.index(after: close)...]
            if !tail.isEmpty {
                guard tail.hasPrefix(":"), let parsed = Int(tail.dropFirst()) else { return nil }
                port = parsed
            }
        } else if let colon = rest.lastIndex(of: ":"), rest.firstIndex(of: ":") == colon {
            host = rest[..<colon]
            guard let parsed = Int(rest[rest.index(after: colon)...]) else { return nil }
            port = parsed
        } else {
            host = rest
        }
        guard !host.isEmpty, (1...65535).contains(port) else { return nil }
        self.init(host: String(host), port: port, user: user)
    }
}

/// How strictly the server's host key is checked against known_hosts (OpenSSH's `StrictHostKeyChecking`).
public enum HostKeyPolicy: String, Sendable, Hashable {
    /// Unknown and changed keys are refused (`yes`, and Ansible's `host_key_checking: true`, the default).
    case strict
    /// Unknown keys are added to known_hosts; changed keys are refused (`accept-new`).
    case acceptNew
    /// Any key is accepted and known_hosts is left alone (`no`, Ansible's `host_key_checking: false`).
    case off
}

/// Where the passphrase of an encrypted private key comes from.
public enum PassphraseSource: Sendable, Hashable {
    case literal(String)
    /// A file whose first line is the passphrase.
    case file(String)
    /// An environment variable of the controller.
    case environment(String)
}

/// Everything needed to open and keep one SSH session to one host.
public struct SSHConnectionOptions: Sendable, Hashable {
    /// The inventory name, used in messages (`web1`); the endpoint may be an address.
    public var displayName: String
    /// The target itself.
    public var endpoint: SSHEndpoint
    /// Bastions to go through, first hop first (`-J a,b` / `-o ProxyJump=a,b`).
    public var jumpHosts: [SSHEndpoint]
    /// Private keys to try, in order, before the agent and the default `~/.ssh/id_*` keys.
    public var identityFiles: [String]
    /// Passphrase for encrypted private keys.
    public var keyPassphrase: PassphraseSource?
    /// Password for password authentication (`ansible_password`).
    public var password: String?
    /// Whether to ask an ssh-agent for keys.
    public var useAgent: Bool
    /// The agent's socket (`IdentityAgent`); nil means `$SSH_AUTH_SOCK`.
    public var agentSocket: String?
    /// Whether to fall back to `~/.ssh/id_ed25519`, `id_ecdsa` and `id_rsa` when they exist.
    public var tryDefaultIdentities: Bool
    /// Host key checking against `knownHostsFile`.
    public var hostKeyPolicy: HostKeyPolicy
    /// known_hosts file (`UserKnownHostsFile`); nil means `~/.ssh/known_hosts`.
    public var knownHostsFile: String?
    /// Seconds allowed for TCP connect, key exchange and authentication (`ConnectTimeout`, Ansible's `timeout`).
    public var connectTimeout: Double
    /// Seconds of idleness after which a keepalive is sent (`ServerAliveInterval`); nil disables them.
    public var keepaliveInterval: Double?

    public init(
        displayName: String? = nil, endpoint: SSHEndpoint, jumpHosts: [SSHEndpoint] = [], identityFiles: [String] = [],
        keyPassphrase: PassphraseSource? = nil, password: String? = nil, useAgent: Bool = true,
        agentSocket: String? = nil, tryDefaultIdentities: Bool = true, hostKeyPolicy: HostKeyPolicy = .strict,
        knownHostsFile: String? = nil, connectTimeout: Double = 10, keepaliveInterval: Double? = nil
    ) {
        self.displayName = displayName ?? endpoint.host
        self.endpoint = endpoint
        self.jumpHosts = jumpHosts
        self.identityFiles = identityFiles
        self.keyPassphrase = keyPassphrase
        self.password = password
        self.useAgent = useAgent
        self.agentSocket = agentSocket
        self.tryDefaultIdentities = tryDefaultIdentities
        self.hostKeyPolicy = hostKeyPolicy
        self.knownHostsFile = knownHostsFile
        self.connectTimeout = connectTimeout
        self.keepaliveInterval = keepaliveInterval
    }

    /// The known_hosts file actually used, with `~` expanded.
    var resolvedKnownHostsFile: String {
        expandingTilde(knownHostsFile ?? "~/.ssh/known_hosts")
    }
}

/// `~` and `~/…` expanded against `$HOME` (the controller's), as OpenSSH does for file options.
func expandingTilde(_ path: String) -> String {
    guard path == "~" || path.hasPrefix("~/") else { return path }
    let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
    return home + path.dropFirst()
}
