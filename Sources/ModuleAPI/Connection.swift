import Foundation

/// How a module reaches the host it manages: the local machine, or a remote one over SSH.
///
/// Modules are written once against this protocol and run over any connection. A connection
/// belongs to one host for the whole run and is shared by all of that host's tasks.
public protocol Connection: Sendable {
    /// The transport's name as Ansible spells it (`local`, `ssh`).
    var transport: String { get }

    /// Runs a shell command line (interpreted by `/bin/sh -c` on the target).
    func execute(_ command: CommandRequest) async throws(ConnectionError) -> CommandOutput

    /// Writes `data` to `path` atomically: a temporary file in the same directory, then a rename,
    /// so a failure never leaves a half-written file in place.
    func upload(_ data: Data, to path: String, mode: UInt16?) async throws(ConnectionError)

    /// Reads a whole file from the target.
    func download(_ path: String) async throws(ConnectionError) -> Data

    /// Closes the connection; later calls fail.
    func close() async
}

/// A command to run on a target.
public struct CommandRequest: Sendable, Equatable {
    /// The command line, passed to `/bin/sh -c` (or `executable` when set).
    public var commandLine: String
    /// Bytes written to the command's standard input, then EOF.
    public var stdin: Data?
    /// Extra environment variables (task/play `environment:`).
    public var environment: [String: String]
    /// Privilege escalation, or nil to run as the connecting user.
    public var become: BecomeRequest?
    /// Shell to run the command line with (`shell` module's `executable`); nil means `/bin/sh`.
    public var executable: String?
    /// Seconds before the command is abandoned (task `timeout:`); nil means no limit.
    public var timeout: Double?
    /// The program and arguments `commandLine` runs, when it is exactly `exec` of these words: a
    /// connection may then start the program directly instead of through a shell (the local
    /// connection does, saving a shell per command). Set only when the shell would expand nothing.
    public var argv: [String]?

    public init(
        _ commandLine: String, stdin: Data? = nil, environment: [String: String] = [:],
        become: BecomeRequest? = nil, executable: String? = nil, timeout: Double? = nil, argv: [String]? = nil
    ) {
        self.commandLine = commandLine
        self.stdin = stdin
        self.environment = environment
        self.become = become
        self.executable = executable
        self.timeout = timeout
        self.argv = argv
    }
}

/// `become:` settings for one command.
public struct BecomeRequest: Sendable, Equatable {
    public var method: String  // sudo, su
    public var user: String  // root by default
    public var password: String?
    public var flags: String?

    public init(method: String = "sudo", user: String = "root", password: String? = nil, flags: String? = nil) {
        self.method = method
        self.user = user
        self.password = password
        self.flags = flags
    }
}

/// What a command produced.
public struct CommandOutput: Sendable, Equatable {
    public var exitStatus: Int32
    public var stdout: Data
    public var stderr: Data

    public init(exitStatus: Int32, stdout: Data, stderr: Data) {
        self.exitStatus = exitStatus
        self.stdout = stdout
        self.stderr = stderr
    }

    /// stdout decoded as UTF-8 (invalid bytes replaced), as Ansible's `stdout`.
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// A failure of the transport itself (not of the command): the host is unreachable.
public struct ConnectionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case unreachable, authenticationFailed, hostKeyMismatch, hostKeyUnknown, timeout, disconnected, transfer,
            io
    }
    public var kind: Kind
    public var host: String
    public var message: String

    public init(_ kind: Kind, host: String, message: String) {
        self.kind = kind
        self.host = host
        self.message = message
    }

    public var description: String { "\(host): \(message)" }
}
