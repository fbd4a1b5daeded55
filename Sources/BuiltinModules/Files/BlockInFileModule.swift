import ModuleAPI
import Templating

/// `ansible.builtin.blockinfile`: a block of lines between `# BEGIN/END ANSIBLE MANAGED BLOCK` markers.
public struct BlockInFileModule: TextEditingModule {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.blockinfile",
        arguments: ArgumentSpec(
            FileAttributes.specOptions.merging([
                "path": OptionSpec(.path, required: true, aliases: ["dest", "destfile", "name"]),
                "state": OptionSpec(.string, default: "present", choices: ["absent", "present"]),
                "marker": OptionSpec(.string, default: "# {mark} ANSIBLE MANAGED BLOCK"),
                "marker_begin": OptionSpec(.string, default: "BEGIN"),
                "marker_end": OptionSpec(.string, default: "END"),
                "block": OptionSpec(.string, default: "", aliases: ["content"]),
                "insertafter": OptionSpec(.string),
                "insertbefore": OptionSpec(.string),
                "create": OptionSpec(.bool, default: false),
                "backup": OptionSpec(.bool, default: false),
                "validate": OptionSpec(.string),
                "append_newline": OptionSpec(.bool, default: false),
                "prepend_newline": OptionSpec(.bool, default: false),
            ]) { _, own in own },
            mutuallyExclusive: [["insertbefore", "insertafter"]]))

    public init() {}

    func edit(current: String?, path: String, arguments: ModuleArguments) throws -> TextEdit {
        let marker = arguments.string("marker", default: "# {mark} ANSIBLE MANAGED BLOCK")
        let begin = marker.replacingOccurrences(of: "{mark}", with: arguments.string("marker_begin", default: "BEGIN"))
        let end = marker.replacingOccurrences(of: "{mark}", with: arguments.string("marker_end", default: "END"))
        let present = arguments.string("state", default: "present") == "present"
        guard let current else {
            guard present else { return TextEdit(newText: nil, message: "") }
            guard arguments.bool("create") else {
                throw ModuleFailure("Path \(path) does not exist !", values: ValueDictionary(["rc": 257]))
            }
            return try edit(current: "", path: path, arguments: arguments)
        }
        var lines = TextLines(current).lines.map(TextLines.content)
        let block = arguments.string("block", default: "")
        var blockLines: [String] = []
        if present, !block.isEmpty {
            blockLines = [begin] + TextLines(block).lines.map(TextLines.content) + [end]
        }
        let beginIndex = lines.lastIndex(of: begin)
        let endIndex = lines.lastIndex(of: end)
        let position: Int
        if let beginIndex, let endIndex, beginIndex <= endIndex {
            lines.removeSubrange(beginIndex...endIndex)
            position = beginIndex
        } else {
            position = try insertionPoint(lines, arguments: arguments)
        }
        if !blockLines.isEmpty {
            if arguments.bool("prepend_newline"), position > 0, lines[position - 1] != "" { blockLines.insert("", at: 0) }
            if arguments.bool("append_newline"), position < lines.count, lines[position] != "" { blockLines.append("") }
        }
        lines.insert(contentsOf: blockLines, at: min(position, lines.count))
        var text = lines.joined(separator: "\n")
        if !lines.isEmpty { text += "\n" }
        guard text != current else { return TextEdit(newText: nil, message: "") }
        return TextEdit(newText: text, message: blockLines.isEmpty ? "Block removed" : "Block inserted")
    }

    /// Where a new block goes: after/before the last line matching `insertafter`/`insertbefore`, else EOF.
    private func insertionPoint(_ lines: [String], arguments: ModuleArguments) throws -> Int {
        if let after = arguments.string("insertafter"), after != "EOF" {
            let regex = try PythonRegex(after)
            if let index = lines.lastIndex(where: { regex.firstMatch(in: $0) != nil }) { return index + 1 }
            return lines.count
        }
        if let before = arguments.string("insertbefore") {
            if before == "BOF" { return 0 }
            let regex = try PythonRegex(before)
            if let index = lines.lastIndex(where: { regex.firstMatch(in: $0) != nil }) { return index }
        }
        return lines.count
    }
}
