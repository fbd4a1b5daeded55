import NIOHTTP1

extension ProxyHandler {
    /// Serves the statistics page: JSON for `?json`, `;json` or `Accept: application/json`, else HTML.
    func serveStats(_ head: HTTPRequestHead, snapshot: RuntimeSnapshot, frontend: FrontendRuntime) {
        let report = StatsReport(snapshot: snapshot, runtime: runtime)
        let wantsJSON =
            head.uri.contains("?json") || head.uri.contains("&json") || head.uri.hasSuffix(";json")
            || head.headers["accept"].contains { $0.contains("application/json") }
        if wantsJSON {
            respondLocally(
                to: head, status: .ok, body: report.json, contentType: "application/json", frontend: frontend)
        } else {
            respondLocally(
                to: head, status: .ok, body: report.html, contentType: "text/html; charset=utf-8", frontend: frontend)
        }
    }
}
