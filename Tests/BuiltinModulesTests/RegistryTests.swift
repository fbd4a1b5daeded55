import ModuleAPI
import Testing

@testable import BuiltinModules

@Suite struct RegistryTests {
    @Test func everyModuleResolvesByFQCNShortAndLegacyName() throws {
        let registry = BuiltinModules.registry
        let names = BuiltinModules.all.map { $0.spec.name }
        #expect(Set(names).count == names.count)
        for name in names {
            let short = String(name.split(separator: ".").last ?? "")
            #expect(registry.module(named: name) != nil, "\(name)")
            #expect(registry.module(named: short).map { $0.spec.name } == name, "\(short)")
            #expect(registry.module(named: "ansible.legacy." + short) != nil, "\(short)")
        }
        for name in [
            "command", "shell", "raw", "script", "stat", "file", "copy", "template", "lineinfile", "blockinfile", "replace",
            "slurp", "fetch", "ping", "service", "systemd", "systemd_service", "package", "apt", "wait_for", "uri", "get_url",
            "unarchive", "user", "group", "hostname", "sysctl", "setup", "gather_facts", "find", "known_hosts",
            "authorized_key", "ansible.builtin.authorized_key", "ansible.posix.authorized_key",
        ] {
            #expect(registry.module(named: name) != nil, "\(name)")
        }
    }

    @Test func specsDeclareTheirFreeFormAndCheckModeSupport() {
        #expect(CommandModule.spec.arguments.freeForm)
        #expect(ShellModule.spec.arguments.freeForm)
        #expect(!RawModule.spec.supportsCheckMode)
        #expect(URIModule.spec.runsOnController)
        #expect(CopyModule.spec.arguments.options["force"]?.aliases == ["thirsty"])
        #expect(FileModule.spec.arguments.options["path"]?.aliases == ["dest", "name"])
    }
}
