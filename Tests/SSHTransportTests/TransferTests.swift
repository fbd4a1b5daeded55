import Foundation
import ModuleAPI
import Testing

@testable import SSHTransport

@Suite(.enabled(if: TestServer.available, "needs OpenSSH sshd, ssh-keygen, unshare and root"))
struct TransferTests {
    private func randomData(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    @Test func uploadThenDownloadRoundTripsWithChecksumAndMode() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options())
            let path = server.directory + "/uploaded.bin"
            // Not a multiple of the 128 KiB chunk, so the last write is a short one.
            let data = randomData(3 * 1024 * 1024 + 12345)
            try await connection.upload(data, to: path, mode: 0o640)

            let check = try await connection.execute(CommandRequest("sha256sum < \(path); stat -c %a \(path)"))
            let local = try await TestServer.run("/usr/bin/sha256sum", [path])
            #expect(check.stdoutText.split(separator: "\n").first?.prefix(64) == local.prefix(64))
            #expect(check.stdoutText.hasSuffix("640\n"))
            #expect(FileManager.default.contents(atPath: path) == data)

            let downloaded = try await connection.download(path)
            #expect(downloaded == data)
            // Nothing but the file itself is left in the directory: the temporary file was renamed.
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: server.directory)
                .filter { $0.contains("stackplay-") && $0.hasSuffix(".tmp") }
            #expect(leftovers.isEmpty)
            await connection.close()
        }
    }

    @Test func replacingKeepsTheExistingModeOwnerAndGroup() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options())
            let path = server.directory + "/config.txt"
            try await connection.upload(Data("one\n".utf8), to: path, mode: 0o600)
            _ = try await connection.execute(CommandRequest("chown 4242:4242 \(path)"))
            try await connection.upload(Data("two\n".utf8), to: path, mode: nil)
            let output = try await connection.execute(CommandRequest("stat -c '%a %u %g' \(path); cat \(path)"))
            #expect(output.stdoutText == "600 4242 4242\ntwo\n")
            try await connection.upload(Data(), to: path, mode: 0o644)
            let empty = try await connection.download(path)
            #expect(empty.isEmpty)
            let mode = try await connection.execute(CommandRequest("stat -c %a \(path)"))
            #expect(mode.stdoutText == "644\n")
            await connection.close()
        }
    }

    @Test func missingFilesAreTransferErrors() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options())
            let download = await connectionErrorKind { _ = try await connection.download(server.directory + "/nope") }
            #expect(download?.kind == .transfer)
            #expect(download?.message.contains("no such file") == true)
            let upload = await connectionErrorKind {
                try await connection.upload(Data("x".utf8), to: server.directory + "/no/such/dir/file", mode: nil)
            }
            #expect(upload?.kind == .transfer)
            // The session survives failed transfers.
            let after = try await connection.execute(CommandRequest("echo ok"))
            #expect(after.stdoutText == "ok\n")
            await connection.close()
        }
    }

    @Test func uploadCutMidwayLeavesTheOldFileIntact() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options())
            let path = server.directory + "/precious.conf"
            let original = Data("the old configuration\n".utf8)
            try await connection.upload(original, to: path, mode: 0o644)

            // Big enough that the cut lands mid-way even on a slow machine (~10 MiB/s per session here).
            let big = Data(repeating: 0x5a, count: 256 * 1024 * 1024)
            let upload = Task { await connectionErrorKind { try await connection.upload(big, to: path, mode: 0o644) } }
            // Wait until the temporary file is being written, then cut the connection under it.
            var cutMidway = false
            for _ in 0..<3000 {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: server.directory)) ?? []
                let temporary = names.first { $0.hasPrefix(".precious.conf.stackplay-") }.map {
                    server.directory + "/" + $0
                }
                if let temporary,
                    let size = (try? FileManager.default.attributesOfItem(atPath: temporary))?[.size] as? Int,
                    size > 1024 * 1024
                {
                    // Freeze the server side first, so that what is checked is the state at the cut.
                    server.killSessions(signal: SIGSTOP)
                    cutMidway =
                        FileManager.default.fileExists(atPath: temporary)
                        && FileManager.default.contents(atPath: path) == original
                    server.killSessions(signal: SIGKILL)
                    break
                } else {
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            #expect(cutMidway)
            let error = await upload.value
            #expect(error?.kind == .disconnected)
            #expect(FileManager.default.contents(atPath: path) == original)
            await connection.close()
        }
    }
}
