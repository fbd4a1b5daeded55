/// Statement execution: output, control flow, assignments, macros and template composition.
extension Renderer {
    func render(_ node: Node, into output: inout Output) throws {
        switch node {
        case .text(let text):
            emittedChunks += 1
            output.append(text)
        case .output(let expression, let offset):
            let value = try evaluate(expression)
            do { try write(value, into: &output) } catch {
                throw locate(error, at: Self.offset(of: expression) ?? offset)
            }
        case .conditional(let branches, let otherwise):
            for branch in branches where try truth(try evaluate(branch.condition), at: branch.condition) {
                try render(branch.body, into: &output)
                return
            }
            if let otherwise { try render(otherwise, into: &output) }
        case .forLoop(let loop):
            try renderLoop(loop, iterable: nil, depth0: 0, into: &output)
        case .assign(.name(let name), let expression, _):
            assign(name, try evaluateBinding(expression))
        case .assign(let target, let expression, let offset):
            try assign(target, try evaluate(expression), offset: offset)
        case .assignBlock(let target, let filters, let body):
            var value = Value.string(try withFrame { try renderToString(body) })
            for filter in filters { value = try applyFilter(filter, to: value) }
            try assign(target, value, offset: 0)
        case .macro(let definition):
            assign(definition.name, .macro(Macro(definition: definition, template: template)))
        case .callBlock(let call, let definition, let offset):
            try renderCallBlock(call, definition, offset: offset, into: &output)
        case .filterBlock(let filters, let body):
            var value = Value.string(try withFrame { try renderToString(body) })
            for filter in filters { value = try applyFilter(filter, to: value) }
            try write(value, into: &output)
        case .include(let name, let ignoreMissing, let withContext, let offset):
            try renderInclude(name, ignoreMissing: ignoreMissing, withContext: withContext, offset: offset, into: &output)
        case .importAll(let name, let alias, let withContext, let offset):
            let module = try importModule(name, withContext: withContext, offset: offset)
            assign(alias, .module(module))
        case .importNames(let name, let names, let withContext, let offset):
            let module = try importModule(name, withContext: withContext, offset: offset)
            for (name, alias) in names {
                guard let binding = module.frame[name] else {
                    throw RenderFailure("the template does not export the requested name '\(name)'", offset: offset)
                }
                assign(alias, binding)
            }
        case .block(let name, let body, _, _):
            let chain = blockChains[name] ?? [(body, template)]
            try renderBlock(name, chain: chain, level: 0, into: &output)
        case .extends:
            // Handled by renderRoot before any other node runs.
            break
        case .scope(let assignments, let body):
            var frame: Frame = [:]
            for (target, expression) in assignments {
                if case .name(let name) = target {
                    frame[name] = try evaluateBinding(expression)
                    continue
                }
                let value = try evaluate(expression)
                for (name, element) in try Self.destructure(target, value) { frame[name] = .value(element) }
            }
            try withFrame(frame) { try render(body, into: &output) }
        case .expressionStatement(let expression):
            _ = try evaluate(expression)
        }
    }

    static func destructure(_ target: AssignTarget, _ value: Value) throws -> [(String, Value)] {
        switch target {
        case .name(let name): return [(name, value)]
        case .tuple(let targets):
            let items = try value.iterated()
            guard items.count == targets.count else {
                throw RenderFailure("not enough values to unpack (expected \(targets.count), got \(items.count))", kind: .value)
            }
            return try zip(targets, items).flatMap { try destructure($0.0, $0.1) }
        case .namespaceAttribute: return []
        }
    }

    /// Renders the whole template, following `{% extends %}` up to the base template.
    func renderRoot(_ root: CompiledTemplate, into output: inout Output) throws {
        var current = root
        while true {
            template = current
            for (name, body) in current.blocks { blockChains[name, default: []].append((body, current)) }
            guard let extendsIndex = current.nodes.firstIndex(where: { if case .extends = $0 { return true } else { return false } })
            else {
                try render(current.nodes, into: &output)
                return
            }
            // Output before `extends` is printed; after it, only side effects (set, macro, import) count.
            try render(Array(current.nodes[..<extendsIndex]), into: &output)
            var discarded = Output()
            for node in current.nodes[(extendsIndex + 1)...] {
                if case .block = node { continue }
                try render(node, into: &discarded)
            }
            guard case .extends(let parentName, let offset) = current.nodes[extendsIndex] else { return }
            current = try loadTemplate(try evaluate(parentName), offset: offset)
            depth += 1
            guard depth < 50 else { throw RenderFailure("template inheritance is too deep", offset: offset) }
        }
    }

    func renderBlock(
        _ name: String, chain: [(body: [Node], template: CompiledTemplate)], level: Int, into output: inout Output
    ) throws {
        let savedTemplate = template
        template = chain[level].template
        blockStack.append((name, level, chain))
        defer {
            blockStack.removeLast()
            template = savedTemplate
        }
        try withFrame { try render(chain[level].body, into: &output) }
    }

    func renderLoop(_ loop: ForLoop, iterable override: Value?, depth0: Int, into output: inout Output) throws {
        let iterable = try override ?? evaluate(loop.iterable)
        var items: [Value]
        do { items = try iterable.iterated() } catch {
            throw locate(error, at: Self.offset(of: loop.iterable) ?? loop.offset)
        }
        if let condition = loop.condition {
            var kept: [Value] = []
            try withFrame {
                for item in items {
                    try assign(loop.target, item, offset: loop.offset)
                    if try truth(try evaluate(condition), at: condition) { kept.append(item) }
                }
            }
            items = kept
        }
        if items.isEmpty {
            if let otherwise = loop.otherwise { try render(otherwise, into: &output) }
            return
        }
        let recurse: ((Value) throws -> String)?
        if loop.recursive {
            recurse = { [unowned self] children in
                var nested = Output()
                try self.renderLoop(loop, iterable: children, depth0: depth0 + 1, into: &nested)
                return nested.string
            }
        } else {
            recurse = nil
        }
        let state = LoopState(items: items, depth0: depth0, recurse: recurse)
        frames.append(Frame(loop: state, variableCount: loop.target.names.count))
        defer { frames.removeLast() }
        let frameIndex = frames.count - 1
        for (index, item) in items.enumerated() {
            state.index0 = index
            if case .name(let name) = loop.target {
                frames[frameIndex][name] = .value(item)
            } else {
                try assign(loop.target, item, offset: loop.offset)
            }
            try render(loop.body, into: &output)
        }
    }

    private func renderCallBlock(
        _ call: Expression, _ definition: MacroDefinition, offset: Int, into output: inout Output
    ) throws {
        guard case .call(let callee, let arguments, let callOffset) = call else { return }
        let caller = Macro(definition: definition, template: template, callerFrames: frames)
        var target: Macro?
        switch callee {
        case .name(let name, _):
            if case .macro(let macro)? = try binding(of: name) { target = macro }
        case .attribute(.name(let base, _), let name, _):
            if case .module(let module)? = try binding(of: base), case .macro(let macro)? = module.frame[name] {
                target = macro
            }
        default: break
        }
        guard let target else {
            throw RenderFailure("the callee of a call block must be a macro", kind: .type, offset: callOffset)
        }
        do {
            output.append(try callMacro(target, try evaluateArguments(arguments), caller: caller))
        } catch { throw locate(error, at: offset) }
    }

    func loadTemplate(_ nameValue: Value, offset: Int) throws -> CompiledTemplate {
        let names: [String]
        switch nameValue {
        case .list(let items): names = items.map(\.displayString)
        default: names = [try nameValue.pythonString()]
        }
        for name in names {
            if let compiled = try engine.loadCompiled(named: name, relativeTo: template.name, options: options) {
                return compiled
            }
        }
        let shown = names.count == 1 ? names[0] : names.joined(separator: ", ")
        throw RenderFailure("the template '\(shown)' was not found", kind: .other, offset: offset)
    }

    private func renderInclude(
        _ nameExpression: Expression, ignoreMissing: Bool, withContext: Bool, offset: Int, into output: inout Output
    ) throws {
        let nameValue = try evaluate(nameExpression)
        let included: CompiledTemplate
        do { included = try loadTemplate(nameValue, offset: offset) } catch {
            if ignoreMissing { return }
            throw locate(error, at: offset)
        }
        let saved = (frames, template, blockChains)
        defer { (frames, template, blockChains) = saved }
        depth += 1
        defer { depth -= 1 }
        guard depth < 50 else { throw RenderFailure("include nesting is too deep", offset: offset) }
        if !withContext { frames = [[:]] } else { frames.append([:]) }
        blockChains = [:]
        try renderRoot(included, into: &output)
    }

    private func importModule(_ nameExpression: Expression, withContext: Bool, offset: Int) throws -> TemplateModule {
        let imported = try loadTemplate(try evaluate(nameExpression), offset: offset)
        let saved = (frames, template, blockChains)
        defer { (frames, template, blockChains) = saved }
        frames = withContext ? saved.0 + [[:]] : [[:]]
        blockChains = [:]
        var discarded = Output()
        try renderRoot(imported, into: &discarded)
        let rootFrame = frames[frames.count - 1]
        var exported: Frame = [:]
        for (name, binding) in rootFrame where !name.hasPrefix("_") {
            if case .macro(let macro) = binding {
                exported[name] = .macro(Macro(definition: macro.definition, template: macro.template, moduleFrame: rootFrame))
            } else {
                exported[name] = binding
            }
        }
        return TemplateModule(frame: exported)
    }
}
