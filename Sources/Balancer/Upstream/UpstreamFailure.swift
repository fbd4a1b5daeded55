import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Why an upstream attempt failed; decides retries, passive health marking and the client's status.
enum UpstreamFailure: Error, Equatable {
    /// The server refused the TCP connection (nothing listens: a crashed process).
    case connectionRefused
    /// The TCP connect did not finish within `timeout connect` (a vanished host).
    case connectTimeout
    /// Any other connect error, e.g. no route.
    case connectFailed(String)
    /// The connection was reset or closed before the response head arrived.
    case closedBeforeResponse
    /// The connection broke in the middle of a response.
    case closedDuringResponse
    /// No response data for `timeout server`.
    case serverTimeout
    /// The balancer cut the connection because the server was marked DOWN.
    case serverMarkedDown
    /// The server sent something that is not an HTTP/1.x response.
    case invalidResponse

    /// Whether nothing reached the server, so any request may be sent elsewhere.
    var happenedBeforeSending: Bool {
        switch self {
        case .connectionRefused, .connectTimeout, .connectFailed: return true
        default: return false
        }
    }

    /// Short text for logs and check status.
    var summary: String {
        switch self {
        case .connectionRefused: return "connection refused"
        case .connectTimeout: return "connect timeout"
        case .connectFailed(let detail): return "connect failed: \(detail)"
        case .closedBeforeResponse: return "connection closed before response"
        case .closedDuringResponse: return "connection closed during response"
        case .serverTimeout: return "server timeout"
        case .serverMarkedDown: return "server marked down"
        case .invalidResponse: return "invalid response"
        }
    }

    /// Classifies an error from `ClientBootstrap.connect`.
    init(connectError error: any Error) {
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            self = .connectTimeout
        } else if let ioError = error as? IOError, ioError.errnoCode == ECONNREFUSED {
            self = .connectionRefused
        } else if let connectionError = error as? NIOConnectionError,
            connectionError.connectionErrors.contains(where: { ($0.error as? IOError)?.errnoCode == ECONNREFUSED })
        {
            self = .connectionRefused
        } else if let connectionError = error as? NIOConnectionError,
            connectionError.connectionErrors.contains(where: {
                if case .connectTimeout = $0.error as? ChannelError { return true }
                return false
            })
        {
            self = .connectTimeout
        } else {
            self = .connectFailed("\(error)")
        }
    }
}
