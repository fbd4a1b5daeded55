import Foundation
import Diagnostics
import Templating

/// Ansible 2.21's INI inventory format: `[group]`, `[group:vars]`, `[group:children]`, host lines
/// with ranges, `:port` and inline `k=v` variables, comments with `#` and `;`. Values are typed
/// with Python's `literal_eval` as Ansible does (`1` → int, `True` → bool, `'x'` → "x",
/// `yes` → "yes"). Unlike Ansible, every error names the line and column.
struct INIInventoryParser {
    let file: String

    func parse(_ text: String, into inventory: inout Inventory) throws {
        var groupName = "ungrouped"
        var state = "hosts"
        // Groups named by `[g:vars]` or `[p:children]` but not (yet) defined: name → (location, state, parents).
        var pending: [String: (location: SourceLocation, state: String, parents: [String])] = [:]
        var pendingOrder: [String] = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            let leading = rawLine.prefix { $0 == " " || $0 == "\t" }.count
            let line = String(rawLine).trimmingPythonWhitespace()
            let location = SourceLocation(file: file, line: lineNumber, column: leading + 1)
            guard let first = line.first, first != "#", first != ";" else { continue }
            if let (name, kind) = Self.section(line) {
                groupName = name
                state = kind ?? "hosts"
                guard ["hosts", "children", "vars"].contains(state) else {
                    throw LoadError(
                        "section [\(name):\(state)] has unknown type: \(state)",
                        at: location.advanced(lines: 0, column: name.count + 3),
                        notes: ["valid section types are 'vars' and 'children'"])
                }
                if inventory.groups[name] == nil {
                    if state == "vars" && pending[name] == nil {
                        pending[name] = (location, state, [])
                        pendingOrder.append(name)
                    }
                    inventory.addGroup(name, at: location)
                }
                if let declaration = pending[name], state != "vars" {
                    if declaration.state == "children" {
                        addPendingChildren(name, &pending, &inventory)
                    } else {
                        pending[name] = nil
                    }
                }
                continue
            }
            if line.hasPrefix("[") {
                throw LoadError(
                    "invalid section entry: '\(line)'", at: location,
                    notes: ["make sure there are no spaces or other invalid characters in the section entry"])
            }
            switch state {
            case "hosts":
                try parseHostLine(line, rawLine: String(rawLine), location: location, group: groupName, into: &inventory)
            case "vars":
                guard let equals = line.firstIndex(of: "=") else {
                    throw LoadError("expected key=value, got: \(line)", at: location)
                }
                let key = String(line[..<equals]).trimmingPythonWhitespace()
                let valueText = String(line[line.index(after: equals)...]).trimmingPythonWhitespace()
                let spacesAfterEquals = line[line.index(after: equals)...].prefix { $0 == " " || $0 == "\t" }.count
                let valueColumn = leading + line.distance(from: line.startIndex, to: equals) + 2 + spacesAfterEquals
                let value = Self.typedValue(valueText)
                let definitionLocation = location
                let node = Self.node(valueText, at: SourceLocation(file: file, line: lineNumber, column: valueColumn))
                inventory.setGroupVariable(
                    groupName, .init(name: key, value: LocatedValue(value, at: node), location: definitionLocation))
            default:
                guard let child = Self.groupName(line) else {
                    throw LoadError("expected group name, got: \(line)", at: location)
                }
                if inventory.groups[child] == nil {
                    if var declaration = pending[child] {
                        declaration.parents.append(groupName)
                        pending[child] = declaration
                    } else {
                        pending[child] = (location, "children", [groupName])
                        pendingOrder.append(child)
                    }
                } else {
                    inventory.addChild(child, to: groupName)
                }
            }
        }
        for name in pendingOrder {
            guard let declaration = pending[name] else { continue }
            if declaration.state == "vars" {
                throw LoadError(
                    "section [\(name):vars] not valid for undefined group '\(name)'", at: declaration.location)
            }
            throw LoadError(
                "section [\(declaration.parents.last ?? ""):children] includes undefined group '\(name)'",
                at: declaration.location)
        }
    }

    private func addPendingChildren(
        _ group: String, _ pending: inout [String: (location: SourceLocation, state: String, parents: [String])],
        _ inventory: inout Inventory
    ) {
        guard let declaration = pending[group] else { return }
        for parent in declaration.parents {
            inventory.addChild(group, to: parent)
            if pending[parent]?.state == "children" {
                addPendingChildren(parent, &pending, &inventory)
            }
        }
        pending[group] = nil
    }

    private func parseHostLine(
        _ line: String, rawLine: String, location: SourceLocation, group: String, into inventory: inout Inventory
    ) throws {
        let tokens: [String]
        do {
            tokens = try ShellWords.split(line)
        } catch {
            throw LoadError("error parsing host definition '\(line)': \(error.message)", at: location)
        }
        guard let pattern = tokens.first else { return }
        let (hostPattern, port) = HostRange.splitPort(pattern)
        if pattern.trimmingPythonWhitespace().hasSuffix(":") && port == nil {
            throw LoadError(
                "invalid host pattern '\(pattern)' supplied, ending in ':' is not allowed, this character is reserved to provide a port",
                at: location)
        }
        let names: [String]
        do {
            names = try HostRange.expand(hostPattern)
        } catch {
            let column = (pattern.firstIndex(of: "[").map { pattern.distance(from: pattern.startIndex, to: $0) } ?? 0)
            throw LoadError(error.text, at: location.advanced(lines: 0, column: column + 1))
        }
        if names.contains("---") {
            throw LoadError(
                "invalid host pattern '\(pattern)' supplied, '---' is normally a sign this is a YAML file",
                at: location)
        }
        var variables: [Variables.Definition] = []
        for token in tokens.dropFirst() {
            let column = Self.column(of: token, in: rawLine) ?? location.column
            let tokenLocation = SourceLocation(file: file, line: location.line, column: column)
            guard let equals = token.firstIndex(of: "=") else {
                throw LoadError("expected key=value host variable assignment, got: \(token)", at: tokenLocation)
            }
            let key = String(token[..<equals])
            let valueText = String(token[token.index(after: equals)...])
            let node = Self.node(valueText, at: tokenLocation.advanced(lines: 0, column: key.count + 2))
            variables.append(.init(name: key, value: LocatedValue(Self.typedValue(valueText), at: node), location: tokenLocation))
        }
        for name in names {
            inventory.addHost(name, to: group, at: location)
            if let port {
                let node = Self.node(String(port), at: location)
                inventory.setHostVariable(name, .init(name: "ansible_port", value: LocatedValue(.int(port), at: node), location: location))
            }
            for definition in variables { inventory.setHostVariable(name, definition) }
        }
    }

    /// `[name]` or `[name:type]`, with optional trailing comment.
    static func section(_ line: String) -> (String, String?)? {
        guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { return nil }
        let rest = line[line.index(after: close)...].trimmingPythonWhitespace()
        guard rest.isEmpty || rest.hasPrefix("#") else { return nil }
        let inner = line[line.index(after: line.startIndex)..<close]
        let parts = inner.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let name = parts.first, !name.isEmpty, !name.contains(where: { $0.isWhitespace }) else { return nil }
        if parts.count == 2 {
            let kind = parts[1]
            guard !kind.isEmpty, kind.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
            return (String(name), String(kind))
        }
        return (String(name), nil)
    }

    static func groupName(_ line: String) -> String? {
        let name = line.prefix { $0 != ":" && $0 != "]" && !$0.isWhitespace }
        let rest = line.dropFirst(name.count).trimmingPythonWhitespace()
        guard !name.isEmpty, rest.isEmpty || rest.hasPrefix("#") else { return nil }
        return String(name)
    }

    /// A value typed as Ansible's INI plugin does (`ast.literal_eval`, else the text).
    static func typedValue(_ text: String) -> Value {
        PythonLiteral.evaluate(text) ?? .string(text)
    }

    func node(_ text: String, at location: SourceLocation) -> YAMLNode {
        Self.node(text, at: location)
    }

    static func node(_ text: String, at location: SourceLocation) -> YAMLNode {
        YAMLNode(.scalar(YAMLScalar(text: text, style: .plain, tag: nil, value: .string(text))), at: location)
    }

    /// The 1-based column where `token`'s key starts on the raw line (best effort: quotes may differ).
    static func column(of token: String, in rawLine: String) -> Int? {
        let key = token.contains("=") ? token.prefix { $0 != "=" } + "=" : token
        // Skip the host pattern so a key that also appears in the host name is found where it is assigned.
        let afterHost = rawLine.drop { $0 == " " || $0 == "\t" }.drop { $0 != " " && $0 != "\t" }
        guard let range = rawLine[afterHost.startIndex...].range(of: key) else { return nil }
        return rawLine.distance(from: rawLine.startIndex, to: range.lowerBound) + 1
    }
}
