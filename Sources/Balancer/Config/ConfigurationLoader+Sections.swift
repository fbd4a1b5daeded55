import NIOCore
import Yams

extension ConfigurationLoader {
    static func parseFrontend(_ reader: YAMLReader, defaults: SectionDefaults, backends: Set<String>)
        throws(ConfigurationError) -> FrontendConfiguration
    {
        try reader.rejectUnknownKeys(
            [
                "name", "bind", "maxconn", "stats", "rules", "default-backend", "timeouts", "forwardfor",
                "forwarded-proto", "backend-server-header",
            ], in: "a frontend")
        let name = try reader.requiredString("name", in: "a frontend")
        let bindText = try reader.requiredString("bind", in: "frontend '\(name)'")
        guard let bind = BindAddress(bindText) else {
            throw reader.error(at: reader.value("bind") ?? reader.node, "'bind' must be host:port, got '\(bindText)'")
        }
        let defaultBackend = try reader.requiredString("default-backend", in: "frontend '\(name)'")
        guard backends.contains(defaultBackend) else {
            throw reader.error(
                at: reader.value("default-backend") ?? reader.node, "unknown backend '\(defaultBackend)'")
        }
        var frontend = FrontendConfiguration(name: name, bind: bind, defaultBackend: defaultBackend)
        frontend.maxConnections = try reader.int("maxconn", range: 1...1_000_000)
        if let stats = try reader.string("stats") {
            guard stats.hasPrefix("/") else {
                throw reader.error(at: reader.value("stats") ?? reader.node, "'stats' must be a path starting with '/'")
            }
            frontend.statsPath = stats
        }
        frontend.timeouts = try parseTimeouts(reader.child("timeouts"), base: defaults.timeouts)
        frontend.forwarding = try parseForwarding(reader, base: defaults.forwarding)
        for node in try reader.sequence("rules") ?? [] {
            frontend.rules.append(try parseRule(YAMLReader(file: reader.file, node: node, context: "a rule"), backends))
        }
        return frontend
    }

    static func parseRule(_ reader: YAMLReader, _ backends: Set<String>) throws(ConfigurationError) -> RouteRule {
        try reader.rejectUnknownKeys(["prefix", "exact", "regex", "host", "case-insensitive", "backend"], in: "a rule")
        let backend = try reader.requiredString("backend", in: "a rule")
        guard backends.contains(backend) else {
            throw reader.error(at: reader.value("backend") ?? reader.node, "unknown backend '\(backend)'")
        }
        let caseInsensitive = try reader.bool("case-insensitive") ?? false
        let host = try reader.string("host")
        let kinds = ["prefix", "exact", "regex"].filter { reader.value($0) != nil }
        guard kinds.count <= 1 else {
            throw reader.error(at: reader.node, "a rule takes only one of 'prefix', 'exact', 'regex'")
        }
        guard !kinds.isEmpty || host != nil else {
            throw reader.error(at: reader.node, "a rule needs 'prefix', 'exact', 'regex' or 'host'")
        }
        var path: RouteRule.PathMatch?
        if let prefix = try reader.string("prefix") {
            path = .prefix(prefix)
        } else if let exact = try reader.string("exact") {
            path = .exact(exact)
        } else if let pattern = try reader.string("regex") {
            do {
                path = .regex(try CompiledPattern(pattern, caseInsensitive: caseInsensitive))
            } catch {
                throw reader.error(at: reader.value("regex") ?? reader.node, "invalid regular expression: \(error)")
            }
        }
        return RouteRule(path: path, host: host, caseInsensitive: caseInsensitive, backend: backend)
    }

    static func parseBackend(_ reader: YAMLReader, defaults: SectionDefaults) throws(ConfigurationError)
        -> BackendConfiguration
    {
        try reader.rejectUnknownKeys(
            [
                "name", "algorithm", "balance", "servers", "check", "retries", "redispatch", "queue-limit",
                "reuse-connections", "timeouts",
            ], in: "a backend")
        let name = try reader.requiredString("name", in: "a backend")
        var backend = BackendConfiguration(name: name, servers: [])
        if let algorithmNode = reader.value("algorithm") ?? reader.value("balance") {
            let text = algorithmNode.string ?? ""
            guard let algorithm = BalancingAlgorithm(rawValue: text.lowercased()) else {
                let known = BalancingAlgorithm.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                throw reader.error(at: algorithmNode, "'algorithm' must be one of \(known), got '\(text)'")
            }
            backend.algorithm = algorithm
        }
        backend.healthCheck = try parseHealthCheck(reader, base: defaults.healthCheck)
        backend.retries = try reader.int("retries", range: 0...10) ?? defaults.retries
        backend.redispatch = try reader.bool("redispatch") ?? defaults.redispatch
        backend.queueLimit = try reader.int("queue-limit", range: 0...1_000_000) ?? defaults.queueLimit
        backend.reuseConnections = try reader.bool("reuse-connections") ?? defaults.reuseConnections
        backend.timeouts = try parseTimeouts(reader.child("timeouts"), base: defaults.timeouts)
        guard let serverNodes = try reader.sequence("servers"), !serverNodes.isEmpty else {
            throw reader.error(at: reader.node, "backend '\(name)' needs at least one server")
        }
        for node in serverNodes {
            let server = try parseServer(YAMLReader(file: reader.file, node: node, context: "a server"))
            if backend.servers.contains(where: { $0.name == server.name }) {
                throw YAMLReader.error(file: reader.file, at: node, "duplicate server '\(server.name)' in '\(name)'")
            }
            backend.servers.append(server)
        }
        return backend
    }

    static func parseServer(_ reader: YAMLReader) throws(ConfigurationError) -> ServerConfiguration {
        try reader.rejectUnknownKeys(["name", "address", "weight", "maxconn", "backup", "check"], in: "a server")
        let name = try reader.requiredString("name", in: "a server")
        let addressText = try reader.requiredString("address", in: "server '\(name)'")
        guard let (host, port) = parseHostPort(addressText), !host.isEmpty, port > 0 else {
            throw reader.error(
                at: reader.value("address") ?? reader.node, "'address' must be host:port, got '\(addressText)'")
        }
        var server = ServerConfiguration(name: name, host: host, port: port)
        server.weight = try reader.int("weight", range: 0...256) ?? 1
        server.maxConnections = try reader.int("maxconn", range: 1...1_000_000)
        server.backup = try reader.bool("backup") ?? false
        server.checked = try reader.bool("check") ?? true
        return server
    }
}
