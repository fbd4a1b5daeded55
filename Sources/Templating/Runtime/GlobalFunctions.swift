/// Functions callable by bare name in templates: Jinja2's globals plus Ansible's lookups.
enum GlobalFunctions {
    typealias Function = @Sendable (CallArguments, Renderer) throws -> Value

    static let table: [String: Function] = [
        "range": range,
        "dict": { arguments, _ in
            var dictionary = ValueDictionary()
            if let first = arguments.positional.first, case .dict(let base) = first { dictionary = base }
            for argument in arguments.keyword { dictionary[argument.name] = argument.value }
            return .dict(dictionary)
        },
        "namespace": { arguments, _ in
            var dictionary = ValueDictionary()
            if let first = arguments.positional.first, case .dict(let base) = first { dictionary = base }
            for argument in arguments.keyword { dictionary[argument.name] = argument.value }
            return .dict(dictionary)
        },
        "super": { _, renderer in
            guard let current = renderer.blockStack.last else {
                throw RenderFailure("super() can only be called inside a block", kind: .other)
            }
            guard current.level + 1 < current.chain.count else {
                throw RenderFailure("there is no parent block called '\(current.name)'.", kind: .undefined)
            }
            var output = Output()
            try renderer.renderBlock(current.name, chain: current.chain, level: current.level + 1, into: &output)
            return .string(output.string)
        },
        "lookup": { arguments, renderer in try Lookups.run(arguments, renderer: renderer, wantList: false) },
        "query": { arguments, renderer in try Lookups.run(arguments, renderer: renderer, wantList: true) },
        "q": { arguments, renderer in try Lookups.run(arguments, renderer: renderer, wantList: true) },
        // Outside `set` and `with` (which keep the object, see Renderer.evaluateBinding) a helper
        // object is only ever printed or passed on, which shows its repr as Jinja2 does.
        "cycler": { arguments, _ in .string(try Cycler(arguments).reprDescription) },
        "joiner": { arguments, _ in .string(try Joiner(arguments).reprDescription) },
        "lipsum": { arguments, _ in try LoremIpsum.generate(arguments) },
        "undef": { arguments, _ in
            let hint = try arguments.string(0, "hint", default: "")
            return .undefined(Undefined(hint: hint.isEmpty ? "Mandatory variable has not been overridden" : hint))
        },
    ]

    /// Globals that create a stateful helper object (see ``HelperObject``).
    static let helpers: [String: @Sendable (CallArguments) throws -> any HelperObject] = [
        "cycler": { arguments in try Cycler(arguments) },
        "joiner": { arguments in try Joiner(arguments) },
    ]

    private static func range(_ arguments: CallArguments, _ renderer: Renderer) throws -> Value {
        let numbers = try arguments.positional.map { value throws(RenderFailure) -> Int in
            if let number = value.integerValue { return number }
            if case .undefined(let undefined) = value { throw .undefined(undefined) }
            throw .type("'\(value.pythonTypeName)' object cannot be interpreted as an integer")
        }
        let start: Int, stop: Int, step: Int
        switch numbers.count {
        case 1: (start, stop, step) = (0, numbers[0], 1)
        case 2: (start, stop, step) = (numbers[0], numbers[1], 1)
        case 3: (start, stop, step) = (numbers[0], numbers[1], numbers[2])
        default: throw RenderFailure.type("range expected at most 3 arguments, got \(numbers.count)")
        }
        guard step != 0 else { throw RenderFailure("range() arg 3 must not be zero", kind: .value) }
        let count = step > 0 ? max(0, (stop - start + step - 1) / step) : max(0, (start - stop - step - 1) / -step)
        // Jinja2's sandbox caps ranges; a runaway range would exhaust memory before Python's would.
        guard count <= 1_000_000 else { throw RenderFailure("range too big, maximum size for range is 1000000", kind: .other) }
        return .list((0..<count).map { .int(start + $0 * step) })
    }
}
