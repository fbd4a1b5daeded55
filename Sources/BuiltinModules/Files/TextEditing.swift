import Foundation
import ModuleAPI
import Templating

/// The outcome of editing a text file's content in memory.
public struct TextEdit: Sendable {
    /// The new content, or nil to leave the content alone.
    var newText: String?
    /// Ansible's `msg` (`line added`, `Block inserted`, `2 replacements made`…).
    var message: String
    /// Extra return keys (`found` for lineinfile absent).
    var values = ValueDictionary()
}

/// What a text-editing module observed: the file, and the edit computed from its content.
public struct TextEditObservation: Sendable {
    var destination: FileWriter.Destination
    var edit: TextEdit
}

/// lineinfile, blockinfile and replace: read the whole file in one command, compute the new text
/// purely, and write it through copy's path (backup, validate, atomic replace, attributes, diff).
protocol TextEditingModule: StatefulModule where Observed == TextEditObservation, Change == FileWriter.Change {
    /// Computes the edit; `current` is nil when the file does not exist.
    func edit(current: String?, path: String, arguments: ModuleArguments) throws -> TextEdit
}

extension TextEditingModule {
    func path(_ arguments: ModuleArguments) throws -> String {
        try arguments.requiredString("path")
    }

    public func read(_ invocation: ModuleInvocation) async throws -> TextEditObservation {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let path = try path(arguments)
        let destination = try await FileWriter.observe(path, withContent: true, shell: TargetShell(invocation))
        if destination.info?.kind == .directory {
            throw ModuleFailure("Path \(path) is a directory !", values: ValueDictionary(["rc": 256]))
        }
        let current = destination.info == nil ? nil : (destination.content ?? Data()).utf8Text
        return TextEditObservation(
            destination: destination, edit: try edit(current: current, path: path, arguments: arguments))
    }

    public func plan(_ invocation: ModuleInvocation, observed: TextEditObservation) throws -> Planned<FileWriter.Change>? {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let destination = observed.destination
        // A file that stays absent gets no attributes either.
        guard destination.info != nil || observed.edit.newText != nil else { return nil }
        let content = observed.edit.newText.map { Data($0.utf8) } ?? destination.content ?? Data()
        guard
            var planned = try FileWriter.plan(
                content: content, destination: destination, attributes: try FileAttributes(arguments),
                afterHeader: "\(destination.path) (content)", diffMode: invocation.diffMode)
        else { return nil }
        for index in planned.diffs.indices where planned.diffs[index].afterHeader != nil {
            planned.diffs[index].beforeHeader = "\(destination.path) (content)"
        }
        return planned
    }

    public func apply(_ invocation: ModuleInvocation, change: FileWriter.Change, observed: TextEditObservation)
        async throws -> ModuleResult
    {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let content = observed.edit.newText.map { Data($0.utf8) } ?? observed.destination.content ?? Data()
        let backupFile = try await FileWriter.apply(
            change, content: content, destination: observed.destination, validate: arguments.string("validate"),
            backup: arguments.bool("backup"), shell: TargetShell(invocation))
        var result = message(change: change, observed: observed)
        result.changed = true
        if let backupFile { result.values["backup"] = .string(backupFile) }
        return result
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: TextEditObservation) -> ModuleResult {
        guard let planned = try? plan(invocation, observed: observed) else {
            return ModuleResult(message: "", values: observed.edit.values)
        }
        return message(change: planned.change, observed: observed)
    }

    /// Ansible's message, with its suffix when only attributes changed alongside.
    private func message(change: FileWriter.Change, observed: TextEditObservation) -> ModuleResult {
        var message = observed.edit.newText == nil ? "" : observed.edit.message
        if !change.attributes.isEmpty {
            message = message.isEmpty
                ? "ownership, perms or SE linux context changed"
                : message + " and ownership, perms or SE linux context changed"
        }
        return ModuleResult(message: message, values: observed.edit.values)
    }
}

/// Text split into lines that keep their line endings, as Python's `readlines()`.
struct TextLines {
    var lines: [String]

    init(_ text: String) {
        lines = []
        var current = ""
        for character in text {
            current.append(character)
            if character == "\n" || character == "\r\n" {
                lines.append(current)
                current = ""
            }
        }
        if !current.isEmpty { lines.append(current) }
    }

    var text: String { lines.joined() }

    static func content(_ line: String) -> String {
        var text = Substring(line)
        while let last = text.last, last == "\n" || last == "\r" || last == "\r\n" { text = text.dropLast() }
        return String(text)
    }
}

/// Python `re` patterns through NSRegularExpression, with `\1` / `\g<name>` expansion.
struct PythonRegex: @unchecked Sendable {
    // @unchecked: NSRegularExpression is immutable and thread-safe once built.
    let expression: NSRegularExpression

    init(_ pattern: String, multiline: Bool = false) throws(ModuleFailure) {
        var options: NSRegularExpression.Options = []
        if multiline { options.insert(.anchorsMatchLines) }
        do {
            // Python's (?P<name>…) and (?P=name) are spelled (?<name>…) and \k<name> in ICU.
            let translated = pattern.replacingOccurrences(of: "(?P<", with: "(?<")
                .replacingOccurrences(of: #"\(\?P=(\w+)\)"#, with: #"\\k<$1>"#, options: .regularExpression)
            expression = try NSRegularExpression(pattern: translated, options: options)
        } catch {
            throw ModuleFailure("invalid regular expression '\(pattern)': \(error.localizedDescription)")
        }
    }

    func firstMatch(in text: String) -> NSTextCheckingResult? {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
    }

    func matches(in text: String) -> [NSTextCheckingResult] {
        expression.matches(in: text, range: NSRange(text.startIndex..., in: text))
    }

    /// Python's `match.expand(template)`, as the `regex_replace` filter expands it.
    func expand(_ template: String, match: NSTextCheckingResult, in text: String) throws(ModuleFailure) -> String {
        do {
            return try PythonReplacementTemplate.expand(template, match: match, in: text)
        } catch {
            throw ModuleFailure(error.description)
        }
    }
}
