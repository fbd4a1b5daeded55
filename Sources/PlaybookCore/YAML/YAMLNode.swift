import Diagnostics
import Templating

/// A YAML node with its source location, as the loader composes it: mappings keep their keys in
/// order together with each key's own location, scalars keep their style and tag.
///
/// Aliases are already expanded (an alias node is the anchored node, with the anchor's location)
/// and merge keys (`<<`) are already applied, so consumers see plain trees.
public struct YAMLNode: Sendable, Hashable {
    /// What kind of node this is.
    public indirect enum Content: Sendable, Hashable {
        case scalar(YAMLScalar)
        case mapping([YAMLPair])
        case sequence([YAMLNode])
    }

    public var content: Content
    /// Where the node starts (for a block mapping: its first key).
    public var location: SourceLocation

    public init(_ content: Content, at location: SourceLocation) {
        self.content = content
        self.location = location
    }

    /// The scalar, or nil for collections.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    /// The key/value pairs of a mapping, in document order, or nil.
    public var pairs: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The elements of a sequence, or nil.
    public var elements: [YAMLNode]? {
        if case .sequence(let elements) = content { return elements }
        return nil
    }

    /// The pair whose key is the string `key`, if this is a mapping.
    public func pair(_ key: String) -> YAMLPair? {
        pairs?.first { $0.key.scalar?.value == .string(key) }
    }

    /// The value node for the string key `key`, if this is a mapping that has it.
    public subscript(key: String) -> YAMLNode? {
        pair(key)?.value
    }

    /// A short name of the node's type for messages ("a mapping", "a list", "a string", …).
    public var kindDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let scalar): return scalar.value.typeDescription
        }
    }
}

/// A key/value pair of a mapping; both sides keep their own location.
public struct YAMLPair: Sendable, Hashable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }

    /// The key as a string (YAML keys in playbooks are strings; other scalars are rendered as text).
    public var keyText: String {
        key.scalar?.text ?? ""
    }
}

/// A scalar: the text as written (after YAML unescaping), how it was written, and its typed value.
public struct YAMLScalar: Sendable, Hashable {
    /// How the scalar was written.
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    /// The scalar's text after YAML unescaping (for `!vault`, the decrypted text).
    public var text: String
    public var style: Style
    /// The explicit tag as written (`!unsafe`, `!vault`, `tag:yaml.org,2002:str` for `!!str`), or nil.
    public var tag: String?
    /// The value as Ansible's loader types it (YAML 1.1 resolution for untagged plain scalars).
    public var value: Value
    /// Written with `!unsafe`: the engine must never template it (see ``UnsafeText``).
    public var isUnsafe: Bool
    /// For `|` and `>` scalars: the indentation (in columns) of the content lines.
    public var blockIndent: Int?

    public init(text: String, style: Style, tag: String?, value: Value, isUnsafe: Bool = false) {
        self.text = text
        self.style = style
        self.tag = tag
        self.value = value
        self.isUnsafe = isUnsafe
    }
}

extension Value {
    /// The YAML/Python type name used in messages: "a string", "an integer", "a mapping", ….
    public var typeDescription: String {
        switch self {
        case .none: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .float: return "a float"
        case .string: return "a string"
        case .list: return "a list"
        case .dict: return "a mapping"
        case .undefined: return "undefined"
        }
    }
}
