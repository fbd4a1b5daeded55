import Foundation
import StackplayCLI
import Testing

/// One bad input: where stackplay must point and what it must say.
struct BadInputCase: Sendable, CustomStringConvertible {
    let name: String
    let file: String
    let line: Int
    let column: Int
    /// The start of the message (messages naming absolute paths are compared up to the path).
    let message: String

    init(_ name: String, file: String, line: Int, column: Int, message: String) {
        self.name = name
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    var description: String { name }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("BadInput")
        .path
}

/// Each case must fail before anything runs, with one error at the exact `file:line:column`,
/// the expected message, the offending line with a caret, and a non-zero exit.
@Suite struct BadInputTests {
    static let cases: [BadInputCase] = [
        BadInputCase("bad_choice", file: "site.yml", line: 6, column: 16, message: "value of 'state' must be one of: absent, directory, file, hard, link, touch, got: presnt"),
        BadInputCase("bad_find_file_type", file: "site.yml", line: 6, column: 20, message: "value of 'file_type' must be one of: any, directory, file, link, got: files"),
        BadInputCase("authorized_key_missing_key", file: "site.yml", line: 5, column: 7, message: "missing required arguments: key"),
        BadInputCase("known_hosts_unknown_arg", file: "site.yml", line: 6, column: 9, message: "unsupported parameter for module 'known_hosts': 'hashed'"),
        BadInputCase("bad_inventory_host_var", file: "inventory", line: 2, column: 7, message: "expected key=value host variable assignment, got: ansible_port"),
        BadInputCase("bad_inventory_section", file: "inventory", line: 1, column: 1, message: "invalid section entry: '[web'"),
        BadInputCase("bad_inventory_vars_line", file: "inventory", line: 5, column: 1, message: "expected key=value, got: justaword"),
        BadInputCase("bad_loop_control", file: "site.yml", line: 7, column: 9, message: "'loopvar' is not a valid 'loop_control' option"),
        BadInputCase("bad_register_type", file: "site.yml", line: 5, column: 17, message: "'register' must be a string, got a list"),
        BadInputCase("bad_with_lookup", file: "site.yml", line: 5, column: 19, message: "unsupported loop keyword 'with_itemz'"),
        BadInputCase("conflicting_actions", file: "site.yml", line: 5, column: 7, message: "conflicting action statements: debug, command"),
        BadInputCase("conflicting_args", file: "site.yml", line: 6, column: 9, message: "parameters are mutually exclusive: msg|var"),
        BadInputCase("duplicate_keys", file: "site.yml", line: 6, column: 7, message: "duplicate key 'debug' in mapping"),
        BadInputCase("ignore_errors_not_bool", file: "site.yml", line: 5, column: 22, message: "'ignore_errors' must be a boolean, got 'sometimes'"),
        BadInputCase("missing_hosts", file: "site.yml", line: 1, column: 3, message: "the field 'hosts' is required but was not set"),
        BadInputCase("missing_import", file: "site.yml", line: 5, column: 21, message: "could not find or access 'does-not-exist.yml'"),
        BadInputCase("missing_import_playbook", file: "site.yml", line: 1, column: 20, message: "the playbook '"),
        BadInputCase("missing_required_arg", file: "site.yml", line: 5, column: 7, message: "missing required arguments: dest"),
        BadInputCase("missing_role", file: "site.yml", line: 4, column: 7, message: "the role 'not_a_role' was not found in "),
        BadInputCase("play_not_mapping", file: "site.yml", line: 1, column: 3, message: "a play must be a mapping, got a string"),
        BadInputCase("tabs", file: "site.yml", line: 4, column: 1, message: "YAML syntax error: found character that cannot start any token"),
        BadInputCase("task_is_string", file: "site.yml", line: 4, column: 7, message: "a task must be a mapping, got a string"),
        BadInputCase("tasks_not_list", file: "site.yml", line: 4, column: 5, message: "'tasks' must be a list of tasks, got a mapping"),
        BadInputCase("template_syntax", file: "site.yml", line: 5, column: 34, message: "template error while templating string: unexpected '}', expected ')'"),
        BadInputCase("unknown_arg", file: "site.yml", line: 5, column: 9, message: "unsupported parameter for module 'debug': 'msgg'"),
        BadInputCase("unknown_block_keyword", file: "site.yml", line: 6, column: 7, message: "'rescuee' is not a valid keyword for a block"),
        BadInputCase("unknown_handler", file: "site.yml", line: 5, column: 15, message: "the handler 'restart nothing' notified by this task is not defined in the play"),
        BadInputCase("unknown_module", file: "site.yml", line: 4, column: 7, message: "couldn't resolve module/action 'debugg'"),
        BadInputCase("unknown_play_keyword", file: "site.yml", line: 3, column: 3, message: "'taks' is not a valid keyword for a play"),
        BadInputCase("unknown_task_keyword", file: "site.yml", line: 5, column: 7, message: "'whenn' is not a valid keyword for a task"),
        BadInputCase("vars_not_mapping", file: "site.yml", line: 4, column: 7, message: "vars in play must be a mapping or a list of mappings, got a list containing a string"),
        BadInputCase("when_is_mapping", file: "site.yml", line: 6, column: 9, message: "'when' must be a string, a boolean or a list of them, got a mapping"),
        BadInputCase("wrong_arg_type", file: "site.yml", line: 6, column: 20, message: "argument 'verbosity' is of type str and we were unable to convert to int"),
        BadInputCase("yaml_syntax", file: "site.yml", line: 6, column: 1, message: "YAML syntax error: found unexpected end of stream"),
    ]

    @Test func atLeastThirtyCasesAndEveryDirectoryIsCovered() throws {
        #expect(Self.cases.count >= 30)
        let directories = try FileManager.default.contentsOfDirectory(atPath: BadInputCase.directory).sorted()
        #expect(directories == Self.cases.map(\.name).sorted())
    }

    @Test(arguments: cases)
    func reportsTheExactLocationAndRunsNothing(_ badCase: BadInputCase) async throws {
        let base = BadInputCase.directory + "/" + badCase.name
        let inventory = FileManager.default.fileExists(atPath: base + "/inventory") ? base + "/inventory" : "localhost,"
        let output = CapturedOutput()
        let code = await StackplayMain.run(["-i", inventory, base + "/site.yml"], environment: ["NO_COLOR": "1"], output: output)
        #expect(code == 4)
        let lines = output.standardError.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Paths are shown as given or relative to the working directory; the tail is what matters.
        let headline = "\(badCase.name)/\(badCase.file):\(badCase.line):\(badCase.column): error: \(badCase.message)"
        #expect(lines.first?.contains(headline) == true, "\(output.standardError)")
        // The offending line, then a caret under the column.
        #expect(lines.count >= 3)
        if lines.count >= 3 {
            #expect(lines[2].hasSuffix("^"))
            #expect(lines[2].count == badCase.column)
        }
        #expect(output.standardOutput.isEmpty, "nothing may run: \(output.standardOutput)")
    }
}
