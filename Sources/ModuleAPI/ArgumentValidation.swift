import Diagnostics
import Foundation
import Templating

/// Finds where an argument is written: `path` starts with the argument name and continues into
/// nested `dictOf` options; `key` asks for the name's location rather than the value's.
public typealias ArgumentLocator = (_ path: [String], _ key: Bool) -> SourceLocation?

/// A task's arguments do not match the module's ``ArgumentSpec``.
public struct ArgumentError: LocatedError, Equatable {
    public var message: String
    public var location: SourceLocation?
    public var notes: [String]

    public init(_ message: String, at location: SourceLocation?, notes: [String] = []) {
        self.message = message
        self.location = location
        self.notes = notes
    }
}

/// Validates and normalizes a task's arguments against an ``ArgumentSpec`` the way Ansible's
/// `ArgumentSpecValidator` does: aliases to canonical names, unknown names (with "did you mean"),
/// mutually exclusive, required, required together / one of / if, defaults, type conversions
/// (`'yes'` → true, `'8'` → 8, `'a,b'` → list, `k=v` text → dict, …), choices, nested `dictOf`.
public enum ArgumentValidation {
    /// Returns the arguments with canonical names, converted types and defaults added.
    ///
    /// - Parameters:
    ///   - arguments: the task's arguments (before or after templating).
    ///   - spec: the module's argument spec.
    ///   - module: the module name used in messages.
    ///   - location: the action's location, for errors about missing arguments.
    ///   - locate: the location of each argument, for errors about one argument.
    ///   - skipTemplated: at load time (true), values that contain `{{`/`{%` are kept as they are and
    ///     their type, choices and `required_if` checks wait for the run-time call (false).
    public static func validate(
        _ arguments: ValueDictionary, against spec: ArgumentSpec, module: String, location: SourceLocation?,
        locate: @escaping ArgumentLocator = { _, _ in nil }, skipTemplated: Bool
    ) throws(ArgumentError) -> ValueDictionary {
        var validator = Validator(module: module, location: location, locate: locate, skipTemplated: skipTemplated)
        return try validator.validate(arguments, spec, path: [])
    }

    /// Ansible's `boolean()`: `yes/no/on/off/true/false/y/n/t/f/1/0` in any case; nil otherwise.
    public static func bool(_ text: String) -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "y", "yes", "on", "1", "true", "t": return true
        case "n", "no", "off", "0", "false", "f": return false
        default: return nil
        }
    }

    /// True when `value` contains Jinja2 syntax anywhere.
    public static func isTemplated(_ value: Value) -> Bool {
        switch value {
        case .string(let text): return text.contains("{{") || text.contains("{%") || text.contains("{#")
        case .list(let elements): return elements.contains(where: isTemplated)
        case .dict(let dictionary): return dictionary.contains { isTemplated($0.key) || isTemplated($0.value) }
        default: return false
        }
    }
}

private struct Validator {
    let module: String
    let location: SourceLocation?
    let locate: ArgumentLocator
    let skipTemplated: Bool

    func at(_ path: [String], key: Bool = false) -> SourceLocation? {
        locate(path, key) ?? (path.count > 1 ? locate(Array(path.dropLast()), false) : nil) ?? location
    }

    func label(_ path: [String]) -> String { path.joined(separator: ".") }

    mutating func validate(_ input: ValueDictionary, _ spec: ArgumentSpec, path: [String]) throws(ArgumentError)
        -> ValueDictionary
    {
        var aliasToName: [String: String] = [:]
        for (name, option) in spec.options {
            for alias in option.aliases { aliasToName[alias] = name }
        }
        // Canonical names; remember what the user wrote for locations.
        var values = ValueDictionary()
        var written: [String: String] = [:]
        for (key, value) in input {
            let key = keyText(key)
            if spec.options[key] != nil {
                values[key] = value
                written[key] = written[key] ?? key
            } else if let name = aliasToName[key] {
                values[name] = value
                written[name] = key
            } else if key == "_raw_params" && spec.freeForm {
                values[key] = value
                written[key] = key
            } else if spec.passesOtherArguments {
                values[key] = value
                written[key] = key
            } else if !key.hasPrefix("_ansible_") {
                let known = spec.options.keys.sorted()
                let aliases = spec.options.flatMap { name, option in option.aliases.map { "\($0) (\(name))" } }
                var notes = ["supported parameters include: " + (known + aliases).sorted().joined(separator: ", ")]
                if let close = closest(key, among: known + Array(aliasToName.keys)) {
                    notes.insert("did you mean '\(close)'?", at: 0)
                }
                throw ArgumentError(
                    "unsupported parameter for module '\(module)': '\(label(path + [key]))'",
                    at: at(path + [key], key: true), notes: notes)
            }
        }
        func locationOf(_ name: String, key: Bool = false) -> SourceLocation? {
            at(path + [written[name] ?? name], key: key)
        }
        func present(_ name: String) -> Bool { values[name] != nil && values[name] != Value.none }

        for group in spec.mutuallyExclusive {
            let given = group.filter(present)
            if given.count > 1 {
                throw ArgumentError(
                    "parameters are mutually exclusive: " + group.map { label(path + [$0]) }.joined(separator: "|"),
                    at: locationOf(given[1], key: true))
            }
        }
        let missing = spec.options.keys.sorted().filter { spec.options[$0]?.required == true && !present($0) }
        if !missing.isEmpty {
            throw ArgumentError(
                "missing required arguments: " + missing.map { label(path + [$0]) }.joined(separator: ", "),
                at: path.isEmpty ? location : at(path))
        }
        for group in spec.requiredTogether {
            let given = group.filter(present)
            if !given.isEmpty && given.count != group.count {
                throw ArgumentError(
                    "parameters are required together: " + group.map { label(path + [$0]) }.joined(separator: ", "),
                    at: locationOf(given[0], key: true))
            }
        }
        for group in spec.requiredOneOf where !group.contains(where: present) {
            throw ArgumentError(
                "one of the following is required: " + group.map { label(path + [$0]) }.joined(separator: ", "),
                at: path.isEmpty ? location : at(path))
        }
        // Defaults, then types, so that required_if and choices see converted values.
        for name in spec.options.keys.sorted() where values[name] == nil {
            if let defaultValue = spec.options[name]?.defaultValue { values[name] = defaultValue }
        }
        for name in values.keys.compactMap(\.string) {
            guard let option = spec.options[name], let value = values[name], value != Value.none else { continue }
            values[name] = try convert(value, option, path: path + [written[name] ?? name])
        }
        for (name, expected, requirements) in spec.requiredIf {
            guard let actual = values[name], !(skipTemplated && ArgumentValidation.isTemplated(actual)),
                actual == expected
            else { continue }
            let absent = requirements.filter { !present($0) }
            if !absent.isEmpty {
                throw ArgumentError(
                    "\(label(path + [name])) is \(render(expected)) but all of the following are missing: "
                        + absent.map { label(path + [$0]) }.joined(separator: ", "),
                    at: locationOf(name))
            }
        }
        return values
    }

    mutating func convert(_ value: Value, _ option: OptionSpec, path: [String]) throws(ArgumentError) -> Value {
        if skipTemplated && ArgumentValidation.isTemplated(value) { return value }
        let converted = try convert(value, kind: option.kind, path: path)
        if let choices = option.choices {
            let candidates = converted.array ?? [converted]
            for candidate in candidates where !choices.contains(candidate) {
                if skipTemplated && ArgumentValidation.isTemplated(candidate) { continue }
                let names = choices.map(render)
                var notes: [String] = []
                if let close = closest(render(candidate), among: names) { notes.append("did you mean '\(close)'?") }
                throw ArgumentError(
                    "value of '\(label(path))' must be one of: \(names.joined(separator: ", ")), got: \(render(candidate))",
                    at: at(path), notes: notes)
            }
        }
        return converted
    }

    mutating func convert(_ value: Value, kind: OptionSpec.Kind, path: [String]) throws(ArgumentError) -> Value {
        func fail(_ expected: String) -> ArgumentError {
            ArgumentError(
                "argument '\(label(path))' is of type \(typeName(value)) and we were unable to convert to \(expected)",
                at: at(path))
        }
        switch kind {
        case .raw:
            return value
        case .string, .path:
            switch value {
            case .string: return value
            case .int, .float, .bool: return .string(render(value))
            default: throw fail("str")
            }
        case .bool:
            switch value {
            case .bool: return value
            case .int(let number) where number == 0 || number == 1: return .bool(number == 1)
            case .float(let number) where number == 0 || number == 1: return .bool(number == 1)
            case .string(let text):
                guard let bool = ArgumentValidation.bool(text) else {
                    throw ArgumentError(
                        "argument '\(label(path))' must be a boolean, got '\(text)'", at: at(path),
                        notes: ["valid booleans include: yes, no, true, false, on, off, 1, 0"])
                }
                return .bool(bool)
            default: throw fail("bool")
            }
        case .int:
            switch value {
            case .int: return value
            case .float(let number) where number.rounded() == number: return .int(Int(number))
            case .string(let text):
                guard let number = Int(text.trimmingCharacters(in: .whitespaces)) else { throw fail("int") }
                return .int(number)
            default: throw fail("int")
            }
        case .float:
            switch value {
            case .float: return value
            case .int(let number): return .float(Double(number))
            case .string(let text):
                guard let number = Double(text.trimmingCharacters(in: .whitespaces)) else { throw fail("float") }
                return .float(number)
            default: throw fail("float")
            }
        case .jsonarg:
            switch value {
            case .string(let text): return .string(text.trimmingCharacters(in: .whitespacesAndNewlines))
            case .list, .dict: return .string(JSON.text(value, .python))
            default: throw fail("jsonarg")
            }
        case .mode:
            switch value {
            case .int: return value
            case .string(let text) where isMode(text): return value
            default:
                throw ArgumentError(
                    "argument '\(label(path))' must be an octal mode like '0644' or a symbolic mode like 'u=rw,g=r', got '\(render(value))'",
                    at: at(path))
            }
        case .list(let elements):
            let list: [Value]
            switch value {
            case .list(let items): list = items
            case .string(let text): list = text.split(separator: ",").map { .string(String($0)) }
            case .int, .float, .bool: list = [.string(render(value))]
            default: throw fail("list")
            }
            guard let elements else { return .list(list) }
            var converted: [Value] = []
            for (index, element) in list.enumerated() {
                if skipTemplated && ArgumentValidation.isTemplated(element) {
                    converted.append(element)
                    continue
                }
                converted.append(try convert(element, kind: elements, path: path + ["\(index)"]))
            }
            return .list(converted)
        case .dict:
            return .dict(try dictionary(value, fail: fail("dict")))
        case .dictOf(let spec):
            return .dict(try validate(try dictionary(value, fail: fail("dict")), spec, path: path))
        }
    }

    /// A dict from a dict, JSON text or `k=v, k2=v2` text (Ansible's `check_type_dict`).
    func dictionary(_ value: Value, fail: ArgumentError) throws(ArgumentError) -> ValueDictionary {
        switch value {
        case .dict(let dictionary): return dictionary
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("{") {
                guard let parsed = (try? JSON.parse(trimmed.utf8))?.dictionary else { throw fail }
                return parsed
            }
            var result = ValueDictionary()
            for field in trimmed.split(whereSeparator: { $0 == "," || $0 == " " }) where !field.isEmpty {
                let parts = field.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { throw fail }
                result[String(parts[0])] = .string(String(parts[1]))
            }
            return result
        default:
            throw fail
        }
    }

    func isMode(_ text: String) -> Bool {
        if !text.isEmpty && text.allSatisfy({ ("0"..."7").contains($0) }) { return true }
        // Symbolic: comma-separated [ugoa]*[-+=][rwxXstugo]*
        return !text.isEmpty && text.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { clause in
            let who = clause.prefix { "ugoa".contains($0) }
            let rest = clause.dropFirst(who.count)
            guard let op = rest.first, "-+=".contains(op) else { return false }
            return rest.dropFirst().allSatisfy { "rwxXstugo".contains($0) }
        }
    }

    func keyText(_ key: Value) -> String {
        key.string ?? render(key)
    }

    func typeName(_ value: Value) -> String {
        // Argument errors call an undefined value "undefined", not by its class name `AnsibleUndefined`.
        if case .undefined = value { return "undefined" }
        return value.pythonTypeName
    }

    func render(_ value: Value) -> String {
        switch value {
        case .none: return "None"
        case .bool(let bool): return bool ? "True" : "False"
        case .int(let number): return String(number)
        case .float(let number): return String(number)
        case .string(let text): return text
        case .list, .dict: return JSON.text(value, .python)
        case .undefined(let undefined): return undefined.hint
        }
    }

    func closest(_ name: String, among candidates: [String]) -> String? {
        let limit = max(1, name.count / 3)
        var best: (String, Int)?
        for candidate in candidates {
            let distance = levenshtein(Array(name.lowercased()), Array(candidate.lowercased()))
            if distance <= limit && distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        return best?.0
    }

    /// Edit distance counting a transposition of neighbours as one edit (`dset` → `dest`).
    func levenshtein(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}

