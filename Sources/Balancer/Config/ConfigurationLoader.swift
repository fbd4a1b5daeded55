import NIOCore
import Yams

/// Reads the balancer's YAML configuration with located errors.
///
/// ```yaml
/// global: { threads: 2, user: nobody, access-log: "-" }
/// defaults:
///   timeouts: { connect: 500ms, server: 30s, http-request: 10s }
///   retries: 3
///   redispatch: true
///   forwardfor: { except: [127.0.0.0/8] }
///   check: { interval: 1s, rise: 2, fall: 2, path: /, expect: "200-399" }
/// frontends:
///   - name: http_front
///     bind: "*:80"
///     stats: /stats
///     rules:
///       - { prefix: /site1-web1-mandbs, case-insensitive: true, backend: mandbs_site1-web1 }
///     default-backend: http_back
/// backends:
///   - name: http_back
///     algorithm: roundrobin
///     servers:
///       - { name: site1-web1, address: "10.10.0.12:80", weight: 1, maxconn: 100 }
/// ```
public enum ConfigurationLoader {
    /// Parses `text`; `file` names it in error messages.
    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> BalancerConfiguration {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigurationError(file: file, line: 1, column: 1, message: "the configuration is empty")
            }
            root = node
        } catch let error as ConfigurationError {
            throw error
        } catch let error as YamlError {
            throw locatedSyntaxError(error, file: file)
        } catch {
            throw ConfigurationError(file: file, message: "\(error)")
        }
        let top = try YAMLReader(file: file, node: root, context: "the configuration")
        try top.rejectUnknownKeys(["global", "defaults", "frontends", "backends"], in: "the configuration")

        var global = GlobalSettings()
        if let reader = try top.child("global") { global = try parseGlobal(reader) }
        let defaults = try top.child("defaults").map(parseDefaults) ?? SectionDefaults()

        guard let backendNodes = try top.sequence("backends"), !backendNodes.isEmpty else {
            throw top.error(at: root, "the configuration needs at least one entry in 'backends'")
        }
        var backends: [BackendConfiguration] = []
        for node in backendNodes {
            let backend = try parseBackend(YAMLReader(file: file, node: node, context: "a backend"), defaults: defaults)
            if backends.contains(where: { $0.name == backend.name }) {
                throw YAMLReader.error(file: file, at: node, "duplicate backend '\(backend.name)'")
            }
            backends.append(backend)
        }
        guard let frontendNodes = try top.sequence("frontends"), !frontendNodes.isEmpty else {
            throw top.error(at: root, "the configuration needs at least one entry in 'frontends'")
        }
        var frontends: [FrontendConfiguration] = []
        for node in frontendNodes {
            let reader = try YAMLReader(file: file, node: node, context: "a frontend")
            let frontend = try parseFrontend(reader, defaults: defaults, backends: Set(backends.map(\.name)))
            if frontends.contains(where: { $0.name == frontend.name }) {
                throw reader.error(at: node, "duplicate frontend '\(frontend.name)'")
            }
            if frontends.contains(where: { $0.bind == frontend.bind }) {
                throw reader.error(at: reader.value("bind") ?? node, "address \(frontend.bind) is bound twice")
            }
            frontends.append(frontend)
        }
        return BalancerConfiguration(global: global, frontends: frontends, backends: backends)
    }

    /// Settings in `defaults` that frontends and backends inherit.
    struct SectionDefaults {
        var timeouts = TimeoutSettings()
        var forwarding = ForwardingSettings()
        var retries = 3
        var redispatch = true
        var healthCheck: HealthCheckSettings? = HealthCheckSettings()
        var reuseConnections = true
        var queueLimit = 1024
    }

    private static func parseGlobal(_ reader: YAMLReader) throws(ConfigurationError) -> GlobalSettings {
        try reader.rejectUnknownKeys(
            ["threads", "user", "group", "access-log", "max-header-size", "max-header-count", "drain-timeout"],
            in: "'global'")
        var global = GlobalSettings()
        global.threads = try reader.int("threads", range: 1...256)
        global.user = try reader.string("user")
        global.group = try reader.string("group")
        global.accessLog = try reader.string("access-log")
        global.maxHeaderBytes = try reader.int("max-header-size", range: 1024...1_048_576) ?? global.maxHeaderBytes
        global.maxHeaderCount = try reader.int("max-header-count", range: 8...10_000) ?? global.maxHeaderCount
        global.drainTimeout = try reader.duration("drain-timeout") ?? global.drainTimeout
        return global
    }

    private static func parseDefaults(_ reader: YAMLReader) throws(ConfigurationError) -> SectionDefaults {
        try reader.rejectUnknownKeys(
            [
                "timeouts", "retries", "redispatch", "forwardfor", "forwarded-proto", "backend-server-header",
                "check", "reuse-connections", "queue-limit",
            ], in: "'defaults'")
        var defaults = SectionDefaults()
        defaults.timeouts = try parseTimeouts(reader.child("timeouts"), base: defaults.timeouts)
        defaults.forwarding = try parseForwarding(reader, base: defaults.forwarding)
        defaults.retries = try reader.int("retries", range: 0...10) ?? defaults.retries
        defaults.redispatch = try reader.bool("redispatch") ?? defaults.redispatch
        defaults.reuseConnections = try reader.bool("reuse-connections") ?? defaults.reuseConnections
        defaults.queueLimit = try reader.int("queue-limit", range: 0...1_000_000) ?? defaults.queueLimit
        defaults.healthCheck = try parseHealthCheck(reader, base: defaults.healthCheck)
        return defaults
    }

    static func parseTimeouts(_ reader: YAMLReader?, base: TimeoutSettings) throws(ConfigurationError)
        -> TimeoutSettings
    {
        guard let reader else { return base }
        try reader.rejectUnknownKeys(
            ["http-request", "connect", "client", "server", "http-keep-alive", "queue", "check"], in: "'timeouts'")
        var timeouts = base
        timeouts.httpRequest = try reader.duration("http-request") ?? base.httpRequest
        timeouts.connect = try reader.duration("connect") ?? base.connect
        timeouts.client = try reader.duration("client") ?? base.client
        timeouts.server = try reader.duration("server") ?? base.server
        timeouts.httpKeepAlive = try reader.duration("http-keep-alive") ?? base.httpKeepAlive
        timeouts.queue = try reader.duration("queue") ?? base.queue
        timeouts.check = try reader.duration("check") ?? base.check
        return timeouts
    }

    static func parseForwarding(_ reader: YAMLReader, base: ForwardingSettings) throws(ConfigurationError)
        -> ForwardingSettings
    {
        var forwarding = base
        if let node = reader.value("forwardfor") {
            if let flag = node.bool {
                forwarding.addForwardedFor = flag
            } else {
                let options = try YAMLReader(file: reader.file, node: node, context: "'forwardfor'")
                try options.rejectUnknownKeys(["except"], in: "'forwardfor'")
                forwarding.addForwardedFor = true
                forwarding.forwardedForExcept = []
                for item in try options.sequence("except") ?? [] {
                    guard let text = item.string, let block = CIDRBlock(text) else {
                        throw options.error(at: item, "'except' entries must be networks such as 127.0.0.0/8")
                    }
                    forwarding.forwardedForExcept.append(block)
                }
            }
        }
        forwarding.addForwardedProto = try reader.bool("forwarded-proto") ?? forwarding.addForwardedProto
        forwarding.addBackendServerHeader =
            try reader.bool("backend-server-header") ?? forwarding.addBackendServerHeader
        return forwarding
    }

    static func parseHealthCheck(_ reader: YAMLReader, base: HealthCheckSettings?) throws(ConfigurationError)
        -> HealthCheckSettings?
    {
        guard let node = reader.value("check") else { return base }
        if let flag = node.bool { return flag ? (base ?? HealthCheckSettings()) : nil }
        let options = try YAMLReader(file: reader.file, node: node, context: "'check'")
        try options.rejectUnknownKeys(["interval", "rise", "fall", "method", "path", "host", "expect"], in: "'check'")
        var check = base ?? HealthCheckSettings()
        check.interval = try options.duration("interval") ?? check.interval
        check.rise = try options.int("rise", range: 1...100) ?? check.rise
        check.fall = try options.int("fall", range: 1...100) ?? check.fall
        check.method = try options.string("method")?.uppercased() ?? check.method
        check.path = try options.string("path") ?? check.path
        check.host = try options.string("host") ?? check.host
        if let expectNode = options.value("expect") {
            let text = expectNode.string ?? ""
            guard let statuses = ExpectedStatuses(text) else {
                throw options.error(at: expectNode, "'expect' must look like 200, 200,202 or 200-204, got '\(text)'")
            }
            check.expectedStatuses = statuses
        }
        guard check.path.hasPrefix("/") else {
            throw options.error(at: options.value("path") ?? node, "'path' must start with '/'")
        }
        return check
    }

    private static func locatedSyntaxError(_ error: YamlError, file: String) -> ConfigurationError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ConfigurationError(file: file, line: mark.line, column: mark.column, message: "YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigurationError(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "duplicate keys \(duplicates.map { "'\($0)'" }.joined(separator: ", "))")
        default:
            return ConfigurationError(file: file, message: "YAML: \(error)")
        }
    }
}
