/// Evaluates one compiled template against a variable scope. One renderer per render call: it
/// holds the mutable state (local frames, inheritance chain) and is never shared between threads.
///
/// Its hot mutable properties opt out of runtime exclusivity checks: every name lookup reads
/// `frames`, the checks cost more than the lookup, and the renderer never accesses them
/// re-entrantly (it is single-threaded and only mutates them between evaluations).
final class Renderer {
    let engine: TemplateEngine
    let scope: any VariableScope
    /// Paths and environment for lookups and path tests. Worked out on first use: few templates
    /// need it, and finding a scope's own context takes a dynamic cast per render.
    lazy var context: LookupContext =
        explicitContext ?? (scope as? any LookupContextProviding)?.lookupContext ?? .current
    private let explicitContext: LookupContext?
    /// Local variable frames, innermost last; frame 0 is the template's root namespace.
    @exclusivity(unchecked) var frames: [Frame]
    /// The template whose nodes are being evaluated (for error locations).
    var template: CompiledTemplate
    /// For template inheritance: each block name's bodies, most-derived first.
    var blockChains: [String: [(body: [Node], template: CompiledTemplate)]] = [:]
    /// The blocks being rendered, innermost last, for `super()`.
    var blockStack: [(name: String, level: Int, chain: [(body: [Node], template: CompiledTemplate)])] = []
    /// How many text or `{{ }}` chunks were written (Ansible's native mode yields None for zero).
    @exclusivity(unchecked) var emittedChunks = 0
    /// Guards against runaway recursion (include cycles, recursive macros).
    var depth = 0
    /// Lexer settings for templates loaded while rendering (include, import, extends).
    let options: TemplateOptions

    init(
        engine: TemplateEngine, template: CompiledTemplate, scope: any VariableScope, context: LookupContext?,
        options: TemplateOptions
    ) {
        self.engine = engine
        self.options = options
        self.template = template
        self.scope = scope
        self.explicitContext = context
        self.frames = [[:]]
    }

    // MARK: Names

    func binding(of name: String) throws -> Binding? {
        var index = frames.count - 1
        while index >= 0 {
            if let binding = frames[index][name] { return binding }
            index -= 1
        }
        if let value = try scope.value(of: name) { return .value(value) }
        return nil
    }

    func lookup(_ name: String) throws -> Value {
        switch try binding(of: name) {
        case .value(let value)?: return value
        case .loop(let loop)?: return loop.asValue
        case .macro?, .module?: return .string("<\(name)>")
        case .helper(let object)?: return .string(object.reprDescription)
        case nil:
            return .undefined(Undefined.name(name))
        }
    }

    func assign(_ name: String, _ binding: Binding) {
        frames[frames.count - 1][name] = binding
    }

    /// What `{% set name = expression %}` and `{% with %}` bind: a helper object itself when the
    /// expression creates one (`cycler(…)`) or names one, so the new name shares its state;
    /// otherwise the expression's value.
    func evaluateBinding(_ expression: Expression) throws -> Binding {
        switch expression {
        case .call(.name(let name, _), let arguments, let offset):
            if let create = GlobalFunctions.helpers[name], try binding(of: name) == nil {
                do { return .helper(try create(try evaluateArguments(arguments))) } catch { throw locate(error, at: offset) }
            }
        case .name(let name, _):
            if case .helper(let object)? = try binding(of: name) { return .helper(object) }
        default:
            break
        }
        return .value(try evaluate(expression))
    }

    func assign(_ target: AssignTarget, _ value: Value, offset: Int) throws {
        switch target {
        case .name(let name):
            assign(name, .value(value))
        case .tuple(let targets):
            let items = try value.iterated()
            if items.count != targets.count {
                throw RenderFailure(
                    items.count > targets.count
                        ? "too many values to unpack (expected \(targets.count))"
                        : "not enough values to unpack (expected \(targets.count), got \(items.count))",
                    kind: .value, offset: offset)
            }
            for (target, item) in zip(targets, items) { try assign(target, item, offset: offset) }
        case .namespaceAttribute(let base, let attribute, let at):
            // Namespaces are dictionaries bound to a name; update the frame that holds the name.
            var index = frames.count - 1
            while index >= 0 {
                if case .value(.dict(var dictionary))? = frames[index][base] {
                    dictionary[attribute] = value
                    frames[index][base] = .value(.dict(dictionary))
                    return
                }
                index -= 1
            }
            throw RenderFailure("cannot assign attribute on non-namespace object", kind: .type, offset: at)
        }
    }

    // MARK: Rendering

    /// Renders nodes into `output`, locating any error that escapes without a position.
    func render(_ nodes: [Node], into output: inout Output) throws {
        for node in nodes { try render(node, into: &output) }
    }

    func renderToString(_ nodes: [Node]) throws -> String {
        var output = Output()
        try render(nodes, into: &output)
        return output.string
    }

    /// Appends a value as `{{ }}` prints it inside text (Ansible finalize: None prints nothing).
    /// The undefined value of `a if b` when `b` is false. Ansible prints it as nothing inside text;
    /// Jinja2's StrictUndefined (and Ansible's native single-expression mode) reject it.
    static let missingElseHint = "the inline if-expression evaluated to false and no else section was defined"

    func write(_ value: Value, into output: inout Output) throws {
        emittedChunks += 1
        switch value {
        case .undefined(let undefined) where undefined.hint == Self.missingElseHint && options.printsNoneAsEmpty:
            break
        case .string(let string): output.append(string)
        case .none: if !options.printsNoneAsEmpty { output.append("None") }
        case .int(let number): output.append(number)
        case .undefined(let undefined): throw RenderFailure.undefined(undefined)
        default: output.append(value.pythonRepr)
        }
    }

    func withFrame<T>(_ frame: Frame = [:], _ body: () throws -> T) rethrows -> T {
        frames.append(frame)
        defer { frames.removeLast() }
        return try body()
    }

    func locate(_ error: any Error, at offset: Int) -> any Error {
        if let failure = error as? RenderFailure { return failure.located(at: offset, in: template) }
        return error
    }
}
