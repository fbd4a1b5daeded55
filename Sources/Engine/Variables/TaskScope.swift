import Diagnostics
import Templating

/// The variables a template sees while one task runs on one host: magic variables, then the
/// precedence layers. Implements the template engine's ``VariableScope``.
///
/// Values are templated lazily, when a template looks them up, as Ansible does: `a: "{{ b }}"` is
/// only rendered when `a` is used, with the same scope. The scope remembers which names are being
/// resolved, so `a: "{{ a }}"` is reported as a recursion instead of overflowing the stack.
public struct TaskScope: VariableScope, LookupContextProviding {
    public var layers: VariableLayers
    /// Names the engine computes (`inventory_hostname`, `groups`, `hostvars`, `ansible_loop`, …).
    /// They win over every layer, like Ansible's magic variables.
    public var magic: [String: Value]
    /// Computed on first use because it is expensive (`hostvars`, `vars`).
    public var deferred: [String: @Sendable () -> Value]
    public let templar: any TemplateEvaluator
    /// Search paths for `lookup('file', …)` and friends: the role's, the task file's, the playbook's.
    public var lookupContext: LookupContext
    private var resolving: [String] = []

    public init(
        layers: VariableLayers, magic: [String: Value] = [:], deferred: [String: @Sendable () -> Value] = [:],
        templar: any TemplateEvaluator, lookupContext: LookupContext = LookupContext()
    ) {
        self.lookupContext = lookupContext
        self.layers = layers
        self.magic = magic
        self.deferred = deferred
        self.templar = templar
    }

    public func value(of name: String) throws -> Value? {
        if let value = magic[name] { return value }
        if let make = deferred[name] { return make() }
        guard let (entry, _) = layers.lookup(name) else { return nil }
        guard templar.containsTemplate(in: entry.value) else { return entry.value }
        if resolving.contains(name) {
            throw VariableError.recursion(chain: resolving + [name], at: entry.origin)
        }
        var inner = self
        inner.resolving.append(name)
        return try templar.evaluate(entry.value, at: entry.origin, scope: inner)
    }

    /// Magic names, then deferred ones, then every layer's names (sorted), each once; stackplay's
    /// own internal names (`__stackplay_…`) are not the user's and are left out.
    public func variableNames() -> [String] {
        var seen: Set<String> = ["__stackplay_loop_terms"]
        return (magic.keys.sorted() + deferred.keys.sorted() + layers.flattened.keys.sorted()).filter {
            seen.insert($0).inserted
        }
    }

    /// The scope with extra magic variables (loop item, `ansible_loop`, …) layered on top.
    public func adding(_ variables: [String: Value]) -> TaskScope {
        var copy = self
        copy.magic.merge(variables) { _, new in new }
        return copy
    }

    /// Templates a value from the playbook with this scope.
    public func template(_ value: Value, at location: SourceLocation?) throws -> Value {
        try templar.evaluate(value, at: location, scope: self)
    }
}

/// Errors raised while resolving variables.
public struct VariableError: LocatedError {
    public var location: SourceLocation?
    public var message: String

    /// A variable whose value refers back to itself.
    public static func recursion(chain: [String], at location: SourceLocation?) -> VariableError {
        VariableError(
            location: location,
            message: "recursive loop detected in template: \(chain.map { "'\($0)'" }.joined(separator: " -> "))")
    }
}
