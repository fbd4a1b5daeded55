import NIOCore

/// The one-line form: `--listen ADDR --backend ADDR … [--algorithm …] [--check-interval …] [--stats …]`.
public struct QuickModeOptions: Sendable {
    /// Address to listen on.
    public var listen: String
    /// Backend server addresses, named `s1`, `s2`, … in order.
    public var backends: [String]
    /// Balancing algorithm name.
    public var algorithm: String = "roundrobin"
    /// Active check interval; nil keeps the default (2 s).
    public var checkInterval: String?
    /// Active check path.
    public var checkPath: String = "/"
    /// Disable active checks (passive detection still applies).
    public var noChecks: Bool = false
    /// Stats URI, if any.
    public var statsPath: String?
    /// Access log destination, if any.
    public var accessLog: String?
    /// Event-loop threads, nil for one per core.
    public var threads: Int?
    /// Upstream connect timeout.
    public var connectTimeout: String?

    /// Creates options with the defaults.
    public init(listen: String, backends: [String]) {
        self.listen = listen
        self.backends = backends
    }

    /// The equivalent configuration; errors name the offending flag.
    public func makeConfiguration() throws(ConfigurationError) -> BalancerConfiguration {
        let source = "command line"
        guard let bind = BindAddress(listen) else {
            throw ConfigurationError(file: source, message: "--listen must be host:port, got '\(listen)'")
        }
        guard !backends.isEmpty else {
            throw ConfigurationError(file: source, message: "at least one --backend is needed")
        }
        var servers: [ServerConfiguration] = []
        for (index, text) in backends.enumerated() {
            guard let (host, port) = parseHostPort(text), !host.isEmpty, port > 0 else {
                throw ConfigurationError(file: source, message: "--backend must be host:port, got '\(text)'")
            }
            servers.append(ServerConfiguration(name: "s\(index + 1)", host: host, port: port))
        }
        guard let balancing = BalancingAlgorithm(rawValue: algorithm.lowercased()) else {
            let known = BalancingAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(file: source, message: "--algorithm must be one of \(known), got '\(algorithm)'")
        }
        var backend = BackendConfiguration(name: "backend", servers: servers)
        backend.algorithm = balancing
        if noChecks {
            backend.healthCheck = nil
        } else {
            var check = HealthCheckSettings()
            check.path = checkPath
            if let checkInterval {
                guard let interval = TimeAmount.parse(duration: checkInterval), interval.nanoseconds > 0 else {
                    throw ConfigurationError(
                        file: source, message: "--check-interval must be a duration such as 1s, got '\(checkInterval)'")
                }
                check.interval = interval
            }
            backend.healthCheck = check
        }
        if let connectTimeout {
            guard let timeout = TimeAmount.parse(duration: connectTimeout), timeout.nanoseconds > 0 else {
                throw ConfigurationError(
                    file: source, message: "--connect-timeout must be a duration, got '\(connectTimeout)'")
            }
            backend.timeouts.connect = timeout
        }
        var frontend = FrontendConfiguration(name: "frontend", bind: bind, defaultBackend: backend.name)
        if let statsPath {
            guard statsPath.hasPrefix("/") else {
                throw ConfigurationError(file: source, message: "--stats must be a path starting with '/'")
            }
            frontend.statsPath = statsPath
        }
        var global = GlobalSettings()
        global.accessLog = accessLog
        global.threads = threads
        return BalancerConfiguration(global: global, frontends: [frontend], backends: [backend])
    }
}
