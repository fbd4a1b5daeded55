import Diagnostics
import Foundation
import ModuleAPI
import PlaybookCore
import Templating

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where `vars_prompt` answers come from: the terminal, or a script in tests.
public protocol PromptSource: Sendable {
    /// Whether a person can answer (ansible-playbook asks only when stdin is a TTY).
    var isInteractive: Bool { get }
    /// Shows `message` and reads one line; `secret` hides the input. nil at end of input.
    func read(_ message: String, secret: Bool) -> String?
    /// Shows a line to whoever answers (the confirmation mismatch notice).
    func show(_ line: String)
}

/// The controlling terminal: prompts on stdout, answers from stdin, echo off for secrets.
public struct TerminalPrompt: PromptSource {
    public init() {}

    public var isInteractive: Bool { isatty(0) == 1 }

    public func read(_ message: String, secret: Bool) -> String? {
        StandardOutput().write(message, toStandardError: false)
        var saved = termios()
        let hide = secret && tcgetattr(0, &saved) == 0
        if hide {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(0, TCSAFLUSH, &quiet)
        }
        let line = readLine(strippingNewline: true)
        if hide {
            tcsetattr(0, TCSAFLUSH, &saved)
            StandardOutput().write("\n", toStandardError: false)
        }
        return line
    }

    public func show(_ line: String) {
        StandardOutput().write(line + "\n", toStandardError: false)
    }
}

/// One `vars_prompt:` entry as written; its fields are templated when the play starts.
public struct VarsPromptEntry: Sendable {
    public var name: String
    public var fields: ValueDictionary
    public var location: SourceLocation

    /// The play's `vars_prompt:` list, checked at load time.
    static func parse(_ located: LocatedValue?) throws -> [VarsPromptEntry] {
        guard let located else { return [] }
        if case .none = located.value { return [] }
        guard let elements = located.node.elements else {
            throw SourceError("vars_prompt must be a list of prompts, got \(located.node.kindDescription)", at: located.location)
        }
        return try elements.map { node in
            guard case .dict(let fields) = node.value else {
                throw SourceError("each vars_prompt entry must be a mapping, got \(node.kindDescription)", at: node.location)
            }
            guard let name = fields["name"], case .string(let text) = name, !text.isEmpty else {
                throw SourceError("Invalid vars_prompt data structure, missing 'name' key", at: node.location)
            }
            return VarsPromptEntry(name: text, fields: fields, location: node.location)
        }
    }
}

/// ansible-playbook's `vars_prompt` (PlaybookExecutor + `Display.do_var_prompt`): a variable given
/// with `-e` is not asked for; otherwise the user is prompted on a TTY (twice with `confirm`), and
/// without one the `default` is used (the text `None` when there is none) after a warning.
struct VarsPrompter {
    let prompts: any PromptSource
    let templar: any TemplateEvaluator
    let warn: @Sendable (String) -> Void

    static let notInteractive = "Not prompting as we are not in interactive mode"

    /// The answers for `play`'s prompts; `warned` makes the non-interactive warning appear once per run.
    func answers(for play: PlayPlan, extraVars: [String: VariableLayers.Entry], warned: inout Bool) throws
        -> ValueDictionary
    {
        var answers = ValueDictionary()
        guard !play.varsPrompt.isEmpty else { return answers }
        // Like ansible-core, the fields see `vars_files` (read before the prompts) but not earlier answers.
        let scope = play.playLevelScope(extraVars: extraVars, templar: templar)
        for entry in play.varsPrompt where extraVars[entry.name] == nil {
            let fields = try scope.template(.dict(entry.fields), at: entry.location).dictionary ?? entry.fields
            func flag(_ key: String, default fallback: Bool) throws -> Bool {
                guard let value = fields[.string(key)] else { return fallback }
                if case .bool(let flag) = value { return flag }
                guard let flag = ArgumentValidation.bool(PythonRepr.text(value)) else {
                    throw SourceError(
                        "vars_prompt '\(entry.name)': '\(key)' must be a boolean, got \(PythonRepr.repr(value))",
                        at: entry.location)
                }
                return flag
            }
            func text(_ key: String) -> String? {
                guard let value = fields[.string(key)] else { return nil }
                if case .none = value { return nil }
                return PythonRepr.text(value)
            }
            let secret = try flag("private", default: true)
            let confirm = try flag("confirm", default: false)
            let unsafe = try flag("unsafe", default: false)
            let defaultValue = text("default")
            let prompt = text("prompt") ?? entry.name

            var result: String?
            if prompts.isInteractive {
                let message: String
                if let defaultValue, !prompt.isEmpty {
                    message = "\(prompt) [\(defaultValue)]: "
                } else if !prompt.isEmpty {
                    message = "\(prompt): "
                } else {
                    message = "input for \(entry.name): "
                }
                while true {
                    result = prompts.read(message, secret: secret)
                    guard confirm else { break }
                    let second = prompts.read("confirm " + message, secret: secret)
                    if result == second || result == nil { break }
                    prompts.show("***** VALUES ENTERED DO NOT MATCH ****")
                }
            } else if !warned {
                warn(Self.notInteractive)
                warned = true
            }
            if (result ?? "").isEmpty, let defaultValue { result = defaultValue }
            var answer = result ?? "None"
            if let algorithm = text("encrypt") {
                do {
                    answer = try PasswordHashing.hash(
                        answer, algorithm: algorithm, salt: text("salt"), saltSize: text("salt_size").flatMap { Int($0) })
                } catch let error as PasswordHashingError {
                    throw SourceError("vars_prompt '\(entry.name)': \(error.message)", at: entry.location)
                }
            }
            answers[.string(entry.name)] = .string(unsafe ? UnsafeText.protect(answer) : answer)
        }
        return answers
    }
}
