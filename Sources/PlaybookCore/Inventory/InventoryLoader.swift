import Diagnostics
import Foundation
import Templating

/// Reads inventory sources as `-i` gives them: a file (INI, or YAML/JSON by extension or content),
/// a directory of inventory files, or an inline list `host1,host2,`; several sources merge.
public struct InventoryLoader: Sendable {
    public var yaml: YAMLLoader
    public var workingDirectory: String

    /// Extensions Ansible ignores in inventory directories (`INVENTORY_IGNORE_EXTS`).
    static let ignoredExtensions = [
        "~", ".orig", ".bak", ".ini", ".cfg", ".retry", ".pyc", ".pyo", ".swp", ".md", ".txt", ".rst", ".rpm",
    ]

    public init(yaml: YAMLLoader = YAMLLoader(), workingDirectory: String = FileManager.default.currentDirectoryPath) {
        self.yaml = yaml
        self.workingDirectory = workingDirectory
    }

    /// Loads and merges every source, in order.
    public func load(_ sources: [String]) throws -> Inventory {
        var inventory = Inventory()
        for source in sources {
            try load(source, into: &inventory)
        }
        return inventory
    }

    /// One source: an inline host list (contains ',' and is not a path), a directory, or a file.
    public func load(_ source: String, into inventory: inout Inventory) throws {
        let path = absolute(source)
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if !exists && source.contains(",") {
            try loadInlineList(source, into: &inventory)
        } else if !exists {
            throw LoadError("the inventory source '\(source)' does not exist", at: nil)
        } else if isDirectory.boolValue {
            try loadDirectory(path, shown: source, into: &inventory)
        } else {
            try loadFile(path, shown: source, into: &inventory)
        }
    }

    /// `host1,host2,` (Ansible's host_list plugin): names with optional `:port`, no ranges.
    func loadInlineList(_ source: String, into inventory: inout Inventory) throws {
        for item in source.split(separator: ",") {
            let text = item.trimmingPythonWhitespace()
            guard !text.isEmpty else { continue }
            let (name, port) = HostRange.splitPort(text)
            inventory.addHost(name, to: "ungrouped")
            if let port {
                let node = YAMLNode(
                    .scalar(YAMLScalar(text: String(port), style: .plain, tag: nil, value: .int(port))),
                    at: SourceLocation(file: "<inline inventory>", line: 1, column: 1))
                inventory.setHostVariable(name, .init(name: "ansible_port", value: LocatedValue(node), location: node.location))
            }
        }
    }

    func loadDirectory(_ path: String, shown: String, into inventory: inout Inventory) throws {
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
        for entry in entries where !entry.hasPrefix(".") && entry != "host_vars" && entry != "group_vars" {
            if Self.ignoredExtensions.contains(where: { entry.hasSuffix($0) }) { continue }
            let child = path + "/" + entry
            let shownChild = shown.hasSuffix("/") ? shown + entry : shown + "/" + entry
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: child, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                try loadDirectory(child, shown: shownChild, into: &inventory)
            } else {
                try loadFile(child, shown: shownChild, into: &inventory)
            }
        }
    }

    func loadFile(_ path: String, shown: String, into inventory: inout Inventory) throws {
        let raw = try YAMLLoader.readText(path, displayPath: shown)
        let text = try yaml.decryptIfVaulted(raw, file: shown)
        if Self.looksLikeYAML(path: path, text: text) {
            let node = try yaml.parse(text, file: shown)
            try YAMLInventoryParser(file: shown).parse(node, into: &inventory)
        } else {
            try INIInventoryParser(file: shown).parse(text, into: &inventory)
        }
    }

    /// YAML/JSON by extension; for other names, YAML when the first meaningful line is a mapping
    /// key, `---` or `{` (INI files start with a host, a `[section]` or a comment).
    static func looksLikeYAML(path: String, text: String) -> Bool {
        let lower = path.lowercased()
        if lower.hasSuffix(".yml") || lower.hasSuffix(".yaml") || lower.hasSuffix(".json") { return true }
        if lower.hasSuffix(".ini") { return false }
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingPythonWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed == "---" || trimmed.hasPrefix("{") { return true }
            if trimmed.hasPrefix("[") { return false }
            // `all:` / `group:` alone on a line is YAML; `host var=x` is INI.
            return trimmed.hasSuffix(":") && !trimmed.contains(" ") && !trimmed.contains("=")
        }
        return false
    }

    func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        return expanded.hasPrefix("/") ? expanded : workingDirectory + "/" + expanded
    }
}
