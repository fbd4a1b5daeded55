import Foundation
import Templating

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP exchange's answer.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    /// A header by case-insensitive name.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.key.lowercased() == lowered }?.value
    }

    /// The body parsed as JSON (`null` when empty).
    public func json() throws -> Value {
        body.isEmpty ? .none : try JSON.parse(body)
    }
}

/// Every HTTP request the client sent in this process, with its latency, for benchmarks and `-vvv`.
public final class RequestLog: @unchecked Sendable {
    // @unchecked: `entries` is only touched under `lock`.
    private let lock = NSLock()
    private var entries: [Entry] = []

    /// One request.
    public struct Entry: Sendable, Equatable {
        public var method: String
        public var url: String
        public var status: Int?
        public var seconds: Double
    }

    public init() {}

    func record(_ entry: Entry) {
        lock.lock()
        entries.append(entry)
        lock.unlock()
    }

    /// All requests so far, in the order they completed.
    public var all: [Entry] {
        lock.lock()
        defer { lock.unlock() }
        return entries
    }

    /// How many requests were sent.
    public var count: Int { all.count }

    /// The process-wide log every ``HTTPTransport`` records into.
    public static let shared = RequestLog()
}

/// HTTP over FoundationNetworking's `URLSession` (libcurl on Linux), one session per cloud so that
/// connections are pooled and reused across all tasks of the run.
///
/// The completion-handler API is used, wrapped in a continuation: it is the path corelibs-foundation
/// has exercised longest on Linux.
public final class HTTPTransport: Sendable {
    private let session: URLSession
    private let log: RequestLog
    /// The requests this transport (one cloud session) sent.
    public let requests = RequestLog()
    /// Seconds before one request is abandoned.
    public let timeout: Double

    public init(timeout: Double?, log: RequestLog = .shared) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout ?? 60
        configuration.httpMaximumConnectionsPerHost = 8
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpShouldSetCookies = false
        self.session = URLSession(configuration: configuration)
        self.log = log
        self.timeout = timeout ?? 60
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Sends one request; throws ``OpenStackTransportError`` when no HTTP answer arrives.
    public func send(_ request: URLRequest) async throws -> HTTPResponse {
        let started = Date()
        let method = request.httpMethod ?? "GET"
        let url = request.url?.absoluteString ?? ""
        let outcome: Result<HTTPResponse, OpenStackTransportError> = await withCheckedContinuation { continuation in
            let task = session.dataTask(with: request) { data, response, error in
                if let error {
                    let code = (error as? URLError)?.code
                    let neverConnected = code == .cannotConnectToHost || code == .cannotFindHost || code == .dnsLookupFailed
                    continuation.resume(
                        returning: .failure(
                            OpenStackTransportError(
                                method: method, url: url, reason: error.localizedDescription, neverConnected: neverConnected)))
                    return
                }
                guard let http = response as? HTTPURLResponse else {
                    continuation.resume(
                        returning: .failure(
                            OpenStackTransportError(method: method, url: url, reason: "no HTTP response")))
                    return
                }
                var headers: [String: String] = [:]
                for (key, value) in http.allHeaderFields {
                    headers["\(key)"] = "\(value)"
                }
                continuation.resume(
                    returning: .success(HTTPResponse(status: http.statusCode, headers: headers, body: data ?? Data())))
            }
            task.resume()
        }
        let seconds = Date().timeIntervalSince(started)
        switch outcome {
        case .success(let response):
            let entry = RequestLog.Entry(method: method, url: url, status: response.status, seconds: seconds)
            log.record(entry)
            requests.record(entry)
            return response
        case .failure(let error):
            let entry = RequestLog.Entry(method: method, url: url, status: nil, seconds: seconds)
            log.record(entry)
            requests.record(entry)
            throw error
        }
    }
}
