import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The running test bed (`Scripts/testbed up`), as `Scripts/testbed env` describes it.
enum TestBed {
    static let environment = ProcessInfo.processInfo.environment
    static let isAvailable = environment["STACKPLAY_TESTBED"] != nil && environment["STACKPLAY_TESTBED_INVENTORY"] != nil

    static var inventory: URL {
        URL(fileURLWithPath: environment["STACKPLAY_TESTBED_INVENTORY"] ?? "/nonexistent/inventory.yml")
    }

    /// The site web servers of the unmodified inventory, and the balancer the tests send traffic to.
    static let webServers = ["site1-web1", "site1-web2", "site2-web1", "site2-web2"]
    static let spareWebServer = "site2-web3"
    static let balancerURL = URL(string: "http://10.77.0.11/")

    /// A copy of the inventory in a fresh temporary directory with `site2-web3` moved from the
    /// spare group into `site2`: the thesis's test 5, a third server on site 2.
    static func inventoryWithThirdSite2Server() throws -> URL {
        let text = try String(contentsOf: inventory, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        guard let site2 = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "site2:" }),
            let hosts = lines[site2...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "hosts:" }),
            let spare = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "site2_spare:" })
        else { throw TestBedError("the inventory has no site2 / site2_spare groups") }
        let hostIndent = String(repeating: " ", count: lines[hosts].prefix { $0 == " " }.count + 2)
        // The spare group keeps its name but loses its host, so the moved server is in site2 only.
        lines[spare] = lines[spare] + " {}"
        let spareEnd = lines[(spare + 1)...].firstIndex {
            $0.prefix { $0 == " " }.count <= lines[spare].prefix { $0 == " " }.count
        } ?? lines.endIndex
        let address = lines[(spare + 1)..<spareEnd].first { $0.contains("ansible_host:") } ?? "\(hostIndent)  ansible_host: 10.77.0.17"
        lines.removeSubrange((spare + 1)..<spareEnd)
        lines.insert(contentsOf: ["\(hostIndent)\(spareWebServer):", address], at: hosts + 1)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stackplay-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let copy = directory.appendingPathComponent("inventory.yml")
        try lines.joined(separator: "\n").write(to: copy, atomically: true, encoding: .utf8)
        return copy
    }
}

struct TestBedError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Sends GETs through the balancer and counts which server answered each one.
enum TrafficProbe {
    /// The outcome of `count` sequential GETs: answers per server name, and the failures.
    struct Tally {
        var perServer: [String: Int] = [:]
        var failures: [String] = []
    }

    static func get(_ count: Int, from url: URL) async -> Tally {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        var tally = Tally()
        for _ in 0..<count {
            do {
                let (data, response) = try await session.data(from: url)
                guard let http = response as? HTTPURLResponse, http.statusCode == 200 else {
                    tally.failures.append("status \((response as? HTTPURLResponse)?.statusCode ?? -1)")
                    continue
                }
                // The page's body is the server's name (Roles/webserver/files/index.php); the
                // balancer's X-Backend-Server header names it too, when the body is empty.
                let body = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                let name = body.isEmpty ? (http.value(forHTTPHeaderField: "X-Backend-Server") ?? "") : body
                tally.perServer[name, default: 0] += 1
            } catch {
                tally.failures.append("\(error)")
            }
        }
        return tally
    }
}
