import Diagnostics
import ModuleAPI
import Templating

/// Checks templated arguments against a spec at run time: canonical names, defaults and types.
enum ModuleArguments {
    static func bind(_ arguments: ValueDictionary, to spec: ArgumentSpec?, at location: SourceLocation?,
        module: String = "") throws -> ValueDictionary
    {
        guard let spec else { return arguments }
        return try ArgumentValidation.validate(
            arguments, against: spec, module: module, location: location, skipTemplated: false)
    }

    static func bind(_ arguments: ValueDictionary, to spec: ModuleSpec, at location: SourceLocation?) throws
        -> ValueDictionary
    {
        try bind(arguments, to: spec.arguments, at: location, module: spec.name)
    }
}
