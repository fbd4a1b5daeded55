extension StatsReport {
    /// The report as a JSON document.
    var json: String {
        var out = "{\"uptime_seconds\":\(now - startedAt),\"config_loaded_at\":\(loadedAt),"
        out += "\"draining\":\(draining),\"frontends\":["
        out += frontends.map { frontend in
            "{\"name\":\(quoted(frontend.name)),\"bind\":\(quoted(frontend.bind)),"
                + "\"current_connections\":\(frontend.currentConnections),"
                + "\"total_connections\":\(frontend.totalConnections),"
                + "\"rejected_connections\":\(frontend.rejectedConnections),"
                + "\"requests\":\(frontend.requests),\"denied_requests\":\(frontend.deniedRequests),"
                + "\"local_responses\":\(frontend.localResponses),\"responses\":\(object(frontend.responses))}"
        }.joined(separator: ",")
        out += "],\"backends\":["
        out += backends.map { backend in
            "{\"name\":\(quoted(backend.name)),\"algorithm\":\(quoted(backend.algorithm)),"
                + "\"queue\":\(backend.queueLength),\"queued_total\":\(backend.queuedTotal),"
                + "\"unavailable_responses\":\(backend.unavailableResponses),\"servers\":["
                + backend.servers.map(serverJSON).joined(separator: ",") + "]}"
        }.joined(separator: ",")
        return out + "]}\n"
    }

    private func serverJSON(_ server: Server) -> String {
        "{\"name\":\(quoted(server.name)),\"address\":\(quoted(server.address)),\"state\":\(quoted(server.state)),"
            + "\"weight\":\(server.weight),\"backup\":\(server.backup),"
            + "\"maxconn\":\(server.maxConnections.map(String.init) ?? "null"),"
            + "\"active\":\(server.activeRequests),\"requests\":\(server.requests),"
            + "\"connections\":\(server.connectionsOpened),\"connect_errors\":\(server.connectErrors),"
            + "\"response_errors\":\(server.responseErrors),\"retries\":\(server.retries),"
            + "\"redispatches\":\(server.redispatches),\"failed_checks\":\(server.failedChecks),"
            + "\"down_transitions\":\(server.downTransitions),\"responses\":\(object(server.responses)),"
            + "\"check\":{\"enabled\":\(server.checked),\"status\":\(quoted(server.checkStatus)),"
            + "\"last_change\":\(server.lastChange),\"last_change_ago_seconds\":\(now - server.lastChange),"
            + "\"reason\":\(quoted(server.lastChangeReason))}}"
    }

    /// The report as a self-contained HTML page.
    var html: String {
        var out = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>stackplay-balancer statistics</title>"
        out += "<style>body{font-family:sans-serif}table{border-collapse:collapse;margin-bottom:1em}"
        out += "td,th{border:1px solid #999;padding:2px 6px;text-align:right}th{background:#ddd}"
        out += ".UP{background:#cfc}.DOWN{background:#fcc}</style></head><body>"
        out += "<h1>stackplay-balancer</h1><p>uptime \(now - startedAt) s, configuration loaded at \(loadedAt)"
        out += draining ? ", draining" : ""
        out += "</p><h2>Frontends</h2><table><tr><th>name</th><th>bind</th><th>current conns</th>"
        out += "<th>total conns</th><th>requests</th><th>denied</th><th>2xx</th><th>3xx</th><th>4xx</th><th>5xx</th></tr>"
        for frontend in frontends {
            out += "<tr><td>\(escaped(frontend.name))</td><td>\(escaped(frontend.bind))</td>"
            out += "<td>\(frontend.currentConnections)</td><td>\(frontend.totalConnections)</td>"
            out += "<td>\(frontend.requests)</td><td>\(frontend.deniedRequests)</td>"
            out += frontend.responses.prefix(4).map { "<td>\($0.1)</td>" }.joined() + "</tr>"
        }
        out += "</table>"
        for backend in backends {
            out += "<h2>Backend \(escaped(backend.name)) (\(escaped(backend.algorithm)))</h2>"
            out += "<p>queue \(backend.queueLength), queued total \(backend.queuedTotal), "
            out += "503 without server \(backend.unavailableResponses)</p>"
            out += "<table><tr><th>server</th><th>address</th><th>state</th><th>weight</th><th>active</th>"
            out += "<th>requests</th><th>conn errors</th><th>resp errors</th><th>retries</th><th>redispatches</th>"
            out += "<th>check</th><th>last change</th></tr>"
            for server in backend.servers {
                out += "<tr class=\"\(server.state)\"><td>\(escaped(server.name))\(server.backup ? " (backup)" : "")</td>"
                out += "<td>\(escaped(server.address))</td><td>\(server.state)</td><td>\(server.weight)</td>"
                out += "<td>\(server.activeRequests)</td><td>\(server.requests)</td><td>\(server.connectErrors)</td>"
                out += "<td>\(server.responseErrors)</td><td>\(server.retries)</td><td>\(server.redispatches)</td>"
                out += "<td>\(escaped(server.checked ? server.checkStatus : "no check"))</td>"
                out += "<td>\(now - server.lastChange) s ago: \(escaped(server.lastChangeReason))</td></tr>"
            }
            out += "</table>"
        }
        return out + "</body></html>\n"
    }

    private func object(_ pairs: [(String, Int)]) -> String {
        "{" + pairs.map { "\(quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    private func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
