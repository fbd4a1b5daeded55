import Foundation
import ModuleAPI
import Templating
import Testing

@testable import BuiltinModules

@Suite struct FactTests {
    @Test func gathersAnsiblesFactNamesInOneCommand() async throws {
        let counting = CountingConnection()
        let facts = try await FactGatherer.gather(over: counting)
        #expect(counting.commands.count == 1)
        for name in [
            "ansible_hostname", "ansible_fqdn", "ansible_nodename", "ansible_distribution", "ansible_distribution_version",
            "ansible_distribution_release", "ansible_distribution_major_version", "ansible_os_family", "ansible_system",
            "ansible_kernel", "ansible_architecture", "ansible_machine", "ansible_user_id", "ansible_service_mgr",
        ] {
            #expect(facts[name]?.string?.isEmpty == false, "\(name)")
        }
        #expect(facts["ansible_system"] == "Linux")
        #expect(facts["ansible_python"] == nil)
        #expect(facts["module_setup"] == true)
        #expect(facts["ansible_env"]?.dictionary?["PATH"] != nil)
        #expect(facts["ansible_date_time"]?.dictionary?["epoch"]?.string.flatMap { Int($0) } != nil)
        #expect((facts["ansible_memtotal_mb"].flatMap { if case .int(let n) = $0 { n } else { nil } } ?? 0) > 0)
        #expect((facts["ansible_processor_vcpus"].flatMap { if case .int(let n) = $0 { n } else { nil } } ?? 0) > 0)
        let interfaces = try #require(facts["ansible_interfaces"]?.array)
        #expect(interfaces.contains("lo"))
        let loopback = try #require(facts["ansible_lo"]?.dictionary)
        #expect(loopback["ipv4"]?.dictionary?["address"] == "127.0.0.1")
        #expect(loopback["ipv4"]?.dictionary?["netmask"] == "255.0.0.0")
        #expect(loopback["type"] == "loopback")
        let mounts = try #require(facts["ansible_mounts"]?.array)
        #expect(mounts.contains { $0.dictionary?["mount"] == "/" } || mounts.isEmpty)
    }

    @Test func subsetsLimitWhatIsGathered() async throws {
        let minimal = try await FactGatherer.gather(over: LocalConnection(), subset: ["min"])
        #expect(minimal["ansible_hostname"] != nil)
        #expect(minimal["ansible_interfaces"] == nil)
        #expect(minimal["ansible_memtotal_mb"] == nil)
        let network = try await FactGatherer.gather(over: LocalConnection(), subset: ["!all", "network"])
        #expect(network["ansible_interfaces"] != nil)
        #expect(network["ansible_mounts"] == nil)
        await #expect(throws: ModuleFailure.self) { _ = try await FactGatherer.gather(over: LocalConnection(), subset: ["bogus"]) }
        let filtered = try await FactGatherer.gather(over: LocalConnection(), filter: ["ansible_distribution*"])
        #expect(filtered["ansible_distribution"] != nil)
        #expect(filtered["ansible_hostname"] == nil)
    }

    @Test func setupModuleReturnsFactsAsAnsibleFacts() async throws {
        let result = try await Harness().run(SetupModule.self, ["gather_subset": ["min"]])
        #expect(!result.changed)
        #expect(result.facts["ansible_kernel"] != nil)
        #expect(result.registered.dictionary?["ansible_facts"]?.dictionary?["ansible_kernel"] != nil)
    }

    @Test func parsesNetworkSectionsLikeAnsible() {
        let links = [
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0",
            "4: eth0@if9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc noqueue master br-ex state UP\\    link/ether 02:fc:00:00:00:01 brd ff:ff:ff:ff:ff:ff promiscuity 0 \\    veth",
            "5: br-ex: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP\\    link/ether 02:aa:00:00:00:02 brd ff:ff:ff:ff:ff:ff promiscuity 0 \\    bridge forward_delay 1500",
        ]
        let addresses = [
            "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever",
            "5: br-ex    inet 192.0.2.2/24 brd 192.0.2.255 scope global br-ex\\       valid_lft forever",
            "5: br-ex    inet 192.0.2.9/24 brd 192.0.2.255 scope global secondary br-ex\\       valid_lft forever",
            "5: br-ex    inet6 fd00::2/64 scope global \\       valid_lft forever",
        ]
        var facts = ValueDictionary()
        NetworkFacts.collect(
            ["links": links, "addresses": addresses, "route4": ["default via 192.0.2.1 dev br-ex"],
             "route6": ["default via fd00::1 dev br-ex metric 1024"]], into: &facts)
        #expect(facts["ansible_interfaces"] == ["lo", "eth0", "br-ex"])
        let bridge = facts["ansible_br_ex"]?.dictionary
        #expect(bridge?["type"] == "bridge")
        #expect(bridge?["interfaces"] == ["eth0"])
        #expect(bridge?["ipv4_secondaries"]?.array?.count == 1)
        #expect(facts["ansible_all_ipv4_addresses"] == ["192.0.2.2", "192.0.2.9"])
        let route = facts["ansible_default_ipv4"]?.dictionary
        #expect(route?["address"] == "192.0.2.2")
        #expect(route?["gateway"] == "192.0.2.1")
        #expect(route?["interface"] == "br-ex")
        #expect(route?["netmask"] == "255.255.255.0")
        #expect(route?["network"] == "192.0.2.0")
        #expect(route?["prefix"] == "24")
        #expect(route?["macaddress"] == "02:aa:00:00:00:02")
        #expect(route?["mtu"] == 1500)
        #expect(facts["ansible_default_ipv6"]?.dictionary?["address"] == "fd00::2")
        #expect(facts["ansible_default_ipv6"]?.dictionary?["gateway"] == "fd00::1")
    }

    @Test func parsesDistributionsAndServiceManagers() {
        var facts = ValueDictionary()
        Distribution(["os_release": ["ID=ubuntu", "VERSION_ID=\"22.04\"", "VERSION_CODENAME=jammy"]]).store(into: &facts)
        #expect(facts["ansible_distribution"] == "Ubuntu")
        #expect(facts["ansible_distribution_version"] == "22.04")
        #expect(facts["ansible_distribution_major_version"] == "22")
        #expect(facts["ansible_distribution_release"] == "jammy")
        #expect(facts["ansible_os_family"] == "Debian")
        Distribution(["os_release": ["ID=debian", "VERSION_ID=\"12\"", "VERSION_CODENAME=bookworm"], "debian_version": ["12.11"]])
            .store(into: &facts)
        #expect(facts["ansible_distribution_version"] == "12.11")
        #expect(facts["ansible_distribution_minor_version"] == "11")
        #expect(PlatformFacts.serviceManager(["pid1": ["systemd"]]) == "systemd")
        #expect(PlatformFacts.serviceManager(["pid1": ["sh"], "init_hints": ["sysvinit"]]) == "sysvinit")
        #expect(PlatformFacts.serviceManager(["pid1": ["tini"]]) == "tini")
    }

    /// Differential check against real Ansible's `setup` on this machine.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["STACKPLAY_ANSIBLE_VENV"] != nil))
    func matchesAnsibleSetupOnLocalhost() async throws {
        let venv = ProcessInfo.processInfo.environment["STACKPLAY_ANSIBLE_VENV"] ?? ""
        let output = try await LocalConnection().execute(
            CommandRequest("\(venv)/bin/ansible localhost -c local -m setup 2>/dev/null | sed -e '1s/^[^{]*{/{/'"))
        let ansible = try #require((try? JSON.parse(output.stdout))?.dictionary?["ansible_facts"]?.dictionary)
        let ours = try await FactGatherer.gather(over: LocalConnection())
        for name in [
            "ansible_hostname", "ansible_nodename", "ansible_distribution", "ansible_distribution_version",
            "ansible_distribution_release", "ansible_distribution_major_version", "ansible_os_family", "ansible_system",
            "ansible_kernel", "ansible_architecture", "ansible_machine", "ansible_user_id", "ansible_user_dir",
            "ansible_processor_vcpus", "ansible_processor_count", "ansible_memtotal_mb", "ansible_service_mgr",
            "ansible_pkg_mgr", "ansible_dns",
        ] {
            #expect(ours[name] == ansible[name], "\(name)")
        }
        for key in ["address", "interface", "gateway", "netmask", "network", "prefix", "macaddress", "mtu", "type"] {
            #expect(ours["ansible_default_ipv4"]?.dictionary?[key] == ansible["ansible_default_ipv4"]?.dictionary?[key], "\(key)")
        }
        #expect(ours["ansible_date_time"]?.dictionary?.keys == ansible["ansible_date_time"]?.dictionary?.keys.sorted { "\($0)" < "\($1)" })
        #expect(Set(ours["ansible_all_ipv4_addresses"]?.array ?? []) == Set(ansible["ansible_all_ipv4_addresses"]?.array ?? []))
        let ourInterfaces = Set(ours["ansible_interfaces"]?.array ?? [])
        #expect(ourInterfaces == Set(ansible["ansible_interfaces"]?.array ?? []))
    }
}

/// Records the commands sent through a local connection.
final class CountingConnection: Connection, @unchecked Sendable {
    // @unchecked: tests use it from one task at a time.
    private let inner = LocalConnection()
    private(set) var commands: [String] = []
    var transport: String { "local" }

    func execute(_ command: CommandRequest) async throws(ConnectionError) -> CommandOutput {
        commands.append(command.commandLine)
        return try await inner.execute(command)
    }

    func upload(_ data: Data, to path: String, mode: UInt16?) async throws(ConnectionError) {
        try await inner.upload(data, to: path, mode: mode)
    }

    func download(_ path: String) async throws(ConnectionError) -> Data { try await inner.download(path) }
    func close() async {}
}
