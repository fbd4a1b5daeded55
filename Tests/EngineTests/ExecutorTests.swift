import Testing

@testable import Engine

@Suite struct ExecutorTests {
    @Test func setFactDebugAndAssertRunWithTheDefaultLayout() async throws {
        let (outcome, output) = try await runPlaybook(
            """
            - hosts: localhost
              gather_facts: false
              vars:
                greeting: hello
              tasks:
                - set_fact:
                    answer: "{{ 40 + 2 }}"
                - debug:
                    msg: "{{ greeting }} {{ answer }}"
                - assert:
                    that:
                      - answer == 42
                      - answer is number
            """)
        #expect(outcome == .success, "\(output.standardError)")
        let text = output.standardOutput
        #expect(text.contains("PLAY [localhost] ****"))
        #expect(text.contains("TASK [debug] ****"))
        #expect(text.contains("ok: [localhost] => {\n    \"msg\": \"hello 42\"\n}"))
        #expect(text.contains("localhost                  : ok=3    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0"))
    }

    @Test func aFailedAssertionFailsTheHostWithExitCode2() async throws {
        let (outcome, output) = try await runPlaybook(
            """
            - hosts: localhost
              gather_facts: false
              tasks:
                - assert:
                    that: 1 == 2
                    fail_msg: nope
                - debug: msg=never
            """)
        #expect(outcome == .hostFailed)
        #expect(
            output.standardOutput.contains(
                """
                fatal: [localhost]: FAILED! => {
                    "assertion": "1 == 2",
                    "changed": false,
                    "evaluated_to": false,
                    "msg": "nope"
                }
                """))
        #expect(!output.standardOutput.contains("never"))
        #expect(output.standardOutput.contains("failed=1"))
    }

    @Test func blocksRescueAndAlwaysWithFailureVariables() async throws {
        let (outcome, output) = try await runPlaybook(
            """
            - hosts: localhost
              gather_facts: false
              tasks:
                - block:
                    - fail: msg=boom
                  rescue:
                    - set_fact:
                        caught: "{{ ansible_failed_result.msg }}"
                  always:
                    - set_fact:
                        cleaned: true
                - assert:
                    that:
                      - caught == 'boom'
                      - cleaned
            """)
        #expect(outcome == .success, "\(output.standardOutput)\(output.standardError)")
        #expect(output.standardOutput.contains("rescued=1"))
    }

    @Test func loopsRegisterResultsAndHandlersRunOnce() async throws {
        let (outcome, output) = try await runPlaybook(
            """
            - hosts: localhost
              gather_facts: false
              tasks:
                - debug:
                    msg: "item {{ item }}"
                  loop: [1, 2, 3]
                  register: looped
                  changed_when: item == 2
                  notify: announce
                - assert:
                    that:
                      - looped.results | length == 3
                      - looped.results[1].changed
                      - looped is changed
              handlers:
                - name: announce
                  set_fact:
                    announced: yes
                - name: never
                  debug: msg=no
            """)
        #expect(outcome == .success, "\(output.standardOutput)\(output.standardError)")
        #expect(output.standardOutput.contains("RUNNING HANDLER [announce]"))
        #expect(!output.standardOutput.contains("RUNNING HANDLER [never]"))
        #expect(output.standardOutput.contains("changed: [localhost] => (item=2)"))
    }

    @Test func extraVarsWinOverPlayVars() async throws {
        let (outcome, output) = try await runPlaybook(
            """
            - hosts: localhost
              gather_facts: false
              vars:
                who: play
              tasks:
                - assert:
                    that: who == 'cli'
            """, configure: { $0.extraVars = ["who=cli"] })
        #expect(outcome == .success, "\(output.standardOutput)\(output.standardError)")
    }
}
