extension ProxyHandler {
    /// Serves the statistics page: JSON for `?json`, `;json` or `Accept: application/json`, else HTML.
    func serveStats(_ head: RequestHead, acceptsJSON: Bool, snapshot: RuntimeSnapshot, frontend: FrontendRuntime) {
        let report = StatsReport(snapshot: snapshot, runtime: runtime)
        let target = head.target
        let wantsJSON = target.contains("?json") || target.contains("&json") || target.hasSuffix(";json") || acceptsJSON
        if wantsJSON {
            respondLocally(
                to: head, status: .ok, body: report.json, contentType: "application/json", frontend: frontend)
        } else {
            respondLocally(
                to: head, status: .ok, body: report.html, contentType: "text/html; charset=utf-8", frontend: frontend)
        }
    }
}
