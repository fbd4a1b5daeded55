import NIOCore
import Yams

/// Typed, located access to a YAML mapping: every wrong value becomes a `ConfigurationError` at the
/// value's own line and column, and unknown keys are reported (a misspelt key must not be ignored).
struct YAMLReader {
    let file: String
    let node: Node
    private let pairs: [(key: String, keyNode: Node, value: Node)]

    init(file: String, node: Node, context: String) throws(ConfigurationError) {
        self.file = file
        self.node = node
        guard let mapping = node.mapping else {
            throw Self.error(file: file, at: node, "\(context) must be a mapping")
        }
        var pairs: [(String, Node, Node)] = []
        for (key, value) in mapping {
            guard let name = key.string else { throw Self.error(file: file, at: key, "keys must be strings") }
            pairs.append((name, key, value))
        }
        self.pairs = pairs
    }

    /// Throws for keys outside `allowed`, naming the first one.
    func rejectUnknownKeys(_ allowed: Set<String>, in context: String) throws(ConfigurationError) {
        for pair in pairs where !allowed.contains(pair.key) {
            let known = allowed.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw error(at: pair.keyNode, "unknown key '\(pair.key)' in \(context) (known: \(known))")
        }
    }

    func value(_ key: String) -> Node? {
        pairs.first { $0.key == key }?.value
    }

    func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let node = value(key) else { return nil }
        guard case .scalar(let scalar) = node else { throw error(at: node, "'\(key)' must be a string") }
        return scalar.string
    }

    func requiredString(_ key: String, in context: String) throws(ConfigurationError) -> String {
        guard let text = try string(key) else { throw error(at: node, "\(context) needs '\(key)'") }
        return text
    }

    func int(_ key: String, range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let node = value(key) else { return nil }
        guard let number = node.int else { throw error(at: node, "'\(key)' must be an integer") }
        guard range.contains(number) else {
            throw error(at: node, "'\(key)' must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
        }
        return number
    }

    func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let node = value(key) else { return nil }
        guard let flag = node.bool else { throw error(at: node, "'\(key)' must be a boolean, got '\(node.string ?? "")'") }
        return flag
    }

    func duration(_ key: String) throws(ConfigurationError) -> TimeAmount? {
        guard let node = value(key) else { return nil }
        let text = node.string ?? ""
        guard let amount = TimeAmount.parse(duration: text), amount.nanoseconds > 0 else {
            throw error(at: node, "'\(key)' must be a positive duration such as 500ms, 2s or 1m, got '\(text)'")
        }
        return amount
    }

    func sequence(_ key: String) throws(ConfigurationError) -> [Node]? {
        guard let node = value(key) else { return nil }
        guard let sequence = node.sequence else { throw error(at: node, "'\(key)' must be a list") }
        return Array(sequence)
    }

    func child(_ key: String) throws(ConfigurationError) -> YAMLReader? {
        guard let node = value(key) else { return nil }
        return try YAMLReader(file: file, node: node, context: "'\(key)'")
    }

    func error(at node: Node, _ message: String) -> ConfigurationError {
        Self.error(file: file, at: node, message)
    }

    static func error(file: String, at node: Node, _ message: String) -> ConfigurationError {
        ConfigurationError(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, message: message)
    }
}
