import Diagnostics
import ModuleAPI
import Templating

/// A role's `meta/argument_specs.yml` (or `argument_specs:` in `meta/main.yml`): per entry point
/// (`main`, or a `tasks_from` name), the options the role's variables must satisfy. Ansible checks
/// them when the role starts; the engine does the same with ``ArgumentValidation`` and the role's
/// variables as they stand then.
public struct RoleArgumentSpecs: Sendable, Hashable {
    /// The `argument_specs` mapping as written, for locations.
    public var node: YAMLNode

    public init(node: YAMLNode) {
        self.node = node
    }

    /// Entry point names in order.
    public var entryPoints: [String] {
        node.pairs?.map(\.keyText) ?? []
    }

    /// The spec of `entryPoint`, or nil when the role declares none for it.
    public func spec(for entryPoint: String) throws -> ArgumentSpec? {
        guard let entry = node[entryPoint] else { return nil }
        guard entry.pairs != nil else {
            throw LoadError("argument spec '\(entryPoint)' must be a mapping, got \(entry.kindDescription)", at: entry.location)
        }
        return try Self.spec(entry)
    }

    static func spec(_ node: YAMLNode) throws -> ArgumentSpec {
        var options: [String: OptionSpec] = [:]
        if let optionsNode = node["options"], optionsNode.scalar?.value != Value.none {
            guard let pairs = optionsNode.pairs else {
                throw LoadError("'options' must be a mapping, got \(optionsNode.kindDescription)", at: optionsNode.location)
            }
            for pair in pairs {
                options[pair.keyText] = try option(pair.value, name: pair.keyText)
            }
        }
        func groups(_ key: String) throws -> [[String]] {
            guard let value = node[key] else { return [] }
            guard let lists = value.value.array?.map({ $0.array?.compactMap(\.string) }), !lists.contains(where: { $0 == nil }) else {
                throw LoadError("'\(key)' must be a list of lists of option names", at: value.location)
            }
            return lists.compactMap { $0 }
        }
        var requiredIf: [(String, Value, [String])] = []
        if let value = node["required_if"] {
            for element in value.elements ?? [] {
                let parts = element.value.array ?? []
                guard parts.count >= 3, let name = parts[0].string, let requirements = parts[2].array?.compactMap(\.string) else {
                    throw LoadError("'required_if' entries must be [option, value, [options]]", at: element.location)
                }
                requiredIf.append((name, parts[1], requirements))
            }
        }
        return ArgumentSpec(
            options, mutuallyExclusive: try groups("mutually_exclusive"), requiredTogether: try groups("required_together"),
            requiredOneOf: try groups("required_one_of"), requiredIf: requiredIf)
    }

    static func option(_ node: YAMLNode, name: String) throws -> OptionSpec {
        guard node.pairs != nil else {
            throw LoadError("option '\(name)' must be a mapping, got \(node.kindDescription)", at: node.location)
        }
        let typeName = node["type"]?.value.string ?? "str"
        var kind = try Self.kind(typeName, at: node["type"]?.location ?? node.location)
        if case .list = kind, let elements = node["elements"]?.value.string {
            kind = .list(elements: try Self.kind(elements, at: node["elements"]?.location ?? node.location))
        }
        if case .dict = kind, let nested = node["options"], nested.pairs != nil {
            kind = .dictOf(try spec(node))
        }
        func flag(_ key: String) -> Bool {
            switch node[key]?.value {
            case .bool(let value)?: return value
            case .string(let text)?: return ArgumentValidation.bool(text) ?? false
            default: return false
            }
        }
        return OptionSpec(
            kind, required: flag("required"), default: node["default"]?.value, choices: node["choices"]?.value.array,
            aliases: node["aliases"]?.value.array?.compactMap(\.string) ?? [], noLog: flag("no_log"))
    }

    static func kind(_ name: String, at location: SourceLocation) throws -> OptionSpec.Kind {
        switch name {
        case "str", "bits", "bytes": return .string
        case "bool": return .bool
        case "int": return .int
        case "float": return .float
        case "path": return .path
        case "raw": return .raw
        case "dict": return .dict
        case "list": return .list(elements: nil)
        case "json", "jsonarg": return .jsonarg
        default:
            throw LoadError.unknown(
                "unknown argument spec type '\(name)'", name: name,
                candidates: ["str", "bool", "int", "float", "path", "raw", "dict", "list", "jsonarg", "bits", "bytes"],
                at: location)
        }
    }
}
