/// Evaluated arguments of a filter, test, function or method call.
struct CallArguments {
    var positional: [Value]
    var keyword: [(name: String, value: Value)]

    init(positional: [Value] = [], keyword: [(name: String, value: Value)] = []) {
        self.positional = positional
        self.keyword = keyword
    }

    /// The argument at `index`, or the keyword `name`, or nil.
    func value(_ index: Int, _ name: String? = nil) -> Value? {
        if index < positional.count { return positional[index] }
        if let name { return keyword.first { $0.name == name }?.value }
        return nil
    }

    func named(_ name: String) -> Value? {
        keyword.first { $0.name == name }?.value
    }

    /// Raises the same TypeError Python does for unexpected keyword arguments.
    func rejectUnknownKeywords(_ allowed: [String], function: String) throws(RenderFailure) {
        for argument in keyword where !allowed.contains(argument.name) {
            throw .type("\(function)() got an unexpected keyword argument '\(argument.name)'")
        }
    }

    func requireAtMost(_ count: Int, function: String) throws(RenderFailure) {
        if positional.count > count {
            throw .type("\(function)() takes at most \(count) argument\(count == 1 ? "" : "s") (\(positional.count) given)")
        }
    }

    func string(_ index: Int, _ name: String? = nil, default defaultValue: String) throws(RenderFailure) -> String {
        guard let value = value(index, name) else { return defaultValue }
        return try value.pythonString()
    }

    func integer(_ index: Int, _ name: String? = nil, default defaultValue: Int) throws(RenderFailure) -> Int {
        guard let value = value(index, name) else { return defaultValue }
        if let number = value.integerValue { return number }
        if case .float(let number) = value { return Int(number) }
        if case .undefined(let undefined) = value { throw .undefined(undefined) }
        throw .type("'\(value.pythonTypeName)' object cannot be interpreted as an integer")
    }

    func bool(_ index: Int, _ name: String? = nil, default defaultValue: Bool) throws(RenderFailure) -> Bool {
        guard let value = value(index, name) else { return defaultValue }
        return try value.truthy()
    }
}

/// A filter: input value and arguments in, value out.
typealias FilterFunction = @Sendable (_ input: Value, _ arguments: CallArguments, _ renderer: Renderer) throws -> Value

/// A test (`is name`): input value and arguments in, truth out.
typealias TestFunction = @Sendable (_ input: Value, _ arguments: CallArguments, _ renderer: Renderer) throws -> Bool
