import Diagnostics
import ModuleAPI
import TestSupport
import Testing
@testable import PlaybookCore

/// Module arguments are checked when the playbook loads, at the argument's own location.
@Suite struct ArgumentCheckingTests {
    func load(_ text: String) throws {
        let scratch = try Scratch()
        try scratch.write("site.yml", text)
        _ = try makeLoader(workingDirectory: scratch.path).loadPlaybook("site.yml")
    }

    func expectArgumentError(line: Int, column: Int, _ message: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected '\(message)'")
        } catch let error as ArgumentError {
            #expect(error.location == SourceLocation(file: "site.yml", line: line, column: column), "\(error)")
            #expect(error.message.contains(message), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func unknownArgumentIsLocatedAtItsKey() {
        expectArgumentError(line: 5, column: 9, "unsupported parameter for module 'copy': 'dset'") {
            try load("- hosts: all\n  tasks:\n    - copy:\n        content: x\n        dset: /tmp/x\n")
        }
    }

    @Test func missingRequiredIsLocatedAtTheAction() {
        expectArgumentError(line: 3, column: 7, "missing required arguments: dest") {
            try load("- hosts: all\n  tasks:\n    - copy: content=x\n")
        }
    }

    @Test func wrongChoiceIsLocatedAtTheValue() {
        expectArgumentError(line: 3, column: 35, "value of 'state' must be one of") {
            try load("- hosts: all\n  tasks:\n    - file: {path: /tmp/x, state: dirctory}\n")
        }
    }

    @Test func kvArgumentsAreLocatedAtTheirText() {
        expectArgumentError(line: 3, column: 13, "argument 'backup' must be a boolean, got 'maybe'") {
            try load("- hosts: all\n  tasks:\n    - copy: dest=/x content=y backup=maybe\n")
        }
    }

    @Test func moduleDefaultsSatisfyRequiredArguments() throws {
        try load(
            """
            - hosts: all
              module_defaults:
                ansible.builtin.copy: {dest: /tmp/default}
                group/openstack.cloud.openstack: {name: from-group}
              tasks:
                - copy: content=x
                - os_subnet: {cidr: 10.0.0.0/24}
            """)
    }

    @Test func templatedValuesAndArgsAreCheckedLater() throws {
        try load(
            """
            - hosts: all
              tasks:
                - file: {path: /x, state: "{{ wanted }}"}
                - copy:
                  args: "{{ more }}"
            """)
    }
}
