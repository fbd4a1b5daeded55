import Foundation
import ModuleAPI
import Testing

@testable import SSHTransport

@Suite(.enabled(if: TestServer.available, "needs OpenSSH sshd, ssh-keygen, unshare and root"))
struct HostKeyAndAuthenticationTests {
    @Test func changedHostKeyIsRefusedNamingHostAndBothFingerprints() async throws {
        try await TestServer.with { server in
            // known_hosts claims another key for this host: exactly what a reinstalled or spoofed host looks like.
            let strangerKey = try String(contentsOfFile: TestServer.keys + "/stranger_ed25519.pub", encoding: .utf8)
            let fields = strangerKey.split(separator: " ")
            try "[127.0.0.1]:\(server.port) \(fields[0]) \(fields[1])\n"
                .write(toFile: server.knownHosts, atomically: true, encoding: .utf8)
            let connection = SSHConnection(options: server.options())
            let error = await connectionErrorKind { try await connection.connect() }
            #expect(error?.kind == .hostKeyMismatch)
            let message = error?.message ?? ""
            #expect(message.contains("[127.0.0.1]:\(server.port)"))
            let known = try await TestServer.fingerprint(ofPublicKey: TestServer.keys + "/stranger_ed25519.pub")
            let offered = try await TestServer.fingerprint(ofPublicKey: TestServer.keys + "/host_ed25519.pub")
            #expect(message.contains("has ssh-ed25519 key \(known) but the server offered ssh-ed25519 key \(offered)"))
            await connection.close()
        }
    }

    @Test func unknownHostIsRefusedByDefaultAndLearnedWithAcceptNew() async throws {
        try await TestServer.with { server in
            try "".write(toFile: server.knownHosts, atomically: true, encoding: .utf8)
            let strict = SSHConnection(options: server.options())
            let refused = await connectionErrorKind { try await strict.connect() }
            #expect(refused?.kind == .hostKeyUnknown)
            let offered = try await TestServer.fingerprint(ofPublicKey: TestServer.keys + "/host_ed25519.pub")
            #expect(refused?.message.contains(offered) == true)
            await strict.close()

            var options = server.options()
            options.hostKeyPolicy = .acceptNew
            let learning = SSHConnection(options: options)
            try await learning.connect()
            await learning.close()
            let knownHosts = try String(contentsOfFile: server.knownHosts, encoding: .utf8)
            #expect(knownHosts.contains("[127.0.0.1]:\(server.port) ssh-ed25519 "))

            // Once learned, strict checking accepts the host.
            let again = SSHConnection(options: server.options())
            try await again.connect()
            await again.close()
        }
    }

    @Test func hostKeyCheckingOffAcceptsAnyKeyWithoutWriting() async throws {
        try await TestServer.with { server in
            try "".write(toFile: server.knownHosts, atomically: true, encoding: .utf8)
            var options = server.options()
            options.hostKeyPolicy = .off
            let connection = SSHConnection(options: options)
            #expect(try await connection.execute(CommandRequest("echo in")).stdoutText == "in\n")
            await connection.close()
            #expect(try String(contentsOfFile: server.knownHosts, encoding: .utf8).isEmpty)
        }
    }

    @Test(arguments: ["client_ed25519", "client_rsa", "client_ecdsa"])
    func logsInWithEachKeyType(key: String) async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options(key: key))
            let output = try await connection.execute(CommandRequest("id -u"))
            #expect(output.stdoutText == "0\n")
            await connection.close()
        }
    }

    @Test func encryptedKeyNeedsItsPassphrase() async throws {
        try await TestServer.with { server in
            var options = server.options(key: "client_encrypted")
            let without = SSHConnection(options: options)
            let error = await connectionErrorKind { try await without.connect() }
            #expect(error?.kind == .authenticationFailed)
            #expect(error?.message.contains("client_encrypted (encrypted or invalid; no passphrase given)") == true)
            await without.close()

            options.keyPassphrase = .file(TestServer.keys + "/passphrase")
            let fromFile = SSHConnection(options: options)
            try await fromFile.connect()
            await fromFile.close()

            let variable = "STACKPLAY_TEST_PASSPHRASE_\(server.port)"
            setenv(variable, "correct horse battery staple", 1)
            defer { unsetenv(variable) }
            options.keyPassphrase = .environment(variable)
            let fromEnvironment = SSHConnection(options: options)
            try await fromEnvironment.connect()
            await fromEnvironment.close()

            options.keyPassphrase = .literal("wrong passphrase")
            let wrong = SSHConnection(options: options)
            #expect(await connectionErrorKind { try await wrong.connect() }?.kind == .authenticationFailed)
            await wrong.close()
        }
    }

    @Test func wrongKeyIsAuthenticationFailedListingWhatWasTried() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options(key: "stranger_ed25519"))
            let error = await connectionErrorKind { try await connection.connect() }
            #expect(error?.kind == .authenticationFailed)
            #expect(error?.message.contains("stranger_ed25519") == true)
            #expect(error?.message.contains("the server accepts: publickey,password") == true)
            await connection.close()
        }
    }

    @Test func logsInWithAKeyFromTheAgent() async throws {
        try await TestServer.with { server in
            let socket = server.directory + "/agent.sock"
            let agent = Process()
            agent.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-agent")
            agent.arguments = ["-D", "-a", socket]
            // Not the test's own pipes: `swift test` waits for every holder of them to exit.
            agent.standardOutput = FileHandle.nullDevice
            agent.standardError = FileHandle.nullDevice
            try agent.run()
            // SIGKILL: the agent may inherit a signal mask that blocks SIGTERM from the test runner.
            defer { kill(agent.processIdentifier, SIGKILL) }
            for _ in 0..<100 where !FileManager.default.fileExists(atPath: socket) {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await TestServer.run(
                "/usr/bin/ssh-add", [TestServer.keys + "/client_ecdsa"], environment: ["SSH_AUTH_SOCK": socket])

            var options = server.options(key: nil)
            options.useAgent = true
            options.agentSocket = socket
            let connection = SSHConnection(options: options)
            let output = try await connection.execute(CommandRequest("id -u"))
            #expect(output.stdoutText == "0\n")
            await connection.close()

            // Without the agent, the same options have nothing to offer.
            options.useAgent = false
            let without = SSHConnection(options: options)
            #expect(await connectionErrorKind { try await without.connect() }?.kind == .authenticationFailed)
            await without.close()
        }
    }

    @Test func passwordLogin() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options(user: "spuser", key: nil, password: "sp-user-pass"))
            let output = try await connection.execute(CommandRequest("id -un"))
            #expect(output.stdoutText == "spuser\n")
            await connection.close()
            let wrong = SSHConnection(options: server.options(user: "spuser", key: nil, password: "nope"))
            #expect(await connectionErrorKind { try await wrong.connect() }?.kind == .authenticationFailed)
            await wrong.close()
        }
    }
}
