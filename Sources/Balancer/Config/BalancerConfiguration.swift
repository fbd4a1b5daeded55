import NIOCore

/// The whole balancer configuration: what `--config FILE` or the quick-mode flags describe.
public struct BalancerConfiguration: Sendable {
    /// Process-wide settings.
    public var global: GlobalSettings
    /// Listening frontends, in file order.
    public var frontends: [FrontendConfiguration]
    /// Backends by name, in file order.
    public var backends: [BackendConfiguration]

    /// Creates a configuration.
    public init(global: GlobalSettings, frontends: [FrontendConfiguration], backends: [BackendConfiguration]) {
        self.global = global
        self.frontends = frontends
        self.backends = backends
    }

    /// The backend called `name`.
    public func backend(named name: String) -> BackendConfiguration? {
        backends.first { $0.name == name }
    }
}

/// Process-wide settings (HAProxy's `global` section plus request limits).
public struct GlobalSettings: Sendable, Equatable {
    /// Event-loop threads; nil means one per CPU core.
    public var threads: Int?
    /// User to switch to after binding the listening sockets.
    public var user: String?
    /// Group to switch to after binding; defaults to the user's primary group.
    public var group: String?
    /// Where the access log goes: nil (off), `-` (stdout) or a file path.
    public var accessLog: String?
    /// Largest accepted request header section in bytes (HAProxy: tune.bufsize).
    public var maxHeaderBytes: Int = 32 * 1024
    /// Largest accepted number of request header fields (HAProxy: tune.http.maxhdr).
    public var maxHeaderCount: Int = 100
    /// How long SIGTERM waits for in-flight requests before closing the remaining connections.
    public var drainTimeout: TimeAmount = .seconds(10)

    /// Creates settings with the defaults.
    public init() {}
}

/// Client and server timeouts, named as in HAProxy.
public struct TimeoutSettings: Sendable, Equatable {
    /// Time to receive a complete request header section (the slowloris guard).
    public var httpRequest: TimeAmount = .seconds(10)
    /// Time to establish an upstream TCP connection. Short by default: it bounds the failover stall.
    public var connect: TimeAmount = .milliseconds(500)
    /// Client inactivity while a request body is expected.
    public var client: TimeAmount = .seconds(30)
    /// Upstream inactivity while a response is expected.
    public var server: TimeAmount = .seconds(30)
    /// Idle time allowed between two requests on a client keep-alive connection.
    public var httpKeepAlive: TimeAmount = .seconds(10)
    /// Maximum wait in a backend queue when every server is at its maxconn.
    public var queue: TimeAmount = .seconds(30)
    /// Read timeout of an active health check (its connect part is bounded by `connect` as well).
    public var check: TimeAmount = .seconds(2)

    /// Creates the defaults.
    public init() {}
}

/// A listening endpoint and its routing rules.
public struct FrontendConfiguration: Sendable {
    /// Name used in logs and stats.
    public var name: String
    /// Address to bind, `*:80` meaning all IPv4 interfaces.
    public var bind: BindAddress
    /// Maximum concurrent client connections; further connections are closed at accept.
    public var maxConnections: Int?
    /// URI serving statistics (HTML, or JSON with `?json` / `Accept: application/json`).
    public var statsPath: String?
    /// Routing rules, first match wins.
    public var rules: [RouteRule]
    /// Backend used when no rule matches.
    public var defaultBackend: String
    /// Timeouts of the client side: `http-request`, `http-keep-alive` and `client` apply here.
    public var timeouts: TimeoutSettings
    /// Header handling for forwarded requests.
    public var forwarding: ForwardingSettings

    /// Creates a frontend.
    public init(
        name: String, bind: BindAddress, maxConnections: Int? = nil, statsPath: String? = nil,
        rules: [RouteRule] = [], defaultBackend: String, timeouts: TimeoutSettings = .init(),
        forwarding: ForwardingSettings = .init()
    ) {
        self.name = name
        self.bind = bind
        self.maxConnections = maxConnections
        self.statsPath = statsPath
        self.rules = rules
        self.defaultBackend = defaultBackend
        self.timeouts = timeouts
        self.forwarding = forwarding
    }
}

/// A host and port to listen on.
public struct BindAddress: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Host or IP; `*` or `0.0.0.0` for every IPv4 interface, `::` for IPv6.
    public var host: String
    /// TCP port; 0 picks a free port (tests).
    public var port: Int

    /// Creates a bind address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `*:port`, `[v6]:port` or `:port`.
    public init?(_ text: String) {
        guard let (host, port) = parseHostPort(text) else { return nil }
        self.host = host.isEmpty || host == "*" ? "0.0.0.0" : host
        self.port = port
    }

    /// `host:port`.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Which headers the balancer adds to forwarded requests and responses.
public struct ForwardingSettings: Sendable, Equatable {
    /// Append `X-Forwarded-For: <client ip>`.
    public var addForwardedFor: Bool = true
    /// Clients in these networks get no X-Forwarded-For (HAProxy: `option forwardfor except`).
    public var forwardedForExcept: [CIDRBlock] = []
    /// Set `X-Forwarded-Proto: http`.
    public var addForwardedProto: Bool = true
    /// Add `X-Backend-Server: <server name>` to responses when the backend did not set one.
    public var addBackendServerHeader: Bool = false

    /// Creates the defaults.
    public init() {}
}

/// How a backend picks a server for each request.
public enum BalancingAlgorithm: String, Sendable, CaseIterable {
    /// Smooth weighted round robin.
    case roundRobin = "roundrobin"
    /// Fewest in-flight requests, ties in round-robin order.
    case leastConnections = "leastconn"
    /// Consistent hash of the client IP.
    case source
    /// The first server, in declaration order, that has a free slot.
    case first
}

/// Active HTTP health-check settings (Octavia: delay → interval, max_retries → rise, max_retries_down → fall).
public struct HealthCheckSettings: Sendable, Equatable {
    /// Time between two checks of a server.
    public var interval: TimeAmount = .seconds(2)
    /// Consecutive successes that bring a DOWN server UP.
    public var rise: Int = 2
    /// Consecutive failures that take an UP server DOWN.
    public var fall: Int = 3
    /// HTTP method of the check request.
    public var method: String = "GET"
    /// Path of the check request.
    public var path: String = "/"
    /// Host header of the check request; the server address when nil.
    public var host: String?
    /// Statuses counted as healthy.
    public var expectedStatuses: ExpectedStatuses = .init(ranges: [200...399])

    /// Creates the defaults.
    public init() {}
}

/// One upstream server of a backend.
public struct ServerConfiguration: Sendable, Equatable {
    /// Name used in logs, stats and `X-Backend-Server`.
    public var name: String
    /// Host or IP of the server.
    public var host: String
    /// TCP port of the server.
    public var port: Int
    /// Relative share of requests (0 disables the server for new requests).
    public var weight: Int = 1
    /// Maximum concurrent requests sent to this server; excess requests wait in the backend queue.
    public var maxConnections: Int?
    /// Only used when no non-backup server is available.
    public var backup: Bool = false
    /// Whether active health checks run against this server.
    public var checked: Bool = true

    /// Creates a server.
    public init(name: String, host: String, port: Int) {
        self.name = name
        self.host = host
        self.port = port
    }

    /// `host:port`.
    public var addressDescription: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A pool of servers and how requests are spread over them.
public struct BackendConfiguration: Sendable {
    /// Name referenced by frontends' rules and default backend.
    public var name: String
    /// Balancing algorithm.
    public var algorithm: BalancingAlgorithm = .roundRobin
    /// Servers in declaration order.
    public var servers: [ServerConfiguration]
    /// Active check settings, nil to disable active checks.
    public var healthCheck: HealthCheckSettings? = HealthCheckSettings()
    /// Attempts after the first one for a failed connection or a replayable request.
    public var retries: Int = 3
    /// Retry on another server instead of the same one (HAProxy: `option redispatch`).
    public var redispatch: Bool = true
    /// Requests that may wait for a free server slot; further ones get 503.
    public var queueLimit: Int = 1024
    /// Keep upstream connections open between requests (off = HAProxy's `http-server-close`).
    public var reuseConnections: Bool = true
    /// Timeouts of the server side: `connect`, `server`, `queue` and `check` apply here.
    public var timeouts = TimeoutSettings()

    /// Creates a backend.
    public init(name: String, servers: [ServerConfiguration]) {
        self.name = name
        self.servers = servers
    }
}

/// Splits `host:port`, `[v6]:port` and `:port`.
func parseHostPort(_ text: String) -> (String, Int)? {
    var host: Substring
    var portText: Substring
    if text.hasPrefix("[") {
        guard let close = text.firstIndex(of: "]") else { return nil }
        host = text[text.index(after: text.startIndex)..<close]
        let rest = text[text.index(after: close)...]
        guard rest.hasPrefix(":") else { return nil }
        portText = rest.dropFirst()
    } else {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        host = text[..<colon]
        portText = text[text.index(after: colon)...]
        if host.contains(":") { return nil }
    }
    guard let port = Int(portText), (0...65535).contains(port) else { return nil }
    return (String(host), port)
}
