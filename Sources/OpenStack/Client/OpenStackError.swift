import Diagnostics
import Templating
import Foundation

/// A service answered an HTTP request with an error status.
public struct OpenStackAPIError: LocatedError, Equatable {
    public var method: String
    public var url: String
    public var status: Int
    /// `X-OpenStack-Request-ID` / `X-Compute-Request-Id`, for finding the call in the service's log.
    public var requestID: String?
    /// The service's own explanation (`NeutronError.message`, `badRequest.message`, Glance's text…).
    public var serviceMessage: String
    public var location: SourceLocation?

    public init(
        method: String, url: String, status: Int, requestID: String?, serviceMessage: String,
        location: SourceLocation? = nil
    ) {
        self.method = method
        self.url = url
        self.status = status
        self.requestID = requestID
        self.serviceMessage = serviceMessage
        self.location = location
    }

    public var message: String {
        "\(method) \(url) failed with HTTP \(status): \(serviceMessage.isEmpty ? "no message" : serviceMessage)"
    }

    public var notes: [String] {
        requestID.map { ["request id: \($0)"] } ?? []
    }
}

/// The request never got an HTTP answer (connection refused, timeout, TLS failure).
public struct OpenStackTransportError: LocatedError, Equatable {
    public var method: String
    public var url: String
    public var reason: String
    /// The connection was never made (refused, host unknown): the service saw nothing of the request.
    public var neverConnected: Bool
    public var location: SourceLocation?

    public init(method: String, url: String, reason: String, neverConnected: Bool = false, location: SourceLocation? = nil) {
        self.method = method
        self.url = url
        self.reason = reason
        self.neverConnected = neverConnected
        self.location = location
    }

    public var message: String { "\(method) \(url) failed: \(reason)" }
}

/// The cloud configuration cannot be resolved or is not usable (missing cloud, missing auth keys…).
public struct CloudConfigError: LocatedError, Equatable {
    public var message: String
    public var notes: [String]
    public var location: SourceLocation?

    public init(_ message: String, notes: [String] = [], location: SourceLocation? = nil) {
        self.message = message
        self.notes = notes
        self.location = location
    }
}

/// A module cannot do what the task asks (ambiguous name, forbidden update, timeout waiting…),
/// reported with openstack.cloud's wording where it has one.
public struct OpenStackModuleError: LocatedError, Equatable {
    public var message: String
    public var location: SourceLocation?

    public init(_ message: String, location: SourceLocation? = nil) {
        self.message = message
        self.location = location
    }
}

/// Extracts the human-readable message from an OpenStack error body, whatever the service's format.
enum ServiceMessage {
    static func extract(from data: Data) -> String {
        guard !data.isEmpty else { return "" }
        if let value = try? JSON.parse(data) {
            if let text = find(in: value) { return text }
        }
        let text = String(decoding: data.prefix(2000), as: UTF8.self)
        // Glance and webob answer with HTML; keep the text between tags.
        return text.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static func find(in value: Value) -> String? {
        guard let dictionary = value.dictionary else { return nil }
        for key in ["message", "faultstring", "detail", "title", "description"] {
            if let text = dictionary[key]?.string, !text.isEmpty { return text }
        }
        // Nova wraps a fault in a key that names it (`badRequest`, `itemNotFound`, `computeFault`, …), Neutron
        // in `NeutronError`, Keystone in `error`: the explanation is inside whichever object there is.
        for entry in dictionary {
            if case .dict = entry.value, let text = find(in: entry.value) { return text }
        }
        if let errors = dictionary["errors"]?.array, let first = errors.first, let text = find(in: first) {
            return text
        }
        return nil
    }
}
