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

        var backends: [String: Int] = [:]
        for _ in 0..<10 {
            let client = try await HTTPTestClient.connect(port: port)
            let response = try await client.request(.GET, "/fresh")
            #expect(response.status == 200)
            backends[response.backendName, default: 0] += 1
            await client.close()
        }
        let client = try await HTTPTestClient.connect(port: port)
        for _ in 0..<10 {
            let response = try await client.request(.GET, "/kept-alive")
            #expect(response.status == 200)
            backends[response.backendName, default: 0] += 1
        }
        // Several check rounds ran after the drop; the servers must still be UP and serving.
        try await Task.sleep(nanoseconds: 400_000_000)
        for _ in 0..<4 {
            let response = try await client.request(.GET, "/after-checks")
            #expect(response.status == 200)
            backends[response.backendName, default: 0] += 1
        }
        await client.close()
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
}
