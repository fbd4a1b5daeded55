import Foundation
import ModuleAPI
import Templating
import Testing

@testable import SSHTransport

@Suite(.enabled(if: TestServer.available, "needs OpenSSH sshd, ssh-keygen, unshare and root"))
struct SessionLifecycleTests {
    @Test func stoppedServerIsUnreachable() async throws {
        let server = try await TestServer.start()
        try await server.stop()
        let connection = SSHConnection(options: server.options())
        let error = await connectionErrorKind { _ = try await connection.execute(CommandRequest("true")) }
        #expect(error?.kind == .unreachable)
        #expect(error?.host == "test-\(server.port)")
        #expect(error?.message.contains("port \(server.port)") == true)
        await connection.close()
    }

    @Test func reconnectsOnceWhenTheServerDroppedTheSession() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options())
            let first = try await connection.execute(CommandRequest("echo $SSH_CONNECTION"))
            server.killSessions()
            // The next command finds the session dead and runs on a new one.
            let second = try await connection.execute(CommandRequest("echo $SSH_CONNECTION"))
            #expect(second.exitStatus == 0)
            // A new TCP connection: SSH_CONNECTION names another client port.
            #expect(first.stdoutText.hasPrefix("127.0.0.1 "))
            #expect(second.stdoutText.hasPrefix("127.0.0.1 "))
            #expect(second.stdoutText != first.stdoutText)
            // With the server gone as well, the reconnect fails and the host is unreachable.
            try await server.stop()
            let error = await connectionErrorKind { _ = try await connection.execute(CommandRequest("true")) }
            #expect(error?.kind == .unreachable)
            #expect(error?.message.contains("reconnecting failed") == true)
            // Once the server is back, the same connection works again.
            _ = try await server.restart()
            #expect(try await connection.execute(CommandRequest("echo back")).stdoutText == "back\n")
            await connection.close()
        }
    }

    @Test func proxyJumpRunsTheTargetSessionThroughTheBastion() async throws {
        try await TestServer.with { target in
            // The target refuses logins that do not come through a forwarded channel of the bastion:
            // `from=` cannot tell loopback peers apart, so prove the path with the bastion's PermitOpen.
            try await TestServer.with(config: "PermitOpen 127.0.0.1:\(target.port)") { bastion in
                let knownHosts = target.directory + "/jump_known_hosts"
                let combined =
                    try String(contentsOfFile: target.knownHosts, encoding: .utf8)
                    + String(contentsOfFile: bastion.knownHosts, encoding: .utf8)
                try combined.write(toFile: knownHosts, atomically: true, encoding: .utf8)
                var options = target.options()
                options.knownHostsFile = knownHosts
                options.jumpHosts = [SSHEndpoint(host: "127.0.0.1", port: bastion.port, user: "root")]
                let connection = SSHConnection(options: options)
                let output = try await connection.execute(
                    CommandRequest("echo through; head -c 300000 /dev/zero | wc -c"))
                #expect(output.stdoutText == "through\n300000\n")
                let data = Data((0..<500_000).map { UInt8(truncatingIfNeeded: $0) })
                try await connection.upload(data, to: target.directory + "/via-jump.bin", mode: nil)
                #expect(try await connection.download(target.directory + "/via-jump.bin") == data)
                await connection.close()

                // The same bastion refuses to forward anywhere else, so a target behind it fails
                // with the bastion named: the session really went through the bastion.
                var elsewhere = options
                elsewhere.endpoint.port = bastion.port
                let refused = SSHConnection(options: elsewhere)
                let error = await connectionErrorKind { try await refused.connect() }
                #expect(error?.kind == .unreachable)
                #expect(error?.message.contains("jump host root@127.0.0.1:\(bastion.port)") == true)
                await refused.close()
            }
        }
    }

    @Test func inventoryVariablesDriveARealConnection() async throws {
        try await TestServer.with { target in
            try await TestServer.with { bastion in
                let knownHosts = target.directory + "/learned_known_hosts"
                let variables: [String: Value] = [
                    "ansible_host": "127.0.0.1", "ansible_port": .string(String(target.port)), "ansible_user": "root",
                    "ansible_ssh_private_key_file": .string(TestServer.keys + "/client_rsa"),
                    "ansible_python_interpreter": "/usr/bin/python3",
                    "ansible_ssh_common_args": .string(
                        "-o UserKnownHostsFile=\(knownHosts) -o StrictHostKeyChecking=accept-new "
                            + "-o ProxyJump=root@127.0.0.1:\(bastion.port) -o ControlPersist=60s"),
                ]
                let settings = try HostConnectionSettings(hostName: "vnf-1", variables: variables)
                #expect(settings.ignoredSSHArguments == ["-o ControlPersist=60s"])
                var options = settings.ssh
                options.useAgent = false
                options.tryDefaultIdentities = false
                let connection = SSHConnection(options: options)
                let output = try await connection.execute(CommandRequest("echo $((6 * 7))"))
                #expect(output.stdoutText == "42\n")
                await connection.close()
                // accept-new learned both the bastion and the target.
                let learned = try String(contentsOfFile: knownHosts, encoding: .utf8)
                #expect(learned.contains("[127.0.0.1]:\(bastion.port) "))
                #expect(learned.contains("[127.0.0.1]:\(target.port) "))
            }
        }
    }

    @Test func keepalivesKeepTheSessionUsable() async throws {
        try await TestServer.with { server in
            var options = server.options()
            options.keepaliveInterval = 0.05
            let connection = SSHConnection(options: options)
            let before = try await connection.execute(CommandRequest("echo $SSH_CONNECTION"))
            try await Task.sleep(for: .milliseconds(400))
            let after = try await connection.execute(CommandRequest("echo $SSH_CONNECTION"))
            // Same TCP connection (client port): the keepalives neither broke nor replaced the session.
            #expect(after.stdoutText == before.stdoutText)
            await connection.close()
        }
    }

    @Test func manyConcurrentSessions() async throws {
        try await TestServer.with { server in
            let results = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for index in 0..<16 {
                    group.addTask {
                        let connection = SSHConnection(options: server.options())
                        var collected = ""
                        for step in 0..<3 {
                            let output = try await connection.execute(CommandRequest("echo \(index)-\(step)"))
                            collected += output.stdoutText
                        }
                        await connection.close()
                        return (index, collected)
                    }
                }
                var all: [Int: String] = [:]
                for try await (index, output) in group { all[index] = output }
                return all
            }
            #expect(results.count == 16)
            for index in 0..<16 {
                #expect(results[index] == "\(index)-0\n\(index)-1\n\(index)-2\n")
            }
        }
    }

    @Test func concurrentCallsOnOneConnectionAllComplete() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options())
            let outputs = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<20 {
                    group.addTask { try await connection.execute(CommandRequest("echo \(index)")).stdoutText }
                }
                var all: Set<String> = []
                for try await output in group { all.insert(output) }
                return all
            }
            #expect(outputs == Set((0..<20).map { "\($0)\n" }))
            await connection.close()
        }
    }
}
