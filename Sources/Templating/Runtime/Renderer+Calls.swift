/// Filters, tests, macro calls, global functions and method calls.
extension Renderer {
    func evaluateArguments(_ arguments: Arguments) throws -> CallArguments {
        var positional: [Value] = []
        positional.reserveCapacity(arguments.positional.count)
        for argument in arguments.positional { positional.append(try evaluate(argument)) }
        if let splat = arguments.splat { positional.append(contentsOf: try evaluate(splat).iterated()) }
        var keyword: [(name: String, value: Value)] = []
        for argument in arguments.keyword { keyword.append((argument.name, try evaluate(argument.value))) }
        if let splat = arguments.keywordSplat, case .dict(let dictionary) = try evaluate(splat) {
            for (key, value) in dictionary { keyword.append((key.displayString, value)) }
        }
        return CallArguments(positional: positional, keyword: keyword)
    }

    func applyFilter(_ call: FilterCall, to input: Value) throws -> Value {
        guard let filter = call.function else {
            throw RenderFailure("No filter named '\(call.name)'.", kind: .syntax, offset: call.offset)
                .located(at: call.offset, in: template)
        }
        if call.isPlainDefault {
            // What the `default` filter does with one positional argument, minus the argument list.
            let fallback = try call.arguments.positional.first.map { try evaluate($0) } ?? .string("")
            if case .undefined = input { return fallback }
            return input
        }
        let arguments = try evaluateArguments(call.arguments)
        do {
            if case .undefined(let undefined) = input, !call.acceptsUndefined {
                throw RenderFailure.undefined(undefined)
            }
            return try filter(input, arguments, self)
        } catch { throw locate(error, at: call.offset) }
    }

    /// Runs a filter by name on already evaluated arguments (for `map('name', …)`).
    func applyFilter(named name: String, to input: Value, arguments: CallArguments) throws -> Value {
        guard let filter = engine.filters[name] ?? engine.filters[Self.shortName(name)] else {
            throw RenderFailure("No filter named '\(name)'.", kind: .other)
        }
        if case .undefined(let undefined) = input, !FilterLibrary.acceptsUndefined(name) {
            throw RenderFailure.undefined(undefined)
        }
        return try filter(input, arguments, self)
    }

    func applyTest(_ call: TestCall, to input: Value) throws -> Bool {
        guard let test = call.function else {
            throw RenderFailure("No test named '\(call.name)'.", kind: .syntax, offset: call.offset)
                .located(at: call.offset, in: template)
        }
        let arguments = try evaluateArguments(call.arguments)
        do {
            if case .undefined(let undefined) = input, !call.acceptsUndefined {
                throw RenderFailure.undefined(undefined)
            }
            return try test(input, arguments, self)
        } catch { throw locate(error, at: call.offset) }
    }

    func applyTest(named name: String, to input: Value, arguments: CallArguments) throws -> Bool {
        guard let test = engine.tests[name] ?? engine.tests[Self.shortName(name)] else {
            throw RenderFailure("No test named '\(name)'.", kind: .other)
        }
        if case .undefined(let undefined) = input, !TestLibrary.acceptsUndefined(name) {
            throw RenderFailure.undefined(undefined)
        }
        return try test(input, arguments, self)
    }

    /// `ansible.builtin.to_json` → `to_json`; `community.general.dict_kv` → `dict_kv`.
    static func shortName(_ name: String) -> String {
        guard let dot = name.lastIndex(of: ".") else { return name }
        return String(name[name.index(after: dot)...])
    }

    func call(_ callee: Expression, _ arguments: Arguments, offset: Int) throws -> Value {
        switch callee {
        case .name(let name, _):
            let binding = try binding(of: name)
            switch binding {
            case .macro(let macro)?:
                return .string(try callMacro(macro, try evaluateArguments(arguments), caller: nil))
            case .loop(let loop)?:
                let argumentValues = try evaluateArguments(arguments)
                guard let recurse = loop.recurse, let children = argumentValues.positional.first else {
                    throw RenderFailure.type("'LoopContext' object is not callable")
                }
                return .string(try recurse(children))
            case .value(let value)?:
                if case .undefined(let undefined) = value { throw RenderFailure.undefined(undefined) }
                throw RenderFailure.type("'\(value.pythonTypeName)' object is not callable")
            case .module?:
                throw RenderFailure.type("'module' object is not callable")
            case .helper(let object)?:
                return try object.call(try evaluateArguments(arguments))
            case nil:
                guard let function = GlobalFunctions.table[name] else {
                    throw RenderFailure.undefined(Undefined.name(name))
                }
                return try function(try evaluateArguments(arguments), self)
            }
        case .attribute(let base, let method, _):
            if case .name(let baseName, _) = base, let binding = try binding(of: baseName) {
                switch binding {
                case .module(let module):
                    guard case .macro(let macro)? = module.frame[method] else {
                        throw RenderFailure.undefined(Undefined(hint: "'\(baseName)' has no attribute '\(method)'"))
                    }
                    return .string(try callMacro(macro, try evaluateArguments(arguments), caller: nil))
                case .loop(let loop):
                    return try callLoopMethod(loop, method, try evaluateArguments(arguments))
                case .helper(let object):
                    return try object.callMethod(method, try evaluateArguments(arguments))
                case .macro, .value:
                    break
                }
            }
            // `cycler(1, 2).next()`: the base may create a helper object rather than a value.
            switch try evaluateBinding(base) {
            case .helper(let object):
                return try object.callMethod(method, try evaluateArguments(arguments))
            case .value(let receiver):
                return try MethodCalls.call(method, on: receiver, arguments: try evaluateArguments(arguments))
            default:
                return try MethodCalls.call(method, on: try evaluate(base), arguments: try evaluateArguments(arguments))
            }
        default:
            let value = try evaluate(callee)
            if case .undefined(let undefined) = value { throw RenderFailure.undefined(undefined) }
            throw RenderFailure.type("'\(value.pythonTypeName)' object is not callable")
        }
    }

    private func callLoopMethod(_ loop: LoopState, _ method: String, _ arguments: CallArguments) throws -> Value {
        switch method {
        case "cycle":
            guard !arguments.positional.isEmpty else { throw RenderFailure.type("no items for cycling given") }
            return arguments.positional[loop.index0 % arguments.positional.count]
        case "changed":
            let changed = loop.lastChangedArguments.map { previous in
                previous.count != arguments.positional.count
                    || zip(previous, arguments.positional).contains { !$0.0.pythonEquals($0.1) }
            } ?? true
            loop.lastChangedArguments = arguments.positional
            return .bool(changed)
        default:
            throw RenderFailure.undefined(Undefined(hint: "'LoopContext object' has no attribute '\(method)'"))
        }
    }

    /// Calls a macro with Jinja2's argument binding; returns its rendered body.
    func callMacro(_ macro: Macro, _ arguments: CallArguments, caller: Macro?) throws -> String {
        let definition = macro.definition
        var frame: Frame = [:]
        let parameters = definition.parameters
        if arguments.positional.count > parameters.count && !definition.usesVarargs {
            throw RenderFailure.type(
                "macro '\(definition.name)' takes not more than \(parameters.count) argument(s)")
        }
        var extraKeywords = ValueDictionary()
        for argument in arguments.keyword {
            if parameters.contains(where: { $0.name == argument.name }) {
                frame[argument.name] = .value(argument.value)
            } else if argument.name == "caller" && definition.usesCaller {
                continue
            } else if definition.usesKwargs {
                extraKeywords[argument.name] = argument.value
            } else {
                throw RenderFailure.type("macro '\(definition.name)' takes no keyword argument '\(argument.name)'")
            }
        }
        for (index, parameter) in parameters.enumerated() {
            if index < arguments.positional.count {
                if frame[parameter.name] != nil {
                    throw RenderFailure.type("macro '\(definition.name)' got multiple values for argument '\(parameter.name)'")
                }
                frame[parameter.name] = .value(arguments.positional[index])
            }
        }
        if definition.usesVarargs {
            frame["varargs"] = .value(.list(Array(arguments.positional.dropFirst(parameters.count))))
        }
        if definition.usesKwargs { frame["kwargs"] = .value(.dict(extraKeywords)) }
        if let caller { frame["caller"] = .macro(caller) }
        let savedFrames = frames
        let savedTemplate = template
        depth += 1
        defer {
            frames = savedFrames
            template = savedTemplate
            depth -= 1
        }
        guard depth < 200 else { throw RenderFailure("maximum recursion depth exceeded", kind: .other) }
        if let callerFrames = macro.callerFrames {
            frames = callerFrames
        } else {
            frames = [macro.moduleFrame ?? savedFrames[0]]
        }
        frames.append(frame)
        template = macro.template
        // Defaults are evaluated in the macro's scope, after the arguments before them are bound.
        for parameter in parameters where frames[frames.count - 1][parameter.name] == nil {
            if let defaultValue = parameter.defaultValue {
                frames[frames.count - 1][parameter.name] = .value(try evaluate(defaultValue))
            } else {
                frames[frames.count - 1][parameter.name] = .value(
                    .undefined(Undefined(hint: "parameter '\(parameter.name)' was not provided")))
            }
        }
        return try renderToString(definition.body)
    }
}
