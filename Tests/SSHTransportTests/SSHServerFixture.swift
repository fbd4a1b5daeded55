import Foundation
import ModuleAPI
import Testing

@testable import SSHTransport

/// A real OpenSSH sshd on 127.0.0.1, started by `Scripts/sshd-fixture.sh` in a directory of its own.
/// All servers of one test process share one key directory (host key and client keys).
struct TestServer {
    let directory: String
    let port: Int

    /// Whether the machine can run the fixture: OpenSSH's binaries, and root for the private mount namespace.
    static let available: Bool = {
        let tools = ["/usr/sbin/sshd", "/usr/bin/ssh-keygen", "/usr/bin/unshare", "/usr/bin/openssl"]
        return getuid() == 0 && tools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let sudoAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/sudo")

    static let root = NSTemporaryDirectory() + "stackplay-ssh-tests-\(getpid())"
    static let keys = root + "/keys"
    private static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts/sshd-fixture.sh").path

    /// Starts a server; `config` lines are added to its sshd_config.
    static func start(config: String = "", port: Int? = nil, directory: String? = nil) async throws -> TestServer {
        let directory = directory ?? root + "/server-\(UUID().uuidString.prefix(8))"
        var arguments = ["start", directory]
        if let port { arguments.append(String(port)) }
        let output = try await runScript(arguments, config: config)
        guard let port = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw FixtureError("sshd-fixture printed no port: \(output)")
        }
        return TestServer(directory: directory, port: port)
    }

    /// Runs `body` against a fresh server and stops the server afterwards.
    static func with<T>(config: String = "", _ body: (TestServer) async throws -> T) async throws -> T {
        let server = try await start(config: config)
        do {
            let result = try await body(server)
            try await server.stop()
            try? FileManager.default.removeItem(atPath: server.directory)
            return result
        } catch {
            try? await server.stop()
            throw error
        }
    }

    /// Stops the listener and cuts its live sessions.
    func stop() async throws {
        killSessions()
        _ = try await Self.runScript(["stop", directory], config: "")
    }

    /// Starts the server again on the same port.
    func restart() async throws -> TestServer {
        try await Self.start(port: port, directory: directory)
    }

    var knownHosts: String { directory + "/known_hosts" }

    /// Options that log in as root with the ed25519 client key and nothing else.
    func options(user: String = "root", key: String? = "client_ed25519", password: String? = nil)
        -> SSHConnectionOptions
    {
        SSHConnectionOptions(
            displayName: "test-\(port)", endpoint: SSHEndpoint(host: "127.0.0.1", port: port, user: user),
            identityFiles: key.map { ["\(Self.keys)/\($0)"] } ?? [], password: password, useAgent: false,
            tryDefaultIdentities: false, knownHostsFile: knownHosts, connectTimeout: 5)
    }

    /// Sends `signal` to every per-connection sshd process of this server (the listener stays):
    /// SIGKILL cuts live sessions the way a crash or a network failure would; SIGSTOP freezes them.
    func killSessions(signal: Int32 = SIGKILL) {
        guard let listener = try? String(contentsOfFile: directory + "/sshd.pid", encoding: .utf8),
            let pid = Int32(listener.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return }
        for child in descendants(of: pid) { kill(child, signal) }
    }

    private func descendants(of parent: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var children: [Int32] = []
        for entry in entries {
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == parent { children.append(pid) }
        }
        return children + children.flatMap { descendants(of: $0) }
    }

    /// `SHA256:…` of a public key file, from ssh-keygen.
    static func fingerprint(ofPublicKey path: String) async throws -> String {
        let output = try await run("/usr/bin/ssh-keygen", ["-l", "-f", path])
        let fields = output.split(separator: " ")
        guard fields.count > 1 else { throw FixtureError("unexpected ssh-keygen output: \(output)") }
        return String(fields[1])
    }

    private static func runScript(_ arguments: [String], config: String) async throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["SSHD_FIXTURE_KEYS"] = keys
        environment["SSHD_FIXTURE_CONFIG"] = config
        return try await run("/bin/bash", [script] + arguments, environment: environment)
    }

    /// Runs a program to completion without blocking a cooperative thread (tests run in parallel
    /// on a pool of as many threads as cores). Outputs are small, so the pipes never fill.
    @discardableResult
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil
    ) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume()
            }
        }
        guard process.processIdentifier != 0 else { throw FixtureError("cannot start \(executable)") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        guard process.terminationStatus == 0 else {
            let reason = String(decoding: errorData, as: UTF8.self)
            throw FixtureError("\(executable) \(arguments.joined(separator: " ")) failed: \(reason)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The `ConnectionError` `body` throws, or nil when it succeeds (or throws something else).
func connectionErrorKind(_ body: () async throws -> Void) async -> ConnectionError? {
    do {
        try await body()
        return nil
    } catch {
        return error as? ConnectionError
    }
}
