import Diagnostics
import Templating

/// Ansible's YAML inventory format: top-level groups (usually `all`), each with `hosts`
/// (name → variables), `vars` and `children` (name → group). Host names may use ranges and `:port`.
struct YAMLInventoryParser {
    let file: String

    func parse(_ root: YAMLNode?, into inventory: inout Inventory) throws {
        guard let root, root.scalar?.value != Value.none else { return }
        guard let pairs = root.pairs else {
            throw LoadError("a YAML inventory must be a mapping of groups, got \(root.kindDescription)", at: root.location)
        }
        for pair in pairs {
            try parseGroup(pair.keyText, pair.value, parent: nil, at: pair.key.location, into: &inventory)
        }
    }

    private func parseGroup(
        _ name: String, _ node: YAMLNode, parent: String?, at location: SourceLocation, into inventory: inout Inventory
    ) throws {
        inventory.addGroup(name, at: location)
        if let parent { inventory.addChild(name, to: parent) }
        if node.scalar?.value == Value.none { return }
        guard let pairs = node.pairs else {
            throw LoadError(
                "group '\(name)' must be a mapping with 'hosts', 'vars' or 'children', got \(node.kindDescription)",
                at: node.location)
        }
        for pair in pairs {
            switch pair.keyText {
            case "hosts":
                for host in try sectionEntries(pair, group: name) {
                    try parseHost(host, group: name, into: &inventory)
                }
            case "vars":
                for variable in try sectionEntries(pair, group: name) {
                    inventory.setGroupVariable(
                        name, .init(name: variable.keyText, value: LocatedValue(variable.value), location: variable.key.location))
                }
            case "children":
                for child in try sectionEntries(pair, group: name) {
                    try parseGroup(child.keyText, child.value, parent: name, at: child.key.location, into: &inventory)
                }
            default:
                throw LoadError.unknown(
                    "unexpected key '\(pair.keyText)' in group '\(name)': only 'vars', 'children' and 'hosts' are valid",
                    name: pair.keyText, candidates: ["hosts", "vars", "children"], at: pair.key.location)
            }
        }
    }

    /// The entries of a group's `hosts`, `vars` or `children` section, which must be a mapping or null (no entries).
    private func sectionEntries(_ section: YAMLPair, group: String) throws -> [YAMLPair] {
        let value = section.value
        if value.scalar?.value == Value.none { return [] }
        guard let entries = value.pairs else {
            throw LoadError(
                "invalid '\(section.keyText)' entry for group '\(group)': requires a mapping, got \(value.kindDescription)",
                at: value.location)
        }
        return entries
    }

    private func parseHost(_ pair: YAMLPair, group: String, into inventory: inout Inventory) throws {
        let pattern = pair.keyText
        let (hostPattern, port) = HostRange.splitPort(pattern)
        let names: [String]
        do {
            names = try HostRange.expand(hostPattern)
        } catch {
            throw LoadError(error.text, at: pair.key.location)
        }
        let value = pair.value
        let variables: [YAMLPair]
        if value.scalar?.value == Value.none {
            variables = []
        } else if let pairs = value.pairs {
            variables = pairs
        } else {
            throw LoadError(
                "host '\(pattern)' must map to its variables (a mapping) or nothing, got \(value.kindDescription)",
                at: value.location)
        }
        for name in names {
            inventory.addHost(name, to: group, at: pair.key.location)
            if let port {
                inventory.setHostVariable(
                    name,
                    .init(name: "ansible_port", value: LocatedValue(.int(port), at: pair.key), location: pair.key.location))
            }
            for variable in variables {
                inventory.setHostVariable(
                    name, .init(name: variable.keyText, value: LocatedValue(variable.value), location: variable.key.location))
            }
        }
    }
}
