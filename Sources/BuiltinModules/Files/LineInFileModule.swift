import Foundation
import ModuleAPI
import Templating

/// `ansible.builtin.lineinfile`: ensures one line is present (or absent), found by regexp,
/// search string or exact text, with Ansible's insertion rules.
public struct LineInFileModule: TextEditingModule {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.lineinfile",
        arguments: ArgumentSpec(
            FileAttributes.specOptions.merging([
                "path": OptionSpec(.path, required: true, aliases: ["dest", "destfile", "name"]),
                "state": OptionSpec(.string, default: "present", choices: ["absent", "present"]),
                "regexp": OptionSpec(.string, aliases: ["regex"]),
                "search_string": OptionSpec(.string),
                "line": OptionSpec(.string, aliases: ["value"]),
                "backrefs": OptionSpec(.bool, default: false),
                "insertafter": OptionSpec(.string),
                "insertbefore": OptionSpec(.string),
                "create": OptionSpec(.bool, default: false),
                "backup": OptionSpec(.bool, default: false),
                "firstmatch": OptionSpec(.bool, default: false),
                "validate": OptionSpec(.string),
            ]) { _, own in own },
            mutuallyExclusive: [["insertbefore", "insertafter"], ["regexp", "search_string"], ["backrefs", "search_string"]]))

    public init() {}

    func edit(current: String?, path: String, arguments: ModuleArguments) throws -> TextEdit {
        let state = arguments.string("state", default: "present")
        let regexp = try arguments.string("regexp").map { try PythonRegex($0) }
        let search = arguments.string("search_string")
        if state == "absent" {
            guard regexp != nil || search != nil || arguments.has("line") else {
                throw ModuleFailure("one of line, search_string, or regexp is required with state=absent")
            }
            guard let current else { return TextEdit(newText: nil, message: "", values: ValueDictionary(["found": 0])) }
            return try remove(from: current, regexp: regexp, search: search, line: arguments.string("line"))
        }
        guard let line = arguments.string("line") else { throw ModuleFailure("line is required with state=present") }
        let backrefs = arguments.bool("backrefs")
        if backrefs, regexp == nil { throw ModuleFailure("regexp is required with backrefs=true") }
        var lines = TextLines(current ?? "")
        if current == nil {
            guard arguments.bool("create") else {
                throw ModuleFailure("Destination \(path) does not exist !", values: ValueDictionary(["rc": 257]))
            }
        }
        let firstMatch = arguments.bool("firstmatch")
        let insertAfter = arguments.string("insertafter")
        let insertBefore = arguments.string("insertbefore")
        let insertPattern = try [insertAfter, insertBefore].compactMap { $0 }
            .first { $0 != "EOF" && $0 != "BOF" }
            .map { try PythonRegex($0) }

        var matchIndex: Int?
        var match: (result: NSTextCheckingResult, text: String)?
        var insertIndex: Int?
        for (index, rawLine) in lines.lines.enumerated() {
            let text = TextLines.content(rawLine)
            if matchIndex == nil || !firstMatch {
                if let regexp {
                    if let found = regexp.firstMatch(in: text) {
                        matchIndex = index
                        match = (found, text)
                    }
                } else if let search {
                    if text.contains(search) { matchIndex = index }
                } else if text == line {
                    matchIndex = index
                }
            }
            if let insertPattern, insertIndex == nil || !firstMatch, insertPattern.firstMatch(in: text) != nil {
                insertIndex = insertAfter != nil ? index + 1 : index
            }
        }
        // A regexp or search string that matches nothing still counts the exact line as present.
        if matchIndex == nil, !backrefs, regexp != nil || search != nil {
            matchIndex = lines.lines.firstIndex { TextLines.content($0) == line }
            match = nil
        }

        if let matchIndex {
            var newLine = line
            if backrefs, let match, let regexp { newLine = try regexp.expand(line, match: match.result, in: match.text) }
            let existing = lines.lines[matchIndex]
            guard TextLines.content(existing) != newLine else { return TextEdit(newText: nil, message: "") }
            lines.lines[matchIndex] = newLine + lineEnding(of: existing)
            return TextEdit(newText: lines.text, message: "line replaced")
        }
        if backrefs { return TextEdit(newText: nil, message: "") }

        let position: Int
        if insertBefore == "BOF" || insertAfter == "BOF" {
            position = 0
        } else if let insertIndex, insertAfter != "EOF" {
            position = insertIndex
        } else {
            position = lines.lines.count
        }
        if position == lines.lines.count, let last = lines.lines.last, lineEnding(of: last).isEmpty {
            lines.lines[lines.lines.count - 1] = last + "\n"
        }
        lines.lines.insert(line + "\n", at: position)
        return TextEdit(newText: lines.text, message: "line added")
    }

    private func remove(from current: String, regexp: PythonRegex?, search: String?, line: String?) throws -> TextEdit {
        var lines = TextLines(current)
        let before = lines.lines.count
        lines.lines.removeAll { rawLine in
            let text = TextLines.content(rawLine)
            if let regexp { return regexp.firstMatch(in: text) != nil }
            if let search { return text.contains(search) }
            return text == line
        }
        let found = before - lines.lines.count
        let values = ValueDictionary(["found": .int(found)])
        guard found > 0 else { return TextEdit(newText: nil, message: "", values: values) }
        return TextEdit(newText: lines.text, message: "\(found) line(s) removed", values: values)
    }

    private func lineEnding(of line: String) -> String {
        if line.hasSuffix("\r\n") { return "\r\n" }
        if line.hasSuffix("\n") { return "\n" }
        return ""
    }
}
