import ModuleAPI
import Synchronization

/// How to reach one host, as its variables describe it (`ansible_host`, `ansible_user`, …).
public struct ConnectionTarget: Sendable, Equatable {
    public var inventoryName: String
    /// `ansible_connection` (or `-c`, or `local` for `localhost`).
    public var transport: String
    public var address: String
    public var port: Int?
    public var user: String?
    public var privateKeyFile: String?
    public var password: String?
    public var timeout: Int?
    public var hostKeyChecking: Bool
    /// `ansible_ssh_args`, `ansible_ssh_common_args` and `ansible_ssh_extra_args`, in that order: the
    /// OpenSSH `-o` options (known_hosts file, StrictHostKeyChecking, ProxyJump, …) an SSH transport honours.
    public var sshArguments: [String]

    public init(
        inventoryName: String, transport: String, address: String, port: Int? = nil, user: String? = nil,
        privateKeyFile: String? = nil, password: String? = nil, timeout: Int? = nil, hostKeyChecking: Bool = true,
        sshArguments: [String] = []
    ) {
        self.inventoryName = inventoryName
        self.transport = transport
        self.address = address
        self.port = port
        self.user = user
        self.privateKeyFile = privateKeyFile
        self.password = password
        self.timeout = timeout
        self.hostKeyChecking = hostKeyChecking
        self.sshArguments = sshArguments
    }
}

/// Opens a connection of one transport; registered in ``ConnectionPool`` under its name, so the
/// SSH transport plugs in without the engine knowing it.
public typealias ConnectionFactory = @Sendable (ConnectionTarget) async throws(ConnectionError) -> any Connection

/// One connection per host (and transport) for the whole run, opened on first use.
public final class ConnectionPool: Sendable {
    private let factories: [String: ConnectionFactory]
    private let open: Mutex<[ConnectionTarget: any Connection]> = Mutex([:])

    public init(factories: [String: ConnectionFactory]) {
        self.factories = factories
    }

    public func connection(for target: ConnectionTarget) async throws(ConnectionError) -> any Connection {
        if let existing = open.withLock({ $0[target] }) { return existing }
        guard let factory = factories[target.transport] else {
            throw ConnectionError(
                .unreachable, host: target.inventoryName,
                message: "the connection plugin '\(target.transport)' was not found")
        }
        let created = try await factory(target)
        // Two tasks of the same host never race here (a host runs one task at a time), but
        // delegated tasks may; keep the first connection and close the spare.
        let (kept, spare) = open.withLock { open -> (any Connection, (any Connection)?) in
            if let existing = open[target] { return (existing, created) }
            open[target] = created
            return (created, nil)
        }
        if let spare { await spare.close() }
        return kept
    }

    /// Closes every connection (end of run).
    public func closeAll() async {
        let all = open.withLock { open -> [any Connection] in
            defer { open = [:] }
            return Array(open.values)
        }
        for connection in all { await connection.close() }
    }
}

extension ConnectionTarget: Hashable {}
