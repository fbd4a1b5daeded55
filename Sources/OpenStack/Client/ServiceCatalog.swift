import Foundation
import Templating

/// The services a Keystone token lists, and how to pick one endpoint from them.
public struct ServiceCatalog: Sendable {
    /// One endpoint of one service.
    public struct Endpoint: Sendable, Equatable {
        public var serviceType: String
        public var interface: String
        public var region: String?
        public var url: String
    }

    public var endpoints: [Endpoint]

    public init(endpoints: [Endpoint]) {
        self.endpoints = endpoints
    }

    /// Parses `token.catalog` from a Keystone v3 token response.
    public init(token: ValueDictionary) {
        var endpoints: [Endpoint] = []
        for service in token["catalog"]?.array ?? [] {
            guard let service = service.dictionary, let type = service["type"]?.string else { continue }
            for endpoint in service["endpoints"]?.array ?? [] {
                guard let endpoint = endpoint.dictionary, let url = endpoint["url"]?.string else { continue }
                endpoints.append(
                    Endpoint(
                        serviceType: type, interface: endpoint["interface"]?.string ?? "public",
                        region: endpoint["region_id"]?.string ?? endpoint["region"]?.string, url: url))
            }
        }
        self.endpoints = endpoints
    }

    /// Service types under their historical aliases, as os-service-types knows them.
    static func aliases(of type: String) -> [String] {
        switch type {
        case "compute": ["compute"]
        case "image": ["image"]
        case "network": ["network"]
        case "identity": ["identity"]
        case "nfv-orchestration": ["nfv-orchestration", "nfv_orchestration"]
        case "block-storage": ["block-storage", "volumev3", "volumev2", "volume"]
        default: [type]
        }
    }

    /// The URL for a service type, interface and (optional) region; nil when the catalog lacks it.
    public func url(for type: String, interface: String, region: String?) -> String? {
        for alias in Self.aliases(of: type) {
            let matching = endpoints.filter {
                $0.serviceType == alias && $0.interface == interface && (region == nil || $0.region == region)
            }
            if let first = matching.first { return first.url }
        }
        return nil
    }
}
