import Foundation
import ModuleAPI
import Templating
import Testing

@testable import BuiltinModules

/// Public keys used as fixtures (generated once with ssh-keygen; only their text matters).
enum SSHKeys {
    static let alice = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMVA+lo6jXrQ7wtSwCKtaxjVQl42banwRokEqHcLr63/ alice@laptop"
    static let bobBlob =
        "AAAAB3NzaC1yc2EAAAADAQABAAAAgQDMVJXSvndFR88fLNzJ5aW3+f6zuyVXFzrn/wzpUmUGcfjDJ1kWEDyKaAAgh1LN1r0BK5jo6cmo4hKXzDTYozapdnN3f4wiQQwgNL3wKsUqfl27yfXAlI3IiWVkjvCXeojUw4Dnk1ftqeZIQlsJN7j19DwlUKkxCnpAr9ZezfhYzw=="
    static let bob = "ssh-rsa \(bobBlob) bob@desk"
}

@Suite struct AuthorizedKeyTests {
    let harness = Harness()
    let user = Value.string(NSUserName())

    @Test func addsKeysCreatesTheDirectoryAndStaysIdempotent() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = Value.string(scratch.file("ssh/authorized_keys"))
        let arguments: KeyValuePairs<String, Value> = [
            "user": user, "path": path, "key": .string(SSHKeys.alice + "\n# a comment\n" + SSHKeys.bob),
        ]
        let checked = try await harness.run(AuthorizedKeyModule.self, arguments, check: true, diff: true)
        #expect(checked.changed)
        #expect(checked.diffs.first?.after == SSHKeys.alice + "\n" + SSHKeys.bob + "\n")
        #expect(!scratch.exists("ssh"))
        let first = try await harness.run(AuthorizedKeyModule.self, arguments)
        #expect(first.changed)
        #expect(first["keyfile"] == path)
        #expect(first["exclusive"] == false)
        #expect(scratch.read("ssh/authorized_keys") == SSHKeys.alice + "\n" + SSHKeys.bob + "\n")
        #expect(scratch.mode("ssh") == 0o700)
        #expect(scratch.mode("ssh/authorized_keys") == 0o600)
        #expect(!(try await harness.run(AuthorizedKeyModule.self, arguments).changed))
    }

    @Test func optionsCommentExclusiveAndAbsent() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try scratch.write("keys", "# managed by hand\n\(SSHKeys.bob)\n\(SSHKeys.alice)\n")
        let path = Value.string(scratch.file("keys"))
        // New options move the key to the end, written with the options first.
        let optioned = try await harness.run(
            AuthorizedKeyModule.self,
            ["user": user, "path": path, "key": .string(SSHKeys.bob), "key_options": "no-pty,from=\"10.0.0.1,10.0.0.2\""])
        #expect(optioned.changed)
        #expect(
            scratch.read("keys")
                == "# managed by hand\n\(SSHKeys.alice)\nno-pty,from=\"10.0.0.1,10.0.0.2\" \(SSHKeys.bob)\n")
        // Option order does not matter when comparing.
        #expect(
            !(try await harness.run(
                AuthorizedKeyModule.self,
                ["user": user, "path": path, "key": .string(SSHKeys.bob), "key_options": "from=\"10.0.0.1,10.0.0.2\",no-pty"])
                .changed))
        let commented = try await harness.run(
            AuthorizedKeyModule.self, ["user": user, "path": path, "key": .string(SSHKeys.alice), "comment": "ops"])
        #expect(commented.changed)
        #expect(scratch.read("keys")?.hasSuffix("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMVA+lo6jXrQ7wtSwCKtaxjVQl42banwRokEqHcLr63/ ops\n") == true)
        let exclusive = try await harness.run(
            AuthorizedKeyModule.self,
            ["user": user, "path": path, "key": .string(SSHKeys.alice), "comment": "ops", "exclusive": true], diff: true)
        #expect(exclusive.changed)
        #expect(scratch.read("keys") == "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMVA+lo6jXrQ7wtSwCKtaxjVQl42banwRokEqHcLr63/ ops\n")
        #expect(exclusive.diffs.first?.before.contains("# managed by hand") == true)
        let absent = try await harness.run(
            AuthorizedKeyModule.self, ["user": user, "path": path, "key": .string(SSHKeys.alice), "state": "absent"])
        #expect(absent.changed)
        #expect(scratch.read("keys") == "")
        #expect(!(try await harness.run(
            AuthorizedKeyModule.self, ["user": user, "path": path, "key": .string(SSHKeys.alice), "state": "absent"]).changed))
    }

    @Test func keyWithoutCommentIsWrittenAsTheCollectionWritesIt() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = Value.string(scratch.file("keys"))
        _ = try await harness.run(
            AuthorizedKeyModule.self, ["user": user, "path": path, "key": .string("ssh-rsa \(SSHKeys.bobBlob)"), "manage_dir": false])
        #expect(scratch.read("keys") == "ssh-rsa \(SSHKeys.bobBlob) \n")
    }

    @Test func refusesURLsInvalidKeysAndUnknownUsers() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = Value.string(scratch.file("keys"))
        let url = try await harness.run(
            AuthorizedKeyModule.self, ["user": user, "path": path, "key": "https://github.com/someone.keys"])
        #expect(url.failed)
        #expect(url.message?.hasPrefix("Error getting key from: https://github.com/someone.keys") == true)
        let invalid = try await harness.run(AuthorizedKeyModule.self, ["user": user, "path": path, "key": "not a key"])
        #expect(invalid.message == "invalid key specified: not a key")
        let nobody = try await harness.run(
            AuthorizedKeyModule.self, ["user": "no-such-user-xyz", "key": .string(SSHKeys.alice)])
        #expect(nobody.message == "Failed to lookup user no-such-user-xyz: \"getpwnam(): name not found: 'no-such-user-xyz'\"")
        let checkOnly = try await harness.run(
            AuthorizedKeyModule.self, ["user": "no-such-user-xyz", "key": .string(SSHKeys.alice)], check: true)
        #expect(checkOnly.message == "Either user must exist or you must provide full path to key file in check mode")
        let predicted = try await harness.run(
            AuthorizedKeyModule.self, ["user": "no-such-user-xyz", "path": path, "key": .string(SSHKeys.alice)], check: true)
        #expect(predicted.changed && !predicted.failed)
    }

    @Test func expandsTildeInThePathOnTheTarget() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        var invocation = harness.invocation(["user": user, "path": "~/keys", "key": .string(SSHKeys.alice)])
        invocation.environment = ["HOME": scratch.path]
        let result = try await AuthorizedKeyModule().run(invocation)
        #expect(result["path"] == .string(scratch.file("keys")))
        #expect(result["keyfile"] == .string(scratch.file("keys")))
        #expect(scratch.read("keys") == SSHKeys.alice + "\n")
        // manage_dir applies to the key file's directory: here the scratch directory itself.
        #expect(scratch.mode(".") == 0o700)
    }

    @Test func readsFileKeysOnTheTarget() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try scratch.write("alice.pub", SSHKeys.alice + "\n")
        let result = try await harness.run(
            AuthorizedKeyModule.self,
            ["user": user, "path": .string(scratch.file("keys")), "key": .string("file://" + scratch.file("alice.pub"))])
        #expect(result.changed)
        #expect(scratch.read("keys") == SSHKeys.alice + "\n")
    }
}

@Suite struct KnownHostsTests {
    let harness = Harness()
    let aliceKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMVA+lo6jXrQ7wtSwCKtaxjVQl42banwRokEqHcLr63/"

    @Test func addsReplacesAndRemovesAHostKey() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = Value.string(scratch.file("known_hosts"))
        let add: KeyValuePairs<String, Value> = ["name": "Web1.Example", "key": .string("web1.example \(aliceKey)"), "path": path]
        let checked = try await harness.run(KnownHostsModule.self, add, check: true)
        #expect(checked.changed)
        #expect(!scratch.exists("known_hosts"))
        let added = try await harness.run(KnownHostsModule.self, add, diff: true)
        #expect(added.changed)
        #expect(added.diffs.first?.beforeHeader == "/dev/null")
        #expect(scratch.read("known_hosts") == "web1.example \(aliceKey)\n")
        #expect(scratch.mode("known_hosts") == 0o644)
        #expect(!(try await harness.run(KnownHostsModule.self, add).changed))
        // Another key of the same type replaces the line in place.
        try scratch.write("known_hosts", "# header\nweb1.example \(aliceKey)\nother ssh-rsa \(SSHKeys.bobBlob)\n")
        let replaced = try await harness.run(
            KnownHostsModule.self, ["name": "web1.example", "key": .string("web1.example ssh-ed25519 AAAAnew"), "path": path])
        #expect(replaced.changed)
        #expect(scratch.read("known_hosts") == "# header\nother ssh-rsa \(SSHKeys.bobBlob)\nweb1.example ssh-ed25519 AAAAnew\n")
        let removed = try await harness.run(KnownHostsModule.self, ["name": "web1.example", "state": "absent", "path": path])
        #expect(removed.changed)
        #expect(scratch.read("known_hosts") == "# header\nother ssh-rsa \(SSHKeys.bobBlob)\n")
        #expect(scratch.read("known_hosts.old")?.contains("AAAAnew") == true)
        #expect(!(try await harness.run(KnownHostsModule.self, ["name": "web1.example", "state": "absent", "path": path]).changed))
    }

    @Test func hashedHostsMatchWithHMACAndStayIdempotent() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = Value.string(scratch.file("known_hosts"))
        let arguments: KeyValuePairs<String, Value> = [
            "name": "db.example", "key": .string("db.example \(aliceKey)"), "path": path, "hash_host": true,
        ]
        #expect(try await harness.run(KnownHostsModule.self, arguments).changed)
        let line = try #require(scratch.read("known_hosts"))
        #expect(line.hasPrefix("|1|"))
        #expect(!line.contains("db.example"))
        let field = String(line.prefix { $0 != " " })
        #expect(KnownHosts.hashedMatches(field, host: "db.example"))
        #expect(!KnownHosts.hashedMatches(field, host: "db2.example"))
        #expect(!(try await harness.run(KnownHostsModule.self, arguments).changed))
        let removed = try await harness.run(KnownHostsModule.self, ["name": "db.example", "state": "absent", "path": path])
        #expect(removed.changed)
        #expect(scratch.read("known_hosts") == "")
    }

    @Test func diffShowsTheFileBeforeAndAfter() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try scratch.write("known_hosts", "a.example \(aliceKey)\nb.example \(aliceKey)\n")
        let arguments: KeyValuePairs<String, Value> = [
            "name": "a.example", "key": .string("a.example ssh-ed25519 AAAAother"), "path": .string(scratch.file("known_hosts")),
        ]
        let checked = try await harness.run(KnownHostsModule.self, arguments, check: true, diff: true)
        #expect(checked.changed)
        #expect(checked.values.isEmpty)
        let diff = try #require(checked.diffs.first)
        #expect(diff.before == "a.example \(aliceKey)\nb.example \(aliceKey)\n")
        #expect(diff.after == "b.example \(aliceKey)\na.example ssh-ed25519 AAAAother\n")
        #expect(diff.beforeHeader == scratch.file("known_hosts"))
        #expect(scratch.read("known_hosts") == diff.before)
        let applied = try await harness.run(KnownHostsModule.self, arguments)
        #expect(scratch.read("known_hosts") == diff.after)
        #expect(applied["state"] == "file")
        #expect(applied["name"] == "a.example")
    }

    @Test func patternsAndArgumentErrors() async throws {
        #expect(KnownHosts.hostFieldMatches("*.example,!bad.example", host: "web.example"))
        #expect(!KnownHosts.hostFieldMatches("*.example,!bad.example", host: "bad.example"))
        #expect(KnownHosts.hostFieldMatches("[git.example]:2222", host: "[git.example]:2222"))
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = Value.string(scratch.file("known_hosts"))
        let mismatch = try await harness.run(
            KnownHostsModule.self, ["name": "a.example", "key": .string("b.example \(aliceKey)"), "path": path])
        #expect(mismatch.message == "Host parameter does not match hashed host field in supplied key")
        let noKey = try await harness.run(KnownHostsModule.self, ["name": "a.example", "path": path])
        #expect(noKey.message == "No key specified when adding a host")
        let list = try await harness.run(
            KnownHostsModule.self, ["name": "a.example,b.example", "key": .string("a.example \(aliceKey)"), "path": path])
        #expect(list.message?.hasPrefix("Comma separated list of names is not supported.") == true)
    }
}
