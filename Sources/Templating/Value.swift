/// A typed value as playbooks, inventories, templates and module results see it.
///
/// This is the one value model shared by the template engine and the playbook engine: YAML
/// scalars load into it, Jinja2 expressions evaluate to it, and module results are exposed to
/// templates as dictionaries of it. Dictionaries keep insertion order, as Python's do.
public enum Value: Sendable, Hashable {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list([Value])
    case dict(ValueDictionary)
    /// A name or attribute that does not exist. Carries what was looked up, so that using it
    /// can raise Ansible's "'x' is undefined" / "'dict object' has no attribute 'y'" errors.
    case undefined(Undefined)
}

/// What an undefined value stands for, kept for the error raised when it is used.
///
/// The message is only formatted when it is read: most undefined values (`x.missing | default(…)`)
/// are replaced before anyone looks at why they are undefined.
public struct Undefined: Sendable, Hashable {
    /// The full message Jinja2 would raise, e.g. `'web' is undefined` or
    /// `'dict object' has no attribute 'port'`.
    public var hint: String {
        get {
            switch reason {
            case .message(let message): return message
            case .name(let name): return "'\(name)' is undefined"
            case .attribute(let name, let typeName): return "object of type '\(typeName)' has no attribute '\(name)'"
            }
        }
        set { reason = .message(newValue) }
    }

    private var reason: Reason

    private enum Reason: Sendable {
        case message(String)
        case name(String)
        // Boxed, so that a `Value` stays as small as a string plus its tag.
        indirect case attribute(String, ofType: String)
    }

    public init(hint: String) {
        reason = .message(hint)
    }

    /// An undefined top-level variable.
    public static func name(_ name: String) -> Undefined {
        Undefined(reason: .name(name))
    }

    /// A missing attribute of a value of the given Python type.
    static func attribute(_ name: String, ofType typeName: String) -> Undefined {
        Undefined(reason: .attribute(name, ofType: typeName))
    }

    private init(reason: Reason) {
        self.reason = reason
    }

    public static func == (lhs: Undefined, rhs: Undefined) -> Bool {
        lhs.hint == rhs.hint
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(hint)
    }
}

extension Value {
    /// The dictionary's entries, or nil when this is not a dictionary.
    public var dictionary: ValueDictionary? {
        if case .dict(let dictionary) = self { return dictionary }
        return nil
    }

    /// The list's elements, or nil when this is not a list.
    public var array: [Value]? {
        if case .list(let elements) = self { return elements }
        return nil
    }

    /// The string, or nil when this is not a string.
    public var string: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    public var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// A dictionary with string keys, in the given order.
    public static func object(_ pairs: KeyValuePairs<String, Value>) -> Value {
        var dictionary = ValueDictionary()
        for (key, value) in pairs { dictionary[key] = value }
        return .dict(dictionary)
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
    public init(nilLiteral: ()) { self = .none }
}
