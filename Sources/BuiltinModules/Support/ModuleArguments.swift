import ModuleAPI
import Templating

/// Typed access to a module's arguments.
///
/// The engine already resolves aliases, fills defaults and converts types before a module runs;
/// this view does the same again from the module's spec so that modules behave identically when
/// called directly (tests, other modules), and converts loosely typed YAML the way Ansible does
/// (`"yes"` is true, `8080` is a valid string).
struct ModuleArguments: Sendable {
    private var values: ValueDictionary

    init(_ arguments: ValueDictionary, spec: ArgumentSpec) {
        values = arguments
        for (name, option) in spec.options where values[name] == nil {
            if let alias = option.aliases.first(where: { values[$0] != nil }) {
                values[name] = values[alias]
            } else if let defaultValue = option.defaultValue {
                values[name] = defaultValue
            }
        }
    }

    init<M: Module>(_ invocation: ModuleInvocation, for module: M.Type) {
        self.init(invocation.arguments, spec: M.spec.arguments)
    }

    /// The raw value, nil when absent or null.
    func value(_ name: String) -> Value? {
        switch values[name] {
        case nil, .none?, .undefined?: return nil
        case let value?: return value
        }
    }

    func has(_ name: String) -> Bool { value(name) != nil }

    func string(_ name: String) -> String? {
        value(name).flatMap(Self.text)
    }

    func string(_ name: String, default fallback: String) -> String {
        string(name) ?? fallback
    }

    /// A required string; fails the module with Ansible's message when missing.
    func requiredString(_ name: String) throws(ModuleFailure) -> String {
        guard let text = string(name) else { throw ModuleFailure("missing required arguments: \(name)") }
        return text
    }

    func bool(_ name: String, default fallback: Bool = false) -> Bool {
        guard let value = value(name) else { return fallback }
        return Self.truth(value) ?? fallback
    }

    /// A bool that may be absent (nil), for options whose absence means "leave alone".
    func optionalBool(_ name: String) -> Bool? {
        value(name).flatMap(Self.truth)
    }

    func int(_ name: String) -> Int? {
        switch value(name) {
        case .int(let number)?: return number
        case .float(let number)?: return Int(number)
        case .string(let text)?: return Int(text.trimmingCharacters(in: .whitespaces))
        case .bool(let flag)?: return flag ? 1 : 0
        default: return nil
        }
    }

    func double(_ name: String) -> Double? {
        switch value(name) {
        case .int(let number)?: return Double(number)
        case .float(let number)?: return number
        case .string(let text)?: return Double(text.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// A list of strings; a string is split on commas, as Ansible's `type='list'` does.
    func stringList(_ name: String) -> [String]? {
        switch value(name) {
        case .list(let elements)?: return elements.compactMap(Self.text)
        case .string(let text)?:
            return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case let other?: return Self.text(other).map { [$0] }
        case nil: return nil
        }
    }

    func dictionary(_ name: String) -> ValueDictionary? {
        value(name)?.dictionary
    }

    /// Ansible's string conversion of scalars.
    static func text(_ value: Value) -> String? {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .float(let number): return String(number)
        case .bool(let flag): return flag ? "True" : "False"
        default: return nil
        }
    }

    /// Ansible's boolean conversion (`yes`/`no`, `on`/`off`, `1`/`0`, `true`/`false`).
    static func truth(_ value: Value) -> Bool? {
        switch value {
        case .bool(let flag): return flag
        case .int(let number): return number != 0
        case .float(let number): return number != 0
        case .string(let text):
            switch text.lowercased() {
            case "yes", "on", "1", "true", "y", "t": return true
            case "no", "off", "0", "false", "n", "f", "": return false
            default: return nil
            }
        default: return nil
        }
    }
}
