import Foundation
import Templating

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An authenticated connection to one cloud, shared by every task and host of the run: one Keystone
/// token (renewed when it expires or a service answers 401), the catalog, discovered endpoint versions,
/// and one pooled `URLSession`.
///
/// Concurrent first use authenticates once: the first caller starts the token request and every other
/// caller awaits the same task.
public actor CloudSession {
    public let config: CloudConfig
    public nonisolated let transport: HTTPTransport
    private var token: KeystoneToken?
    private var authentication: Task<KeystoneToken, any Error>?
    private var discoveredEndpoints: [String: Task<ServiceEndpoint, any Error>] = [:]
    private var computeMicroversions: Task<Microversion?, any Error>?
    /// Set once a refusal made the run read Nova's maximum; until then microversions are asked for as wanted.
    private var discoveredComputeMicroversion: Microversion?
    /// Ids of objects other tasks only refer to (a subnet's network, a router's subnets), by lookup key, so
    /// that a run reads each referenced object once. Forgotten for a collection when anything in it is deleted.
    private var referenceIDs: [String: String] = [:]
    /// Attempts for idempotent requests that meet a 5xx or a connection failure.
    public var retryAttempts = 4

    public init(config: CloudConfig) {
        self.config = config
        self.transport = HTTPTransport(timeout: config.apiTimeout)
    }

    /// A versioned service base URL.
    public struct ServiceEndpoint: Sendable {
        public var url: String
    }

    // MARK: - Authentication

    /// The current token, authenticating (once, even under concurrency) when there is none or it expires.
    public func currentToken() async throws -> KeystoneToken {
        if let token, !token.isExpiring() { return token }
        try Self.checkTLSSupport(config)
        if let authentication { return try await authentication.value }
        let config = config
        let transport = transport
        let task = Task { try await Self.authenticate(config: config, transport: transport) }
        authentication = task
        defer { authentication = nil }
        do {
            let fresh = try await task.value
            token = fresh
            return fresh
        } catch {
            throw error
        }
    }

    /// FoundationNetworking's URLSession (libcurl) on Linux verifies servers against the system trust
    /// store only and cannot present client certificates, so TLS settings that need more are refused
    /// rather than silently ignored. A `ca_cert` whose certificates the system store already holds
    /// changes nothing and is accepted.
    static func checkTLSSupport(_ config: CloudConfig, systemBundle: String = SystemTrustStore.bundlePath) throws {
        guard config.authURL?.lowercased().hasPrefix("https") == true else { return }
        let addToStore = "TLS is always verified against the system trust store; add a private CA there (update-ca-certificates)"
        var unsupported: [String] = []
        if !config.verify { unsupported.append("validate_certs: false") }
        if config.clientCert != nil || config.clientKey != nil { unsupported.append("client_cert/client_key") }
        if let caCert = config.caCert {
            let path = (caCert as NSString).expandingTildeInPath
            let coverage: (total: Int, missing: Int)
            do {
                coverage = try SystemTrustStore.coverage(of: path, bundle: systemBundle)
            } catch {
                throw CloudConfigError("cloud '\(config.name)': ca_cert '\(caCert)' cannot be read")
            }
            if coverage.total == 0 {
                throw CloudConfigError("cloud '\(config.name)': ca_cert '\(caCert)' holds no PEM certificate")
            }
            if coverage.missing > 0 {
                throw CloudConfigError(
                    "cloud '\(config.name)': \(coverage.missing) of the \(coverage.total) certificates in ca_cert '\(caCert)' "
                        + "are not in the system trust store (\(systemBundle)), the only one stackplay's HTTP client can use",
                    notes: [addToStore])
            }
        }
        guard !unsupported.isEmpty else { return }
        throw CloudConfigError(
            "cloud '\(config.name)' asks for \(unsupported.joined(separator: ", ")), which stackplay's HTTP client cannot honour",
            notes: [addToStore])
    }

    /// A remembered id for a reference lookup key, if this run resolved it already.
    public func referenceID(_ key: String) -> String? { referenceIDs[key] }

    /// Remembers the id a lookup key resolved to.
    public func remember(_ key: String, id: String) { referenceIDs[key] = id }

    /// Forgets every remembered id of a collection (`networks`, `subnets`, …) after a delete or rename in
    /// it; with `name`, only the lookups of that name: a new object of the same name can make it ambiguous.
    public func forget(collection: String, name: String? = nil) {
        let prefix = collection + "|" + (name.map { $0 + "|" } ?? "")
        referenceIDs = referenceIDs.filter { !$0.key.hasPrefix(prefix) && $0.key != collection + "|" + (name ?? "") }
    }

    private func invalidate(_ stale: KeystoneToken) {
        if token?.value == stale.value { token = nil }
    }

    /// Keystone v3 authentication. An `auth_url` without a version is tried as `<auth_url>/v3` first — where
    /// every Keystone since Queens serves v3 — and discovered from its version document only when that is
    /// not found, which saves the discovery round trip keystoneauth makes on every run.
    private static func authenticate(config: CloudConfig, transport: HTTPTransport) async throws -> KeystoneToken {
        let authURL = (config.authURL ?? "").trimmingSuffix("/")
        var identity = authURL.hasSuffix("/v3") ? authURL : authURL + "/v3"
        let body = try KeystoneToken.requestBody(for: config)
        func post() async throws -> HTTPResponse {
            var request = URLRequest(url: try makeURL(identity + "/auth/tokens"))
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue("application/json", forHTTPHeaderField: "Accept")
            request.httpBody = Data(JSON.text(body, .compact).utf8)
            return try await sendWithRetry(request, transport: transport, idempotent: false, attempts: 4)
        }
        var response = try await post()
        if response.status == 404, !authURL.hasSuffix("/v3") {
            let discovered = await discoveredIdentityURL(authURL: authURL, transport: transport)
            if discovered != identity {
                identity = discovered
                response = try await post()
            }
        }
        guard response.status == 201 || response.status == 200 else {
            throw OpenStackAPIError(
                method: "POST", url: identity + "/auth/tokens", status: response.status,
                requestID: response.header("X-Openstack-Request-Id"),
                serviceMessage: ServiceMessage.extract(from: response.body))
        }
        return try KeystoneToken.parse(response: response)
    }

    /// The Keystone v3 root when discovery is needed: from `auth_url`'s version document.
    private static func discoveredIdentityURL(authURL: String, transport: HTTPTransport) async -> String {
        var request = URLRequest(url: (try? makeURL(authURL + "/")) ?? URL(fileURLWithPath: "/"))
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let response = try? await sendWithRetry(request, transport: transport, idempotent: true, attempts: 4),
            let href = VersionDiscovery.link(in: (try? response.json()) ?? Value.none, major: 3)
        {
            return href.trimmingSuffix("/")
        }
        return authURL + "/v3"
    }

    // MARK: - Endpoints

    /// The versioned base URL of a service (`network` → `http://…:9696/v2.0`).
    public func endpoint(_ serviceType: String) async throws -> ServiceEndpoint {
        if let existing = discoveredEndpoints[serviceType] { return try await existing.value }
        let token = try await currentToken()
        let config = config
        let transport = transport
        let task = Task { () throws -> ServiceEndpoint in
            let base: String
            if let override = config.endpointOverrides[serviceType] {
                base = override
            } else if let url = token.catalog.url(for: serviceType, interface: config.interface, region: config.regionName) {
                base = url
            } else {
                throw CloudConfigError(
                    "the catalog of cloud '\(config.name)' has no '\(config.interface)' endpoint for service '\(serviceType)'"
                        + (config.regionName.map { " in region '\($0)'" } ?? ""))
            }
            return try await Self.discover(serviceType, base: base, token: token, transport: transport)
        }
        discoveredEndpoints[serviceType] = task
        do {
            return try await task.value
        } catch {
            discoveredEndpoints[serviceType] = nil
            throw error
        }
    }

    /// The versioned base URL without a discovery round trip where the answer is known: a catalog URL that
    /// names a version is used as is, and Neutron (`v2.0`) and Glance (`v2`) have had a single API version
    /// since Queens and Rocky. Other unversioned endpoints are resolved through their root document.
    private static func discover(
        _ serviceType: String, base: String, token: KeystoneToken, transport: HTTPTransport
    ) async throws -> ServiceEndpoint {
        let trimmed = base.trimmingSuffix("/")
        let hasVersion = trimmed.split(separator: "/").contains { $0.range(of: #"^v\d+(\.\d+)?$"#, options: .regularExpression) != nil }
        if hasVersion { return ServiceEndpoint(url: trimmed) }
        switch serviceType {
        case "network": return ServiceEndpoint(url: trimmed + "/v2.0")
        case "image": return ServiceEndpoint(url: trimmed + "/v2")
        default: break
        }
        let wantedMajor: Int? = switch serviceType {
        case "compute": 2
        case "identity": 3
        default: nil
        }
        let document = try await versionDocument(trimmed, token: token, transport: transport)
        if let major = wantedMajor, let href = VersionDiscovery.link(in: document, major: major) {
            return ServiceEndpoint(url: href.trimmingSuffix("/"))
        }
        return ServiceEndpoint(url: trimmed)
    }

    private static func versionDocument(_ url: String, token: KeystoneToken, transport: HTTPTransport) async throws -> Value {
        var request = URLRequest(url: try makeURL(url + "/"))
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue(token.value, forHTTPHeaderField: "X-Auth-Token")
        let response = try await sendWithRetry(request, transport: transport, idempotent: true, attempts: 4)
        return (try? response.json()) ?? Value.none
    }

    /// Nova's highest microversion, read from its version document only when Nova refused the one a
    /// request asked for (406): every Nova since 2015 speaks the versions stackplay's modules ask for,
    /// so the usual run sends no discovery request at all.
    private func maxComputeMicroversion(_ endpoint: ServiceEndpoint) async throws -> Microversion? {
        if let computeMicroversions { return try await computeMicroversions.value }
        let token = try await currentToken()
        let transport = transport
        let task = Task { () throws -> Microversion? in
            let document = try await Self.versionDocument(endpoint.url, token: token, transport: transport)
            return document.dictionary?["version"]?.dictionary?["version"]?.string.flatMap(Microversion.init)
        }
        computeMicroversions = task
        do {
            let supported = try await task.value
            discoveredComputeMicroversion = supported
            return supported
        } catch {
            computeMicroversions = nil
            throw error
        }
    }

    // MARK: - Requests

    /// Sends an authenticated request to a service and returns the answer when its status is 2xx.
    ///
    /// GET/HEAD (and DELETE, which is idempotent) are retried with exponential backoff on 5xx and on
    /// connection failures; a 401 renews the token once and repeats the request.
    public func send(
        _ serviceType: String, _ method: String, _ path: String, query: [(String, String)] = [], json: Value? = nil,
        body: Data? = nil, contentType: String? = nil, headers: [String: String] = [:], microversion: Microversion? = nil,
        expecting accepted: Set<Int>? = nil
    ) async throws -> HTTPResponse {
        let endpoint = try await endpoint(serviceType)
        let url: String
        if path.hasPrefix("http://") || path.hasPrefix("https://") {
            url = path
        } else {
            url = endpoint.url + (path.hasPrefix("/") ? path : "/" + path)
        }
        var components = URLComponents(string: url)
        if !query.isEmpty {
            let existing = components?.queryItems ?? []
            components?.queryItems = existing + query.map { URLQueryItem(name: $0.0, value: $0.1) }
        }
        guard let finalURL = components?.url else { throw OpenStackTransportError(method: method, url: url, reason: "invalid URL") }
        var computeVersion: Microversion? = nil
        if serviceType == "compute", let wanted = microversion {
            computeVersion = discoveredComputeMicroversion.map { min($0, wanted) } ?? wanted
        }
        var renewed = false, negotiated = false
        while true {
            let token = try await currentToken()
            var request = URLRequest(url: finalURL)
            request.httpMethod = method
            request.setValue("application/json", forHTTPHeaderField: "Accept")
            request.setValue(token.value, forHTTPHeaderField: "X-Auth-Token")
            request.setValue("stackplay", forHTTPHeaderField: "User-Agent")
            if let json {
                request.httpBody = Data(JSON.text(json, .compact).utf8)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            } else if let body {
                request.httpBody = body
                request.setValue(contentType ?? "application/octet-stream", forHTTPHeaderField: "Content-Type")
            }
            if let version = computeVersion {
                request.setValue("compute \(version)", forHTTPHeaderField: "OpenStack-API-Version")
                request.setValue(version.description, forHTTPHeaderField: "X-OpenStack-Nova-API-Version")
            }
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            let idempotent = ["GET", "HEAD", "DELETE", "PUT"].contains(method) && body == nil
            let response = try await Self.sendWithRetry(
                request, transport: transport, idempotent: idempotent, attempts: retryAttempts)
            if response.status == 401 && !renewed {
                renewed = true
                invalidate(token)
                continue
            }
            // Nova refuses a microversion above its maximum before doing anything, so even a POST
            // is safe to repeat at the highest one it speaks.
            if response.status == 406, let asked = computeVersion, !negotiated {
                negotiated = true
                if let supported = try await maxComputeMicroversion(endpoint), supported < asked {
                    computeVersion = supported
                    continue
                }
            }
            let ok = accepted.map { $0.contains(response.status) } ?? (200..<300).contains(response.status)
            guard ok else {
                throw OpenStackAPIError(
                    method: method, url: finalURL.absoluteString, status: response.status,
                    requestID: response.header("X-Openstack-Request-Id") ?? response.header("X-Compute-Request-Id"),
                    serviceMessage: ServiceMessage.extract(from: response.body))
            }
            return response
        }
    }

    /// Sends a request, retrying idempotent ones on 5xx answers and on connection failures.
    static func sendWithRetry(
        _ request: URLRequest, transport: HTTPTransport, idempotent: Bool, attempts: Int
    ) async throws -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let response = try await transport.send(request)
                if idempotent, [500, 502, 503, 504].contains(response.status), attempt < attempts {
                    try await backoff(attempt)
                    continue
                }
                return response
            } catch let error as OpenStackTransportError {
                // A refused connection never reached the service, so even a POST is safe to repeat.
                guard idempotent || error.neverConnected, attempt < attempts else { throw error }
                try await backoff(attempt)
            }
        }
    }

    private static func backoff(_ attempt: Int) async throws {
        let seconds = min(0.25 * pow(2.0, Double(attempt - 1)), 4.0)
        try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }

    static func makeURL(_ text: String) throws -> URL {
        guard let url = URL(string: text) else {
            throw OpenStackTransportError(method: "GET", url: text, reason: "invalid URL")
        }
        return url
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }
}

/// Picks a version link out of a service's root document (`{"versions": […]}` or `{"versions": {"values": […]}}`).
enum VersionDiscovery {
    static func link(in document: Value, major: Int) -> String? {
        let root = document.dictionary
        let versions = root?["versions"]?.array ?? root?["versions"]?.dictionary?["values"]?.array
            ?? root?["version"].map { [$0] } ?? []
        var best: (minor: Int, href: String)?
        for version in versions {
            guard let version = version.dictionary, let id = version["id"]?.string else { continue }
            let status = (version["status"]?.string ?? "").lowercased()
            guard ["current", "supported", "stable"].contains(status) else { continue }
            let numbers = id.dropFirst().split(separator: ".").compactMap { Int($0) }
            guard numbers.first == major else { continue }
            let minor = numbers.count > 1 ? numbers[1] : 0
            let href = version["links"]?.array?.compactMap { link -> String? in
                guard let link = link.dictionary, link["rel"]?.string == "self" else { return nil }
                return link["href"]?.string
            }.first
            if let href, best == nil || minor > (best?.minor ?? -1) { best = (minor, href) }
        }
        return best?.href
    }
}

/// A Nova API microversion such as `2.61`.
public struct Microversion: Sendable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 2 else { return nil }
        self.init(parts[0], parts[1])
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    public var description: String { "\(major).\(minor)" }
}
