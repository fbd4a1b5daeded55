import Foundation
import Templating

/// One fully resolved cloud: what openstacksdk's `get_one()` produces after merging clouds.yaml,
/// secure.yaml, `OS_*` variables and the module's arguments.
public struct CloudConfig: Sendable, Hashable {
    /// The cloud's name in clouds.yaml (`envvars` for `OS_*`, `defaults` when nothing is configured).
    public var name: String
    /// keystoneauth plugin: `password`, `v3password`, `token`, `v3token`, `v3applicationcredential`.
    public var authType: String
    /// The plugin's options (auth_url, username, password, project_name, user_domain_name, token, …).
    public var auth: [String: String]
    public var regionName: String?
    /// `public`, `internal` or `admin`.
    public var interface: String
    /// TLS peer verification (openstacksdk's `verify`, on unless `insecure`/`verify: false`).
    public var verify: Bool
    public var caCert: String?
    public var clientCert: String?
    public var clientKey: String?
    /// Seconds for each HTTP request, or nil for the client's default.
    public var apiTimeout: Double?
    /// Per-service endpoint overrides (`network_endpoint_override`, …), keyed by service type.
    public var endpointOverrides: [String: String]

    public init(
        name: String, authType: String = "password", auth: [String: String], regionName: String? = nil,
        interface: String = "public", verify: Bool = true, caCert: String? = nil, clientCert: String? = nil,
        clientKey: String? = nil, apiTimeout: Double? = nil, endpointOverrides: [String: String] = [:]
    ) {
        self.name = name
        self.authType = authType
        self.auth = auth
        self.regionName = regionName
        self.interface = interface
        self.verify = verify
        self.caCert = caCert
        self.clientCert = clientCert
        self.clientKey = clientKey
        self.apiTimeout = apiTimeout
        self.endpointOverrides = endpointOverrides
    }

    /// The Keystone URL as configured (may or may not end in `/v3`; discovery settles it).
    public var authURL: String? { auth["auth_url"] }
}
