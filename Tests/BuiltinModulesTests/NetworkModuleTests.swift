import Foundation
import ModuleAPI
import Templating
import Testing

@testable import BuiltinModules

/// A tiny HTTP server on 127.0.0.1 (Python's http.server) with the responses the tests need.
/// Started detached through ``LocalConnection``; it writes its port to a file the test polls.
struct LoopbackServer: Sendable {
    let pid: Int
    let port: Int

    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")

    static let script = #"""
        import http.server, json, sys
        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args): pass
            def reply(self, status, body, kind="text/plain", extra=()):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("X-Backend-Server", "web1")
                for k, v in extra: self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)
            def do_GET(self):
                if self.path == "/json": self.reply(200, json.dumps({"name": "web1", "up": True, "n": 3}), "application/json")
                elif self.path == "/redirect": self.reply(302, "", extra=[("Location", "/json")])
                elif self.path == "/file.txt": self.reply(200, "payload\n")
                elif self.path == "/": self.reply(200, "hello")
                else: self.reply(404, "nope")
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                self.reply(201, json.dumps({"got": body, "type": self.headers.get("Content-Type")}), "application/json")
        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        with open(sys.argv[1] + ".tmp", "w") as f: f.write(str(server.server_address[1]))
        import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
        server.serve_forever()
        """#

    static func start() async throws -> LoopbackServer {
        let portFile = NSTemporaryDirectory() + "stackplay-http-" + UUID().uuidString
        let connection = LocalConnection()
        let launched = try await connection.execute(
            CommandRequest(
                "setsid /usr/bin/python3 -c \(Shell.quote(script)) \(portFile) </dev/null >/dev/null 2>&1 & echo $!"))
        let pid = Int(launched.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        let waited = try await connection.execute(
            CommandRequest("for i in $(seq 1 100); do [ -s \(portFile) ] && { cat \(portFile); rm -f \(portFile); exit 0; }; sleep 0.1; done; exit 1"))
        return LoopbackServer(pid: pid, port: Int(waited.stdoutText) ?? 0)
    }

    var base: String { "http://127.0.0.1:\(port)" }

    func stop() async {
        _ = try? await LocalConnection().execute(CommandRequest("kill \(pid); while kill -0 \(pid) 2>/dev/null; do sleep 0.05; done"))
    }
}

@Suite(.enabled(if: LoopbackServer.available)) struct NetworkModuleTests {
    let harness = Harness()

    @Test func uriReturnsStatusJsonAndLowerSnakeHeaders() async throws {
        let server = try await LoopbackServer.start()
        let result = try await harness.run(URIModule.self, ["url": .string(server.base + "/json")])
        #expect(!result.failed, "\(result)")
        #expect(!result.changed)
        #expect(result["status"] == 200)
        #expect(result["x_backend_server"] == "web1")
        #expect(result["content_type"] == "application/json")
        #expect(result["json"] == .object(["name": "web1", "n": 3, "up": true]))
        #expect(result["content"] == nil)
        #expect(result.message?.hasPrefix("OK (") == true)
        let content = try await harness.run(URIModule.self, ["url": .string(server.base + "/"), "return_content": true])
        #expect(content["content"] == "hello")
        await server.stop()
    }

    @Test func uriFailsOnUnexpectedStatusAndFollowsSafeRedirects() async throws {
        let server = try await LoopbackServer.start()
        let missing = try await harness.run(URIModule.self, ["url": .string(server.base + "/missing")])
        #expect(missing.failed)
        #expect(missing.message == "Status code was 404 and not [200]: HTTP Error 404: Not Found")
        #expect(missing["status"] == 404)
        let allowed = try await harness.run(URIModule.self, ["url": .string(server.base + "/missing"), "status_code": [200, 404]])
        #expect(!allowed.failed)
        let redirected = try await harness.run(URIModule.self, ["url": .string(server.base + "/redirect")])
        #expect(redirected["redirected"] == true)
        #expect(redirected["url"] == .string(server.base + "/json"))
        let notFollowed = try await harness.run(
            URIModule.self, ["url": .string(server.base + "/redirect"), "follow_redirects": "none", "status_code": 302])
        #expect(notFollowed["status"] == 302)
        await server.stop()
    }

    @Test func uriSendsJsonAndFormBodies() async throws {
        let server = try await LoopbackServer.start()
        let json = try await harness.run(
            URIModule.self,
            ["url": .string(server.base + "/post"), "method": "POST", "body_format": "json", "body": .object(["a": 1]),
             "status_code": 201])
        #expect(json["json"]?.dictionary?["got"] == #"{"a": 1}"#)
        #expect(json["json"]?.dictionary?["type"] == "application/json")
        let form = try await harness.run(
            URIModule.self,
            ["url": .string(server.base + "/post"), "method": "POST", "body_format": "form-urlencoded",
             "body": .object(["name": "a b", "x": "1&2"]), "status_code": [201]])
        #expect(form["json"]?.dictionary?["got"] == "name=a+b&x=1%262")
        await server.stop()
    }

    @Test func uriReportsRefusedConnections() async throws {
        let result = try await harness.run(URIModule.self, ["url": "http://127.0.0.1:1/", "timeout": 5])
        #expect(result.failed)
        #expect(result["status"] == -1)
        #expect(result.message?.hasPrefix("Status code was -1 and not [200]: Request failed:") == true)
    }

    @Test func waitForPortAndFile() async throws {
        let server = try await LoopbackServer.start()
        let open = try await harness.run(WaitForModule.self, ["port": .int(server.port), "timeout": 10])
        #expect(!open.failed, "\(open)")
        #expect(open["port"] == .int(server.port))
        await server.stop()
        let stopped = try await harness.run(WaitForModule.self, ["port": .int(server.port), "state": "stopped", "timeout": 10])
        #expect(!stopped.failed)
        let closed = try await harness.run(WaitForModule.self, ["port": .int(server.port), "timeout": 1, "sleep": 1])
        #expect(closed.failed)
        #expect(closed.message == "Timeout when waiting for 127.0.0.1:\(server.port)")

        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try scratch.write("log", "booting\nready on port 8080\n")
        let found = try await harness.run(
            WaitForModule.self, ["path": .string(scratch.file("log")), "search_regex": "ready on port (\\d+)", "timeout": 5])
        #expect(found["match_groups"] == ["8080"])
        let absent = try await harness.run(WaitForModule.self, ["path": .string(scratch.file("none")), "state": "absent", "timeout": 5])
        #expect(!absent.failed)
        let missing = try await harness.run(WaitForModule.self, ["path": .string(scratch.file("none")), "timeout": 1])
        #expect(missing.message == "Timeout when waiting for file \(scratch.file("none"))")
    }

    @Test func getURLDownloadsOnceAndVerifiesChecksums() async throws {
        let server = try await LoopbackServer.start()
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let arguments: KeyValuePairs<String, Value> = [
            "url": .string(server.base + "/file.txt"), "dest": .string(scratch.file("file.txt")), "mode": "0600",
        ]
        let checked = try await harness.run(GetURLModule.self, arguments, check: true)
        #expect(checked.changed)
        #expect(!scratch.exists("file.txt"))
        let first = try await harness.run(GetURLModule.self, arguments)
        #expect(first.changed, "\(first)")
        #expect(scratch.read("file.txt") == "payload\n")
        #expect(scratch.mode("file.txt") == 0o600)
        #expect(first["status_code"] == 200)
        #expect(!(try await harness.run(GetURLModule.self, arguments).changed))
        let wrong = try await harness.run(
            GetURLModule.self,
            ["url": .string(server.base + "/file.txt"), "dest": .string(scratch.file("other.txt")), "checksum": "sha256:00"])
        #expect(wrong.failed)
        #expect(wrong.message?.hasPrefix("The checksum for") == true)
        #expect(!scratch.exists("other.txt"))
        await server.stop()
    }
}
