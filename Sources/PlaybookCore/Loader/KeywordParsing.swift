import Diagnostics
import ModuleAPI
import Templating

/// Parsing and static type checks of keyword values shared by plays, blocks, tasks and roles.
extension LoaderSession {
    /// `vars:`: a mapping (or a list of mappings, merged), names must be valid identifiers.
    func parseVariables(_ node: YAMLNode, owner: String) throws -> Variables {
        var variables = Variables()
        switch node.content {
        case .mapping(let pairs):
            for pair in pairs {
                let name = pair.keyText
                guard Identifier.isValid(name) else {
                    throw LoadError("invalid variable name '\(name)' in \(owner)", at: pair.key.location)
                }
                variables.set(.init(name: name, value: LocatedValue(pair.value), location: pair.key.location))
            }
        case .sequence(let elements):
            for element in elements {
                guard element.pairs != nil else {
                    throw LoadError(
                        "vars in \(owner) must be a mapping or a list of mappings, got a list containing \(element.kindDescription)",
                        at: element.location)
                }
                variables.merge(try parseVariables(element, owner: owner))
            }
        case .scalar(let scalar) where scalar.value == .none:
            break
        case .scalar:
            throw LoadError("vars in \(owner) must be a mapping, got \(node.kindDescription)", at: node.location)
        }
        return variables
    }

    /// `when:`: a condition string or boolean, or a list of them (all must hold).
    func parseConditions(_ node: YAMLNode, keyword: String = "when") throws -> [LocatedValue] {
        switch node.content {
        case .sequence(let elements):
            return try elements.flatMap { try parseConditions($0, keyword: keyword) }
        case .mapping:
            throw LoadError(
                "'\(keyword)' must be a string, a boolean or a list of them, got a mapping", at: node.location)
        case .scalar(let scalar):
            if scalar.value == .none { return [] }
            return [LocatedValue(node)]
        }
    }

    /// `tags:`: a list, or a comma-separated string; numbers become strings.
    func parseTags(_ node: YAMLNode) throws -> TagList {
        func text(_ element: YAMLNode) throws -> [String] {
            guard let scalar = element.scalar else {
                throw LoadError("tags must be a string or a list of strings, got \(element.kindDescription)",
                    at: element.location)
            }
            switch scalar.value {
            case .none: return []
            case .string(let string):
                return string.split(separator: ",").map { $0.trimmingPythonWhitespace() }.filter { !$0.isEmpty }
            default: return [scalar.text]
            }
        }
        if let elements = node.elements {
            return TagList(try elements.flatMap(text), at: node.location)
        }
        return TagList(try text(node), at: node.location)
    }

    /// `notify:` / `listen:`: a name or a list of names.
    func parseNames(_ node: YAMLNode, keyword: String) throws -> [LocatedValue] {
        let elements = node.elements ?? [node]
        return try elements.compactMap { element in
            guard let scalar = element.scalar else {
                throw LoadError(
                    "'\(keyword)' must be a string or a list of strings, got \(element.kindDescription)",
                    at: element.location)
            }
            return scalar.value == .none ? nil : LocatedValue(.string(scalar.text), at: element)
        }
    }

    /// Type checks of keyword values that are not templates, as Ansible's `post_validate` would
    /// fail later: booleans, integers, strings, and the shape of `environment`, `module_defaults`,
    /// `loop`, `serial`, `register`.
    func validateKeyword(_ name: String, _ node: YAMLNode) throws {
        let value = node.value
        if Template.containsTemplate(value) { return }
        func fail(_ expected: String) -> LoadError {
            LoadError("'\(name)' must be \(expected), got \(value.typeDescription)", at: node.location)
        }
        if KeywordTable.booleans.contains(name) {
            switch value {
            case .bool, .none: return
            case .string(let string) where ArgumentValidation.bool(string) != nil: return
            case .int(0), .int(1): return
            case .string(let string):
                throw LoadError("'\(name)' must be a boolean, got '\(string)'", at: node.location)
            default: throw fail("a boolean")
            }
        }
        if KeywordTable.integers.contains(name) {
            switch value {
            case .int, .none: return
            case .string(let string) where Int(string.trimmingPythonWhitespace()) != nil: return
            case .string(let string):
                throw LoadError("'\(name)' must be an integer, got '\(string)'", at: node.location)
            default: throw fail("an integer")
            }
        }
        if KeywordTable.numbers.contains(name) {
            switch value {
            case .int, .float, .none: return
            case .string(let string) where Double(string.trimmingPythonWhitespace()) != nil: return
            case .string(let string):
                throw LoadError("'\(name)' must be a number, got '\(string)'", at: node.location)
            default: throw fail("a number")
            }
        }
        if KeywordTable.strings.contains(name) {
            switch value {
            case .string, .none, .int, .float, .bool: break
            default: throw fail("a string")
            }
        }
        switch name {
        case "register":
            guard case .string(let variable) = value, Identifier.isValid(variable) else {
                throw LoadError("invalid variable name in 'register': '\(node.scalar?.text ?? "")'", at: node.location)
            }
        case "loop":
            switch value {
            case .list, .none: break
            default:
                throw LoadError(
                    "invalid data passed to 'loop', it requires a list, got \(value.typeDescription) instead",
                    at: node.location)
            }
        case "environment", "module_defaults":
            switch value {
            case .dict, .none: break
            case .list(let elements) where elements.allSatisfy({ $0.dictionary != nil || Template.containsTemplate($0) }):
                break
            default: throw fail("a mapping or a list of mappings")
            }
        case "serial":
            switch value {
            case .int, .string, .none: break
            case .list(let elements) where elements.allSatisfy({ $0.dictionary == nil && $0.array == nil }): break
            default: throw fail("an integer, a percentage or a list of them")
            }
        case "max_fail_percentage":
            switch value {
            case .int, .float, .none: break
            case .string(let string) where Double(string.trimmingPythonWhitespace()) != nil: break
            default: throw fail("a number")
            }
        case "collections", "gather_subset":
            switch value {
            case .list, .string, .none: break
            default: throw fail("a list of strings")
            }
        case "strategy":
            if case .string(let strategy) = value, !["linear", "free", "host_pinned", "debug"].contains(strategy) {
                throw LoadError.unknown(
                    "invalid strategy '\(strategy)'", name: strategy, candidates: ["linear", "free", "host_pinned"],
                    at: node.location)
            }
        case "order":
            let orders = ["inventory", "reverse_inventory", "sorted", "reverse_sorted", "shuffle"]
            if case .string(let order) = value, !orders.contains(order) {
                throw LoadError.unknown("invalid 'order' value '\(order)'", name: order, candidates: orders, at: node.location)
            }
        default:
            break
        }
    }
}

/// Python-identifier check for variable names.
enum Identifier {
    static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }
}

/// Whether values contain Jinja2 syntax (then their type can only be checked after templating).
public enum Template {
    /// True when `text` contains `{{`, `{%` or `{#`.
    public static func isTemplate(_ text: String) -> Bool {
        text.contains("{{") || text.contains("{%") || text.contains("{#")
    }

    /// True when any string inside `value` is a template.
    public static func containsTemplate(_ value: Value) -> Bool {
        switch value {
        case .string(let string): return isTemplate(string)
        case .list(let elements): return elements.contains(where: containsTemplate)
        case .dict(let dictionary):
            return dictionary.contains { containsTemplate($0.key) || containsTemplate($0.value) }
        default: return false
        }
    }
}
