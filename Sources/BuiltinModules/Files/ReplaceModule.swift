import Foundation
import ModuleAPI
import Templating

/// `ansible.builtin.replace`: replaces every match of a multiline regexp, optionally between `after`/`before`.
public struct ReplaceModule: TextEditingModule {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.replace",
        arguments: ArgumentSpec(
            FileAttributes.specOptions.merging([
                "path": OptionSpec(.path, required: true, aliases: ["dest", "destfile", "name"]),
                "regexp": OptionSpec(.string, required: true),
                "replace": OptionSpec(.string, default: ""),
                "after": OptionSpec(.string),
                "before": OptionSpec(.string),
                "backup": OptionSpec(.bool, default: false),
                "validate": OptionSpec(.string),
                "encoding": OptionSpec(.string, default: "utf-8"),
            ]) { _, own in own }))

    public init() {}

    func edit(current: String?, path: String, arguments: ModuleArguments) throws -> TextEdit {
        guard let current else { throw ModuleFailure("Path \(path) does not exist !", values: ValueDictionary(["rc": 257])) }
        let regex = try PythonRegex(try arguments.requiredString("regexp"), multiline: true)
        let replacement = arguments.string("replace", default: "")
        // The section searched: after the first match of `after`, before the first match of `before` (Python DOTALL).
        var lower = current.startIndex
        var upper = current.endIndex
        if let after = arguments.string("after"),
            let found = try PythonRegex("(?s)" + after, multiline: true).firstMatch(in: current),
            let range = Range(found.range, in: current)
        {
            lower = range.upperBound
        }
        if let before = arguments.string("before"),
            let found = try PythonRegex("(?s)" + before, multiline: true).firstMatch(in: current),
            let range = Range(found.range, in: current)
        {
            upper = range.lowerBound
        }
        guard lower <= upper else { return TextEdit(newText: nil, message: "") }
        let section = String(current[lower..<upper])
        var result = ""
        var cursor = section.startIndex
        var count = 0
        for match in regex.matches(in: section) {
            guard let range = Range(match.range, in: section) else { continue }
            result += section[cursor..<range.lowerBound]
            result += try regex.expand(replacement, match: match, in: section)
            cursor = range.upperBound
            count += 1
        }
        result += section[cursor...]
        let text = String(current[..<lower]) + result + String(current[upper...])
        guard count > 0, text != current else { return TextEdit(newText: nil, message: "") }
        return TextEdit(newText: text, message: "\(count) replacements made", values: ValueDictionary(["rc": 0]))
    }
}
