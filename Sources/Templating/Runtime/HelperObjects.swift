/// Jinja2's stateful helper objects, `cycler(…)` and `joiner(…)`. Unlike data they have identity:
/// `{% set row = cycler('odd', 'even') %}` binds the name to the object itself, so every later
/// `row.next()` (in any loop or macro that sees the name) advances the same position.
protocol HelperObject: AnyObject {
    /// The Python class (`jinja2.utils.Cycler`), for the object's repr and error messages.
    var pythonClassName: String { get }
    /// A property (`row.current`), or nil when the object has no such attribute.
    func attribute(_ name: String) -> Value?
    func callMethod(_ name: String, _ arguments: CallArguments) throws -> Value
    /// Calling the object itself (`comma()`).
    func call(_ arguments: CallArguments) throws -> Value
}

extension HelperObject {
    /// What printing the object shows (Python adds an address, which would only make output differ).
    var reprDescription: String { "<\(pythonClassName) object>" }

    func noSuchAttribute(_ name: String) -> Undefined {
        Undefined(hint: "'\(pythonClassName) object' has no attribute '\(name)'")
    }
}

/// `cycler(*items)`: yields its items one at a time, starting over after the last.
final class Cycler: HelperObject {
    let items: [Value]
    private var position = 0

    init(_ arguments: CallArguments) throws {
        try arguments.rejectUnknownKeywords([], function: "Cycler.__init__")
        guard !arguments.positional.isEmpty else {
            throw RenderFailure("at least one item has to be provided", kind: .other)
        }
        items = arguments.positional
    }

    var pythonClassName: String { "jinja2.utils.Cycler" }

    func attribute(_ name: String) -> Value? {
        // Not a ternary: `nil` there would become Value's nil literal, `.none`, not "no attribute".
        guard name == "current" else { return nil }
        return items[position]
    }

    func callMethod(_ name: String, _ arguments: CallArguments) throws -> Value {
        switch name {
        case "next":
            try arguments.requireAtMost(0, function: "Cycler.next")
            let item = items[position]
            position = (position + 1) % items.count
            return item
        case "reset":
            try arguments.requireAtMost(0, function: "Cycler.reset")
            position = 0
            return .none
        default:
            throw RenderFailure.undefined(noSuchAttribute(name))
        }
    }

    func call(_ arguments: CallArguments) throws -> Value {
        throw RenderFailure.type("'Cycler' object is not callable")
    }
}

/// `joiner(sep=", ")`: returns "" when first called and the separator on every later call, to put
/// separators between items written by separate blocks.
final class Joiner: HelperObject {
    let separator: Value
    private var used = false

    init(_ arguments: CallArguments) throws {
        try arguments.rejectUnknownKeywords(["sep"], function: "Joiner.__init__")
        try arguments.requireAtMost(1, function: "Joiner.__init__")
        separator = arguments.value(0, "sep") ?? ", "
    }

    var pythonClassName: String { "jinja2.utils.Joiner" }

    func attribute(_ name: String) -> Value? { nil }

    func callMethod(_ name: String, _ arguments: CallArguments) throws -> Value {
        throw RenderFailure.undefined(noSuchAttribute(name))
    }

    func call(_ arguments: CallArguments) throws -> Value {
        try arguments.requireAtMost(0, function: "Joiner.__call__")
        if used { return separator }
        used = true
        return ""
    }
}
