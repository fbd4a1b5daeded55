import Foundation
import Templating
import Testing
@testable import PlaybookCore

/// Compares our inventory parsing with `ansible-inventory --list` output recorded from
/// ansible-core 2.21.5 (Fixtures/inventory/*.expected.json; re-record with
/// `ansible-inventory -i FILE --list > FILE.expected.json`).
@Suite struct InventoryAnsibleParityTests {
    static let fixtures = Bundle.module.resourcePath.map { $0 + "/Fixtures/inventory" } ?? ""

    @Test(arguments: ["hosts.ini", "hosts.yml", "edge.ini"])
    func matchesAnsibleInventoryList(_ name: String) throws {
        let inventory = try InventoryLoader(workingDirectory: Self.fixtures).load([name])
        let data = try #require(FileManager.default.contents(atPath: Self.fixtures + "/" + name + ".expected.json"))
        let expected = try JSON.parse(data)
        let expectedHostVars = try #require(expected.dictionary?["_meta"]?.dictionary?["hostvars"]?.dictionary)

        #expect(Set(inventory.hostOrder) == Set(expectedHostVars.keys.compactMap(\.string)))
        for host in inventory.hostOrder {
            #expect(
                integralFloatsAsInts(mergedVariables(of: host, in: inventory))
                    == expectedHostVars[.string(host)].map(integralFloatsAsInts), "\(host)")
        }
        for (key, group) in try #require(expected.dictionary) where key != "_meta" {
            let name = try #require(key.string)
            let hosts = group.dictionary?["hosts"]?.array?.compactMap(\.string) ?? []
            let children = group.dictionary?["children"]?.array?.compactMap(\.string) ?? []
            if name != "all" {
                #expect(inventory.groups[name]?.hosts == hosts, "hosts of \(name)")
            }
            #expect(Set(inventory.groups[name]?.children ?? []) == Set(children), "children of \(name)")
        }
    }

    /// Inventory variables as Ansible merges them for a host: groups by depth/priority/name, then the host.
    func mergedVariables(of host: String, in inventory: Inventory) -> Value {
        var merged = ValueDictionary()
        for group in inventory.groupsInPrecedenceOrder(of: host) {
            for definition in inventory.groups[group]?.vars.definitions ?? [] {
                merged[definition.name] = definition.value.value
            }
        }
        for definition in inventory.hosts[host]?.vars.definitions ?? [] {
            merged[definition.name] = definition.value.value
        }
        return .dict(merged)
    }
}

/// JSONDecoder cannot tell `1000.0` from `1000`, so integral floats compare as ints on both sides.
func integralFloatsAsInts(_ value: Value) -> Value {
    switch value {
    case .float(let number) where number.rounded() == number && abs(number) < 1e15: return .int(Int(number))
    case .list(let elements): return .list(elements.map(integralFloatsAsInts))
    case .dict(let dictionary):
        return .dict(ValueDictionary(dictionary.map { ($0.key, integralFloatsAsInts($0.value)) }))
    default: return value
    }
}
