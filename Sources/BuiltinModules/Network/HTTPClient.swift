import Foundation
import ModuleAPI

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP exchange with URLSession, for `uri` and `get_url`.
struct HTTPClient {
    struct Response: Sendable {
        var status: Int
        /// Header names as the server sent them (case kept).
        var headers: [(String, String)]
        var body: Data
        var url: String
        var redirected: Bool
    }

    struct Failure: Error, Sendable {
        var message: String
    }

    /// Follows redirects per Ansible's `follow_redirects` (`safe`: only GET/HEAD, `all`/`yes`, `none`/`no`).
    final class RedirectPolicy: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        // @unchecked: `follow` is fixed at creation and `redirected` is written only from the session's
        // serial delegate queue before the completion handler that reads it runs.
        let follow: Bool
        var redirected = false

        init(follow: Bool) {
            self.follow = follow
        }

        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
        ) {
            if follow { redirected = true }
            completionHandler(follow ? request : nil)
        }
    }

    static func send(_ request: URLRequest, followRedirects: String, timeout: Double) async -> Result<Response, Failure> {
        let method = request.httpMethod ?? "GET"
        let follow: Bool
        switch followRedirects {
        case "none", "no", "false": follow = false
        case "safe": follow = method == "GET" || method == "HEAD"
        default: follow = true
        }
        let policy = RedirectPolicy(follow: follow)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration, delegate: policy, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        return await withCheckedContinuation { continuation in
            let task = session.dataTask(with: request) { data, response, error in
                guard let http = response as? HTTPURLResponse else {
                    let reason = (error as NSError?)?.localizedDescription ?? "no response"
                    continuation.resume(returning: .failure(Failure(message: reason)))
                    return
                }
                var headers: [(String, String)] = []
                for (key, value) in http.allHeaderFields {
                    headers.append(("\(key)", "\(value)"))
                }
                headers.sort { $0.0.lowercased() < $1.0.lowercased() }
                continuation.resume(
                    returning: .success(
                        Response(
                            status: http.statusCode, headers: headers, body: data ?? Data(),
                            url: http.url?.absoluteString ?? request.url?.absoluteString ?? "",
                            redirected: policy.redirected)))
            }
            task.resume()
        }
    }

    /// `Authorization: Basic …` for `url_username`/`url_password`.
    static func basicAuthorization(user: String, password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    /// Python's `http.client.responses` reason phrases for the failure message.
    static func reason(_ status: Int) -> String {
        HTTPURLResponse.localizedString(forStatusCode: status).capitalized
    }
}
