import Foundation
import Testing

/// The real `stackplay-balancer` process started as root with `user: nobody`: after binding it
/// must drop to nobody on every thread and still proxy (client accepts, upstream dials, checks).
@Suite(
    .serialized, .enabled(if: getuid() == 0, "dropping privileges needs root"),
    .enabled(if: NginxBackends.isAvailable, "needs /usr/sbin/nginx"))
struct PrivilegeDropTests {
    @Test func balancerDroppedToNobodyProxiesTrafficAndNoThreadKeepsRoot() async throws {
        let binary = try #require(
            BalancerProcess.binary, "stackplay-balancer is not built beside the tests (swift build --build-tests)")
        let account = try #require(getpwnam("nobody"), "no user nobody")
        let uid = account.pointee.pw_uid
        let group = getgrnam("nogroup")
        let gid = group?.pointee.gr_gid ?? account.pointee.pw_gid
        let groupLine = group == nil ? "" : "\n  group: nogroup"

        let nginx = try NginxBackends(count: 2)
        defer { nginx.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("balancer-drop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try FreePort.find()
        let accessLog = directory.appendingPathComponent("access.log")
        let servers = zip(nginx.names, nginx.addresses).map { "      - { name: \($0), address: \"\($1)\" }" }
        let yaml = """
            global:
              threads: 2
              user: nobody\(groupLine)
              access-log: "\(accessLog.path)"
            defaults:
              check: { interval: 100ms, rise: 1, fall: 1, path: /health }
            frontends:
              - name: front
                bind: "127.0.0.1:\(port)"
                stats: /stats
                default-backend: main
            backends:
              - name: main
                servers:
            \(servers.joined(separator: "\n"))
            """
        let configFile = directory.appendingPathComponent("balancer.yml")
        try yaml.write(to: configFile, atomically: true, encoding: .utf8)

        let process = try BalancerProcess(
            binary: binary, arguments: ["--config", configFile.path], logFile: directory.appendingPathComponent("stderr.log"))
        // "listening on" is printed once the privileges are dropped.
        try #require(process.waitForLog("listening on"), "the balancer did not start: \(process.log)")

        // Blocking sockets with a receive timeout: a reset or a silent balancer fails the test, never hangs it.
        var backends: [String: Int] = [:]
        for _ in 0..<10 {
            let response = Self.get(try RawConnection(port: port), "/fresh")
            #expect(response.status == 200, "\(response.text)")
            backends[response.backend, default: 0] += 1
        }
        let keptAlive = try RawConnection(port: port)
        for _ in 0..<10 {
            let response = Self.get(keptAlive, "/kept-alive")
            #expect(response.status == 200, "\(response.text)")
            backends[response.backend, default: 0] += 1
        }
        // Several check rounds ran after the drop; the servers must still be UP and serving.
        try await Task.sleep(nanoseconds: 400_000_000)
        for _ in 0..<4 {
            let response = Self.get(keptAlive, "/after-checks")
            #expect(response.status == 200, "\(response.text)")
            backends[response.backend, default: 0] += 1
        }
        #expect(backends == ["b1": 12, "b2": 12], "\(process.log)")

        let credentials = try process.credentials()
        let expected = ProcessCredentials(uids: Array(repeating: uid, count: 4), gids: Array(repeating: gid, count: 4), groups: [])
        #expect(credentials.count >= 3, "the process and at least two event-loop threads")
        for (path, found) in credentials.sorted(by: { $0.key < $1.key }) {
            #expect(found == expected, "\(path): \(found)")
        }

        #expect(process.stop() == 0, "\(process.log)")
        let logged = try String(contentsOf: accessLog, encoding: .utf8)
        #expect(logged.split(separator: "\n").count == 24, "access log written after the drop: \(logged)")
    }

    /// One GET on `connection`: the status and the backend nginx named in the body (0 and "" when
    /// the connection was reset, closed or timed out first).
    static func get(_ connection: RawConnection, _ path: String) -> (status: Int, backend: String, text: String) {
        connection.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
        let (text, _) = connection.receive { text in
            guard let end = text.range(of: "\r\n\r\n") else { return false }
            let length = text[..<end.lowerBound].split(separator: "\r\n")
                .first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
            guard let length else { return false }
            return text[end.upperBound...].utf8.count >= length
        }
        guard let end = text.range(of: "\r\n\r\n"), text.hasPrefix("HTTP/1.1 "),
            let status = Int(text.dropFirst(9).prefix(3))
        else { return (0, "", text) }
        return (status, String(text[end.upperBound...].split(separator: " ").first ?? ""), text)
    }
}
