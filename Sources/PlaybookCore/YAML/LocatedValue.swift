import Diagnostics
import Templating

/// A value from the user's YAML together with the node it came from, so that any later error
/// about it, or about any part of it, can point at file:line:column.
public struct LocatedValue: Sendable, Hashable {
    public var value: Value
    public var node: YAMLNode

    public init(_ node: YAMLNode) {
        self.value = node.value
        self.node = node
    }

    /// A value built by the loader (e.g. from `k=v` text) located at `node`.
    public init(_ value: Value, at node: YAMLNode) {
        self.value = value
        self.node = node
    }

    public var location: SourceLocation { node.location }

    /// The location of the sub-value at `path` (see ``YAMLNode/location(at:)``).
    public func location(at path: [Value]) -> SourceLocation {
        node.location(at: path)
    }
}
