import Diagnostics
import Foundation
import Templating

/// `host_vars/` and `group_vars/` directories (Ansible's host_group_vars plugin): for a name,
/// the file `<dir>/<name>`, `<name>.yml`, `<name>.yaml`, `<name>.json`, or every such file under
/// the directory `<dir>/<name>/` (sorted, recursively), merged in that order.
public struct InventoryVariablesLoader: Sendable {
    public var yaml: YAMLLoader

    public init(yaml: YAMLLoader = YAMLLoader()) {
        self.yaml = yaml
    }

    /// Variables from every `group_vars` and `host_vars` entry under `directory` that names a group
    /// or host of `inventory`. Entries that name nothing in the inventory are ignored, as in Ansible.
    public func load(beside directory: String, for inventory: Inventory, displayBase: String? = nil)
        throws -> (groups: [String: Variables], hosts: [String: Variables])
    {
        var groups: [String: Variables] = [:]
        var hosts: [String: Variables] = [:]
        for name in inventory.groupOrder {
            let variables = try load(directory + "/group_vars", name: name, displayBase: displayBase.map { $0 + "/group_vars" })
            if !variables.isEmpty { groups[name] = variables }
        }
        for name in inventory.hostOrder {
            let variables = try load(directory + "/host_vars", name: name, displayBase: displayBase.map { $0 + "/host_vars" })
            if !variables.isEmpty { hosts[name] = variables }
        }
        return (groups, hosts)
    }

    /// The variables for one group or host name in one `group_vars`/`host_vars` directory.
    public func load(_ directory: String, name: String, displayBase: String? = nil) throws -> Variables {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return Variables()
        }
        var files: [String] = []
        let base = directory + "/" + name
        if manager.fileExists(atPath: base, isDirectory: &isDirectory), isDirectory.boolValue {
            files = Self.variableFiles(under: base)
        } else {
            files = [base, base + ".yml", base + ".yaml", base + ".json"].filter { manager.fileExists(atPath: $0) }
        }
        var variables = Variables()
        for file in files {
            let shown = displayBase.map { $0 + String(file.dropFirst(directory.count)) } ?? file
            guard let node = try yaml.loadFile(file, displayPath: shown) else { continue }
            guard let pairs = node.pairs else {
                throw LoadError("variables in '\(shown)' must be a mapping, got \(node.kindDescription)", at: node.location)
            }
            for pair in pairs {
                variables.set(.init(name: pair.keyText, value: LocatedValue(pair.value), location: pair.key.location))
            }
        }
        return variables
    }

    static func variableFiles(under directory: String) -> [String] {
        let manager = FileManager.default
        var result: [String] = []
        for entry in ((try? manager.contentsOfDirectory(atPath: directory)) ?? []).sorted() where !entry.hasPrefix(".") {
            let path = directory + "/" + entry
            var isDirectory: ObjCBool = false
            _ = manager.fileExists(atPath: path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                result.append(contentsOf: variableFiles(under: path))
            } else if entry.hasSuffix(".yml") || entry.hasSuffix(".yaml") || entry.hasSuffix(".json") || !entry.contains(".") {
                result.append(path)
            }
        }
        return result
    }
}
