import Foundation
import PlaybookCore
import Templating

/// Builds each host's base variable layers from the inventory, the `group_vars`/`host_vars`
/// directories beside the inventory and the playbook, and the extra vars.
struct HostVariablesBuilder: Sendable {
    let inventory: Inventory
    /// `group_vars`/`host_vars` beside each inventory source.
    let inventoryFiles: [(groups: [String: Variables], hosts: [String: Variables])]
    /// `group_vars`/`host_vars` beside the playbook.
    let playbookFiles: (groups: [String: Variables], hosts: [String: Variables])
    let extraVars: [String: VariableLayers.Entry]

    static func entries(_ variables: Variables) -> [String: VariableLayers.Entry] {
        var entries: [String: VariableLayers.Entry] = [:]
        for definition in variables.definitions {
            entries[definition.name] = .init(definition.value.value, origin: definition.value.location)
        }
        return entries
    }

    func record(for host: String) -> HostRecord {
        var layers = VariableLayers()
        let hostEntry = inventory.hosts[host] ?? (Inventory.localhostNames.contains(host) ? Inventory.implicitLocalhost : nil)
        let groups = hostEntry?.isImplicit == true ? [] : inventory.groupsInPrecedenceOrder(of: host)
        for group in groups {
            if let variables = inventory.groups[group]?.vars, !variables.isEmpty {
                layers.merge(Self.entries(variables), into: .inventoryGroupVars)
            }
        }
        for files in inventoryFiles {
            merge(files.groups, groups: groups, all: .inventoryGroupVarsAll, other: .inventoryGroupVarsFiles, into: &layers)
        }
        merge(playbookFiles.groups, groups: groups, all: .playbookGroupVarsAll, other: .playbookGroupVarsFiles, into: &layers)
        if let variables = hostEntry?.vars { layers.merge(Self.entries(variables), into: .inventoryHostVars) }
        for files in inventoryFiles {
            if let variables = files.hosts[host] { layers.merge(Self.entries(variables), into: .inventoryHostVarsFiles) }
        }
        if let variables = playbookFiles.hosts[host] {
            layers.merge(Self.entries(variables), into: .playbookHostVarsFiles)
        }
        layers.merge(extraVars, into: .extraVars)
        let membership = hostEntry?.isImplicit == true ? [] : ["all"] + inventory.groupNames(of: host).filter { $0 != "all" }
        return HostRecord(name: host, groups: membership, baseLayers: layers)
    }

    private func merge(
        _ files: [String: Variables], groups: [String], all: VariableSource, other: VariableSource,
        into layers: inout VariableLayers
    ) {
        for group in groups {
            guard let variables = files[group] else { continue }
            layers.merge(Self.entries(variables), into: group == "all" ? all : other)
        }
    }
}
