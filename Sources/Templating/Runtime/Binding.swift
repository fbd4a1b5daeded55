/// What a name is bound to while rendering: a plain value, or one of the runtime objects Jinja2
/// has that are not data (macros, `loop`, imported template modules).
enum Binding {
    case value(Value)
    case macro(Macro)
    case loop(LoopState)
    case module(TemplateModule)
    /// A `cycler(…)` or `joiner(…)`, bound by reference so its state is shared.
    case helper(any HelperObject)
}

/// A macro ready to call: its definition plus where it resolves free names.
final class Macro {
    let definition: MacroDefinition
    /// The template the macro's body belongs to (for error locations and nested imports).
    let template: CompiledTemplate
    /// Root variables of an imported template; nil means "the calling template's root frame".
    let moduleFrame: Frame?
    /// For a call block's `caller`: the frames at the `{% call %}` site.
    let callerFrames: [Frame]?

    init(
        definition: MacroDefinition, template: CompiledTemplate, moduleFrame: Frame? = nil,
        callerFrames: [Frame]? = nil
    ) {
        self.definition = definition
        self.template = template
        self.moduleFrame = moduleFrame
        self.callerFrames = callerFrames
    }
}

/// The root namespace of an imported template (`{% import 'x' as m %}`).
final class TemplateModule {
    let frame: Frame

    init(frame: Frame) {
        self.frame = frame
    }
}

/// Jinja2's `loop` object for one running for-loop.
final class LoopState {
    let items: [Value]
    var index0 = 0
    let depth0: Int
    var lastChangedArguments: [Value]?
    /// Re-enters the loop body for `loop(children)` in recursive loops.
    let recurse: ((Value) throws -> String)?

    init(items: [Value], depth0: Int, recurse: ((Value) throws -> String)?) {
        self.items = items
        self.depth0 = depth0
        self.recurse = recurse
    }

    func attribute(_ name: String) -> Value? {
        let length = items.count
        switch name {
        case "index": return .int(index0 + 1)
        case "index0": return .int(index0)
        case "revindex": return .int(length - index0)
        case "revindex0": return .int(length - index0 - 1)
        case "first": return .bool(index0 == 0)
        case "last": return .bool(index0 == length - 1)
        case "length": return .int(length)
        case "depth": return .int(depth0 + 1)
        case "depth0": return .int(depth0)
        case "previtem":
            return index0 > 0 ? items[index0 - 1] : .undefined(Undefined(hint: "there is no previous item"))
        case "nextitem":
            return index0 + 1 < length ? items[index0 + 1] : .undefined(Undefined(hint: "there is no next item"))
        default: return nil
        }
    }

    /// The loop as a plain dictionary (when `loop` itself is printed or passed on).
    var asValue: Value {
        var dictionary = ValueDictionary()
        for key in ["index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0"] {
            dictionary[key] = attribute(key)
        }
        return .dict(dictionary)
    }
}
