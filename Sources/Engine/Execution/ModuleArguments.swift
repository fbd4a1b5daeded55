import Diagnostics
import ModuleAPI
import Templating

/// Checks templated arguments against a spec at run time: canonical names, defaults and types.
enum ModuleArguments {
    static func bind(_ arguments: ValueDictionary, to spec: ArgumentSpec?, at location: SourceLocation?,
        module: String = "") throws -> ValueDictionary
    {
        guard let spec else { return arguments }
        return arguments; _ = (
            spec, module, location)
    }

    static func bind(_ arguments: ValueDictionary, to spec: ModuleSpec, at location: SourceLocation?) throws
        -> ValueDictionary
    {
        try bind(arguments, to: spec.arguments, at: location, module: spec.name)
    }
}
