import Diagnostics
import Synchronization

/// The Jinja2-compatible template engine, with Ansible's filters, tests, lookups and semantics.
///
/// Thread-safe: one engine serves every host's tasks. Templates are compiled once per distinct
/// source text and cached; rendering never re-parses.
public final class TemplateEngine: Sendable {
    let loader: (any TemplateLoader)?
    let filters: [String: FilterFunction]
    let tests: [String: TestFunction]
    private let cache = Mutex<[CacheKey: CompiledTemplate]>([:])
    private let cacheLimit: Int

    /// Hashes the source with ``SourceFingerprint`` rather than `String`'s own hashing, which
    /// costs several times more on template-sized text and is paid by every cached render.
    private struct CacheKey: Hashable {
        var source: String
        var name: String
        var options: TemplateOptions
        var expressionOnly: Bool

        func hash(into hasher: inout Hasher) {
            hasher.combine(SourceFingerprint.of(source))
            hasher.combine(name)
            hasher.combine(options)
            hasher.combine(expressionOnly)
        }
    }

    /// - Parameters:
    ///   - loader: finds templates for include/import/extends and `lookup('template')`.
    ///   - cacheLimit: compiled templates kept before the cache is cleared.
    public init(loader: (any TemplateLoader)? = nil, cacheLimit: Int = 20_000) {
        self.loader = loader
        self.filters = FilterLibrary.all
        self.tests = TestLibrary.all
        self.cacheLimit = cacheLimit
    }

    /// The filter names this engine knows (with and without collection prefixes).
    public var filterNames: [String] { filters.keys.sorted() }
    /// The test names this engine knows.
    public var testNames: [String] { tests.keys.sorted() }

    /// Whether a string would be templated by Ansible: it holds `{{`, `{%` or `{#`, or starts with `#jinja2:`.
    public static func containsTemplate(_ text: String) -> Bool {
        var previousBrace = false
        for byte in text.utf8 {
            if previousBrace && (byte == UInt8(ascii: "{") || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "#")) {
                return true
            }
            previousBrace = byte == UInt8(ascii: "{")
        }
        return text.hasPrefix("#jinja2:")
    }

    /// Ansible semantics for a YAML string value: no template markers → the string unchanged;
    /// exactly one `{{ expr }}` → its typed value (native mode); otherwise the rendered string.
    public func evaluate(
        _ text: String, at origin: SourceLocation?, scope: any VariableScope, context: LookupContext? = nil
    ) throws -> Value {
        guard Self.containsTemplate(text) else { return .string(text) }
        let name = origin?.file ?? ""
        return try run(origin: origin, name: name) {
            var options = TemplateOptions.ansible
            var body = text
            if text.hasPrefix("#jinja2:") {
                (body, options) = try HeaderOverrides.apply(to: text, options: options)
            }
            let compiled = try compile(body, name: name, options: options)
            let renderer = makeRenderer(compiled, scope: scope, context: context, options: options)
            if let expression = compiled.singleExpression {
                let value = try renderer.evaluate(expression)
                if case .undefined(let undefined) = value {
                    throw RenderFailure.undefined(undefined).located(at: Renderer.offset(of: expression) ?? 0, in: compiled)
                }
                return value
            }
            var buffer = Output()
            try renderer.renderRoot(compiled, into: &buffer)
            let output = buffer.string
            // Native concatenation of no chunks at all (a template of only comments or false
            // conditions) is None in Ansible, not an empty string.
            if renderer.emittedChunks == 0 { return .none }
            return .string(Self.preservingTrailingNewlines(of: text, in: output))
        }
    }

    /// Renders a template file's text to a string with the given settings (by default the
    /// template module's: `trim_blocks` on, `#jinja2:` header overrides honoured).
    public func render(
        _ text: String, name: String, at origin: SourceLocation? = nil, scope: any VariableScope,
        options: TemplateOptions = .templateModule, context: LookupContext? = nil
    ) throws -> String {
        try run(origin: origin, name: name) {
            var effectiveOptions = options
            var body = text
            if options.honoursHeaderOverrides, text.hasPrefix("#jinja2:") {
                (body, effectiveOptions) = try HeaderOverrides.apply(to: text, options: options)
            }
            let compiled = try compile(body, name: name, options: effectiveOptions)
            let renderer = makeRenderer(compiled, scope: scope, context: context, options: effectiveOptions)
            if options.preservesTrailingNewlines, let expression = compiled.singleExpression {
                // Ansible templates a file that is one `{{ expr }}` natively, then writes str() of it.
                let value = try renderer.evaluate(expression)
                do {
                    var buffer = Output()
                    try renderer.write(value, into: &buffer)
                    let output = buffer.string
                    return value.string != nil ? Self.preservingTrailingNewlines(of: text, in: output) : output
                } catch {
                    throw renderer.locate(error, at: Renderer.offset(of: expression) ?? 0)
                }
            }
            var buffer = Output(capacity: compiled.outputSizeHint.load(ordering: .relaxed))
            try renderer.renderRoot(compiled, into: &buffer)
            compiled.outputSizeHint.store(buffer.count, ordering: .relaxed)
            if options.preservesTrailingNewlines {
                // As preservingTrailingNewlines does, but before the bytes become a String.
                buffer.appendNewlines(Self.trailingNewlineCount(of: text) - buffer.trailingNewlineCount)
            }
            return buffer.string
        }
    }

    /// A bare Jinja2 expression as `when:`, `that:`, `changed_when:`, `failed_when:` and `until:`
    /// hold it. A value wrapped in `{{ }}` is accepted too, as Ansible does.
    public func evaluateExpression(
        _ expression: String, at origin: SourceLocation?, scope: any VariableScope, context: LookupContext? = nil
    ) throws -> Value {
        let trimmed = StringFunctions.strip(expression, characters: nil, leading: true, trailing: true)
        if trimmed.hasPrefix("{{") || trimmed.hasPrefix("{%") {
            return try evaluate(trimmed, at: origin, scope: scope, context: context)
        }
        let name = origin?.file ?? ""
        return try run(origin: origin, name: name) {
            let compiled = try compile(expression, name: name, options: .ansible, expressionOnly: true)
            guard let parsed = compiled.singleExpression else { return .string("") }
            let renderer = makeRenderer(compiled, scope: scope, context: context, options: .ansible)
            let value = try renderer.evaluate(parsed)
            if case .undefined(let undefined) = value {
                throw RenderFailure.undefined(undefined).located(at: Renderer.offset(of: parsed) ?? 0, in: compiled)
            }
            return value
        }
    }

    // MARK: Internals

    func makeRenderer(
        _ compiled: CompiledTemplate, scope: any VariableScope, context: LookupContext?, options: TemplateOptions
    ) -> Renderer {
        Renderer(engine: self, template: compiled, scope: scope, context: context, options: options)
    }

    /// The compiled template for `source`, from the cache when it was seen before.
    func compile(
        _ source: String, name: String, options: TemplateOptions, expressionOnly: Bool = false
    ) throws(SyntaxFailure) -> CompiledTemplate {
        let key = CacheKey(source: source, name: name, options: options, expressionOnly: expressionOnly)
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let compiled: CompiledTemplate
        do {
            compiled = expressionOnly
                ? try CompiledTemplate.compileExpression(source, name: name)
                : try CompiledTemplate.compile(source, name: name, options: options)
        } catch {
            throw SyntaxFailure(error: error, template: CompiledTemplate(name: name, source: Array(source.utf8), nodes: []))
        }
        cache.withLock { cache in
            if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[key] = compiled
        }
        return compiled
    }

    /// Loads and compiles a template by name through the loader (include/import/extends).
    func loadCompiled(named name: String, relativeTo referrer: String?, options: TemplateOptions) throws -> CompiledTemplate? {
        guard let loader, let loaded = try loader.loadTemplate(named: name, referrer: referrer) else { return nil }
        return try compile(loaded.source, name: loaded.name, options: options)
    }

    /// Ansible re-appends the trailing newlines Jinja2 drops.
    static func preservingTrailingNewlines(of source: String, in output: String) -> String {
        let missing = trailingNewlineCount(of: source) - trailingNewlineCount(of: output)
        return missing > 0 ? output + String(repeating: "\n", count: missing) : output
    }

    static func trailingNewlineCount(of text: String) -> Int {
        var count = 0
        for byte in text.utf8.reversed() {
            guard byte == 10 else { break }
            count += 1
        }
        return count
    }

    /// Runs a render step and turns internal failures into located ``TemplateError``s.
    private func run<T>(origin: SourceLocation?, name: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as SyntaxFailure {
            throw TemplateError(
                kind: .syntax, message: "template error while templating string: \(failure.error.message)",
                location: TemplateError.location(
                    of: failure.error.offset, in: failure.template, fallbackName: name, origin: origin))
        } catch let failure as RenderFailure {
            let kind: TemplateError.Kind =
                failure.kind == .undefined ? .undefinedVariable : failure.kind == .syntax ? .syntax : .rendering
            throw TemplateError(
                kind: kind, message: failure.message,
                location: TemplateError.location(of: failure.offset, in: failure.template, fallbackName: name, origin: origin))
        } catch let error as TemplateError {
            throw error
        } catch let error as any LocatedError {
            throw error
        } catch {
            throw TemplateError(kind: .rendering, message: String(describing: error), location: origin)
        }
    }
}

/// A syntax error together with the source it was found in (for its location).
struct SyntaxFailure: Error {
    var error: SyntaxError
    var template: CompiledTemplate
}

extension TemplateOptions {
    /// What Ansible applies to every templated string: `trim_blocks` on.
    public static let ansible = TemplateOptions(
        trimBlocks: true, honoursHeaderOverrides: true, keepsBackslashesInExpressionStrings: true)
}
