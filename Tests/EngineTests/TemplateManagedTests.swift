import Foundation
import StackplayCLI
import Testing

@testable import Engine

/// The template module defines `ansible_managed` and the `template_*` variables as ansible-core
/// 2.21 does, with `[defaults] ansible_managed` from ansible.cfg.
@Suite struct TemplateManagedTests {
    static let playbook = """
        - hosts: localhost
          gather_facts: false
          tasks:
            - template:
                src: header.j2
                dest: "{{ playbook_dir }}/out.txt"
            - assert:
                that:
                  - lookup('file', playbook_dir ~ '/out.txt') == expected
        """

    func run(_ expected: String, files: [String: String] = [:], vars: String = "") async throws -> (RunOutcome, String) {
        var extra = files
        extra["header.j2"] = "{{ ansible_managed }}|{{ template_path }}|{{ template_destpath | basename }}"
        let playbook = Self.playbook.replacingOccurrences(of: "  gather_facts: false\n", with: "  gather_facts: false\n" + vars)
        let (outcome, output) = try await runPlaybook(
            playbook, extraFiles: extra,
            configure: { $0.extraVars = ["{\"expected\": \"\(expected)\"}"] },
            components: StandardComponents.make())
        return (outcome, output.standardOutput + output.standardError)
    }

    @Test func theDefaultIsAnsibleManaged() async throws {
        let (outcome, output) = try await run("Ansible managed|header.j2|out.txt")
        #expect(outcome == .success, "\(output)")
    }

    @Test func ansibleCfgSetsTheFormat() async throws {
        let (outcome, output) = try await run(
            "Managed by {uid}: header.j2 %Y|header.j2|out.txt".replacingOccurrences(of: "{uid}", with: NSUserName()),
            files: ["ansible.cfg": "[defaults]\nansible_managed = Managed by {uid}: {file} %%Y\n"])
        #expect(outcome == .success, "\(output)")
    }

    @Test func aVariableNamedAnsibleManagedWins() async throws {
        let (outcome, output) = try await run(
            "mine|header.j2|out.txt", files: ["ansible.cfg": "[defaults]\nansible_managed = from cfg\n"],
            vars: "  vars:\n    ansible_managed: mine\n")
        #expect(outcome == .success, "\(output)")
    }
}
