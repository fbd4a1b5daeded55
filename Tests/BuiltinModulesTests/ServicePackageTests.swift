import Foundation
import ModuleAPI
import Templating
import Testing

@testable import BuiltinModules

/// Whether PID 1 is systemd here; the direct-control test needs a host without it (like the test bed).
private let pid1IsSystemd = (try? String(contentsOfFile: "/proc/1/comm", encoding: .utf8))?.hasPrefix("systemd") == true

@Suite struct ServicePackageTests {
    /// A tiny daemon on PATH whose process name is its script name, controlled without an init system.
    struct FakeDaemon {
        let scratch: Scratch
        let name = "spd" + String(UUID().uuidString.prefix(6)).lowercased()
        var harness = Harness()

        init() async throws {
            scratch = try Scratch()
            // Written with O_CLOEXEC through the connection: a write descriptor leaked into a child spawned
            // concurrently by another test would make exec fail with "Text file busy".
            try await LocalConnection().upload(
                Data("#!/bin/sh\nwhile :; do sleep 1; done\n".utf8), to: scratch.file(name), mode: 0o755)
        }

        func run(_ arguments: KeyValuePairs<String, Value>, module: any Module.Type = ServiceModule.self, check: Bool = false)
            async throws -> ModuleResult
        {
            var invocation = harness.invocation(arguments, check: check)
            invocation.environment = ["PATH": scratch.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
            return try await module.init().run(invocation)
        }

        func isRunning() async throws -> Bool {
            try await LocalConnection().execute(CommandRequest("pgrep -x \(name)")).exitStatus == 0
        }

        func stop() async {
            _ = try? await LocalConnection().execute(CommandRequest("pkill -x \(name)"))
            scratch.cleanup()
        }
    }

    @Test(.enabled(if: !pid1IsSystemd)) func servicesWithoutAnInitSystemAreControlledDirectly() async throws {
        let daemon = try await FakeDaemon()
        let name = Value.string(daemon.name)
        let checked = try await daemon.run(["name": name, "state": "started"], check: true)
        #expect(checked.changed)
        #expect(try await !daemon.isRunning())

        let started = try await daemon.run(["name": name, "state": "started"])
        #expect(started.changed, "\(started)")
        #expect(try await daemon.isRunning())
        let again = try await daemon.run(["name": name, "state": "started"], module: SystemdModule.self)
        #expect(!again.changed)
        #expect(again["status"]?.dictionary?["manager"] == "direct")

        let stopped = try await daemon.run(["name": name, "state": "stopped"])
        #expect(stopped.changed)
        #expect(try await !daemon.isRunning())
        #expect(!(try await daemon.run(["name": name, "state": "stopped"]).changed))
        await daemon.stop()
    }

    @Test func unknownServicesFailWithAnsiblesMessage() async throws {
        let result = try await Harness().run(ServiceModule.self, ["name": "stackplay-no-such-service", "state": "started"])
        #expect(result.failed)
        #expect(result.message?.hasPrefix("Could not find the requested service stackplay-no-such-service") == true)
    }

    @Test func serviceStatusParsing() {
        let status = ServiceManager.parseStatus("manager=sysv\nexists=yes\nrunning=no\nenabled=yes\n")
        #expect(status.manager == .sysv)
        #expect(!status.running)
        #expect(status.enabled == true)
        #expect(ServiceManager.sysv.command("reload", name: "nginx", pattern: nil, arguments: nil) == "service nginx reload")
        #expect(ServiceManager.systemd.enableCommand(true, name: "nginx") == "systemctl enable nginx")
    }

    private static let hasDpkg = FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg-query")

    @Test(.enabled(if: hasDpkg)) func aptLeavesInstalledPackagesAlone() async throws {
        let harness = Harness()
        let present = try await harness.run(AptModule.self, ["name": ["tar", "coreutils"], "state": "present"])
        #expect(!present.changed, "\(present)")
        #expect(!present.failed)
        let generic = try await harness.run(PackageModule.self, ["name": "tar", "state": "present"])
        #expect(!generic.changed)
        let absent = try await harness.run(AptModule.self, ["name": "stackplay-not-a-package", "state": "absent"])
        #expect(!absent.changed)
    }

    /// `package` hands its other arguments to the backend (apt here), which accepts or refuses them
    /// when the task runs — not when the playbook loads, since another host's backend may want them.
    @Test(.enabled(if: hasDpkg)) func packagePassesOtherArgumentsToTheBackend() async throws {
        let spec = PackageModule.spec.arguments
        var arguments = ValueDictionary()
        for (key, value) in ["name": "fail2ban", "state": "present", "enablerepo": "epel"] { arguments[key] = .string(value) }
        let loaded = try ArgumentValidation.validate(
            arguments, against: spec, module: "package", location: nil, skipTemplated: true)
        #expect(loaded["enablerepo"] == Value.string("epel"))
        let harness = Harness()
        let forwarded = try await harness.run(
            PackageModule.self, ["name": "tar", "state": "present", "cache_valid_time": 3600], check: true)
        #expect(!forwarded.failed, "\(forwarded)")
        let refused = try await harness.run(PackageModule.self, ["name": "tar", "state": "present", "enablerepo": "epel"])
        #expect(refused.failed)
        #expect(refused.message == "unsupported parameter for module 'ansible.builtin.apt': 'enablerepo'")
    }

    @Test(.enabled(if: hasDpkg)) func aptCheckModePredictsWithoutInstalling() async throws {
        let harness = Harness()
        let removal = try await harness.run(AptModule.self, ["name": "tar", "state": "absent"], check: true)
        #expect(removal.changed)
        let missing = try await harness.run(AptModule.self, ["name": "stackplay-not-a-package"], check: true)
        #expect(missing.failed)
        #expect(missing.message == "No package matching 'stackplay-not-a-package' is available")
    }

    @Test func aptPolicyParsing() {
        let candidates = AptModule.candidates([
            "nginx:", "  Installed: 1.22.1-9", "  Candidate: 1.22.1-9+deb12u1", "ghost:", "  Installed: (none)",
            "  Candidate: (none)",
        ])
        #expect(candidates == ["nginx": "1.22.1-9+deb12u1"])
        #expect(AptModule.matches("1.22.1-9", "1.22*"))
    }
}
