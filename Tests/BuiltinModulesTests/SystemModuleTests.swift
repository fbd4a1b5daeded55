import Foundation
import ModuleAPI
import Templating
import Testing

@testable import BuiltinModules

@Suite struct SystemModuleTests {
    let harness = Harness()

    @Test func unarchiveExtractsOnceAndDetectsChanges() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try FileManager.default.createDirectory(atPath: scratch.file("src/app"), withIntermediateDirectories: true)
        try scratch.write("src/app/index.php", "<?php echo 1;")
        try FileManager.default.createDirectory(atPath: scratch.file("dest"), withIntermediateDirectories: true)
        let made = try await LocalConnection().execute(
            CommandRequest("tar -czf \(scratch.file("app.tar.gz")) -C \(scratch.file("src")) app"))
        #expect(made.exitStatus == 0)
        var harness = Harness()
        harness.searchPaths = [scratch.path]
        let arguments: KeyValuePairs<String, Value> = ["src": "app.tar.gz", "dest": .string(scratch.file("dest")), "list_files": true]
        let checked = try await harness.run(UnarchiveModule.self, arguments, check: true)
        #expect(checked.changed)
        #expect(!scratch.exists("dest/app"))
        let first = try await harness.run(UnarchiveModule.self, arguments)
        #expect(first.changed, "\(first)")
        #expect(scratch.read("dest/app/index.php") == "<?php echo 1;")
        #expect(first["files"]?.array?.contains("app/index.php") == true)
        #expect(!(try await harness.run(UnarchiveModule.self, arguments).changed))
        try scratch.write("dest/app/index.php", "tampered")
        #expect(try await harness.run(UnarchiveModule.self, arguments).changed)
        #expect(scratch.read("dest/app/index.php") == "<?php echo 1;")
        let missing = try await harness.run(UnarchiveModule.self, ["src": "app.tar.gz", "dest": .string(scratch.file("nope"))])
        #expect(missing.message == "dest '\(scratch.file("nope"))' must be an existing dir")
    }

    @Test func sysctlEditsItsFileIdempotently() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try scratch.write("sysctl.conf", "# tuning\nnet.ipv4.ip_forward = 0\n")
        let arguments: KeyValuePairs<String, Value> = [
            "name": "net.ipv4.ip_forward", "value": "1", "sysctl_file": .string(scratch.file("sysctl.conf")), "reload": false,
        ]
        let checked = try await harness.run(SysctlModule.self, arguments, check: true, diff: true)
        #expect(checked.changed)
        #expect(checked.diffs.first?.after == "# tuning\nnet.ipv4.ip_forward=1\n")
        #expect(scratch.read("sysctl.conf") == "# tuning\nnet.ipv4.ip_forward = 0\n")
        #expect(try await harness.run(SysctlModule.self, arguments).changed)
        #expect(scratch.read("sysctl.conf") == "# tuning\nnet.ipv4.ip_forward=1\n")
        #expect(!(try await harness.run(SysctlModule.self, arguments).changed))
        let invalid = try await harness.run(
            SysctlModule.self, ["name": "no.such.key", "value": "1", "sysctl_file": .string(scratch.file("sysctl.conf"))])
        #expect(invalid.message == "Invalid sysctl key: no.such.key")
    }

    @Test func hostnameIsPredictedInCheckModeAndLeftAlone() async throws {
        let current = try await LocalConnection().execute(CommandRequest("hostname")).stdoutText.trimmingTrailingNewlines
        let result = try await harness.run(HostnameModule.self, ["name": .string(current + "-other")], check: true, diff: true)
        #expect(result.changed)
        #expect(result.diffs.first?.after == "hostname = \(current)-other\n")
        let after = try await LocalConnection().execute(CommandRequest("hostname")).stdoutText.trimmingTrailingNewlines
        #expect(after == current)
    }

    private static let canManageAccounts =
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd")

    @Test(.enabled(if: canManageAccounts)) func groupsAndUsersAreCreatedOnceAndRemoved() async throws {
        let suffix = String(UUID().uuidString.prefix(6)).lowercased()
        let group = Value.string("spg" + suffix)
        let user = Value.string("spu" + suffix)
        #expect(try await harness.run(GroupModule.self, ["name": group], check: true).changed)
        let createdGroup = try await harness.run(GroupModule.self, ["name": group])
        #expect(createdGroup.changed)
        #expect(createdGroup["gid"] != nil)
        #expect(!(try await harness.run(GroupModule.self, ["name": group]).changed))

        let arguments: KeyValuePairs<String, Value> = [
            "name": user, "groups": [group], "shell": "/bin/sh", "comment": "stackplay test", "create_home": false,
        ]
        let createdUser = try await harness.run(UserModule.self, arguments)
        #expect(createdUser.changed, "\(createdUser)")
        #expect(createdUser["shell"] == "/bin/sh")
        #expect(createdUser["groups"] == group)
        #expect(!(try await harness.run(UserModule.self, arguments).changed))
        #expect(try await harness.run(UserModule.self, ["name": user, "shell": "/bin/bash"]).changed)

        #expect(try await harness.run(UserModule.self, ["name": user, "state": "absent"]).changed)
        #expect(!(try await harness.run(UserModule.self, ["name": user, "state": "absent"]).changed))
        #expect(try await harness.run(GroupModule.self, ["name": group, "state": "absent"]).changed)
        // Leaves nothing behind even when an expectation above failed half-way.
        _ = try? await LocalConnection().execute(CommandRequest("userdel spu\(suffix) 2>/dev/null; groupdel spg\(suffix) 2>/dev/null"))
    }
}
