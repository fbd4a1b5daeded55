import Testing

@testable import Engine

/// `vars_prompt` with ansible-playbook's semantics (PlaybookExecutor + Display.do_var_prompt).
@Suite struct VarsPromptTests {
    func run(_ playbook: String, prompts: ScriptedPrompts, extraVars: [String] = []) async throws
        -> (RunOutcome, CapturedOutput)
    {
        try await runPlaybook(
            playbook, configure: { $0.extraVars = extraVars },
            components: RunComponents(registry: .init(), connections: [:], facts: FixedFacts(), prompts: prompts))
    }

    @Test func aVariableGivenWithExtraVarsIsNotAskedFor() async throws {
        let prompts = ScriptedPrompts(interactive: true, answers: ["typed"])
        let (outcome, output) = try await run(
            """
            - hosts: localhost
              gather_facts: false
              vars_prompt:
                - name: region
                  prompt: Which region
              tasks:
                - assert: {that: "region == 'from-cli'"}
            """, prompts: prompts, extraVars: ["region=from-cli"])
        #expect(outcome == .success, "\(output.standardOutput)")
        #expect(prompts.asked.isEmpty)
    }

    @Test func withoutATerminalTheDefaultIsUsedAfterOneWarning() async throws {
        let prompts = ScriptedPrompts(interactive: false)
        let (outcome, output) = try await run(
            """
            - hosts: localhost
              gather_facts: false
              vars:
                base: forty
              vars_prompt:
                - name: answer
                  default: "{{ base }}-two"
                - name: nothing
                  prompt: No default here
              tasks:
                - assert:
                    that:
                      - answer == 'forty-two'
                      - nothing == 'None'
            """, prompts: prompts)
        #expect(outcome == .success, "\(output.standardOutput)")
        #expect(prompts.asked.isEmpty)
        #expect(output.standardError.components(separatedBy: "Not prompting as we are not in interactive mode").count == 2)
    }

    @Test func onATerminalTheAnswerIsReadWithAnsiblesPrompt() async throws {
        let prompts = ScriptedPrompts(interactive: true, answers: ["", "eu-west", "s3cret", "typo", "s3cret", "s3cret"])
        let (outcome, output) = try await run(
            """
            - hosts: localhost
              gather_facts: false
              vars_prompt:
                - name: size
                  prompt: Flavor
                  default: m1.small
                  private: false
                - name: region
                - name: password
                  prompt: Password
                  confirm: true
              tasks:
                - assert:
                    that:
                      - size == 'm1.small'
                      - region == 'eu-west'
                      - password == 's3cret'
            """, prompts: prompts)
        #expect(outcome == .success, "\(output.standardOutput)")
        #expect(prompts.asked.map(\.message) == [
            "Flavor [m1.small]: ", "region: ", "Password: ", "confirm Password: ", "Password: ", "confirm Password: ",
        ])
        #expect(prompts.asked.map(\.secret) == [false, true, true, true, true, true])
        #expect(prompts.shown == ["***** VALUES ENTERED DO NOT MATCH ****"])
        #expect(!output.standardError.contains("Not prompting"))
    }

    /// One SHA-512 crypt with ansible-core's 656000 rounds (seconds in a debug build); the expected
    /// hash is ansible-core 2.21.5's `do_encrypt('hunter2', 'sha512_crypt', salt='abcdefghijklmnop')`.
    @Test func encryptHashesLikePasswordHashAndUnsafeKeepsTemplatesLiteral() async throws {
        let prompts = ScriptedPrompts(interactive: true, answers: ["hunter2", "{{ base }}", "{{ base }}"])
        let (outcome, output) = try await run(
            """
            - hosts: localhost
              gather_facts: false
              vars:
                base: forty
              vars_prompt:
                - name: hashed
                  encrypt: sha512_crypt
                  salt: abcdefghijklmnop
                - name: literal
                  unsafe: true
                - name: templated
              tasks:
                - assert:
                    that:
                      - hashed == '$6$rounds=656000$V7qMYJaNbVKOeh4P$mc7mI629w/fqS2gABrKWOb5MWCBgqTuRw3ykXRYOgpJjHvRJdjcHsJWql3K7jqIaNpnNG43060MaFwcRvY6SI/'
                      - literal == '{' ~ '{ base }' ~ '}'
                      - templated == 'forty'
            """, prompts: prompts)
        #expect(outcome == .success, "\(output.standardOutput)")
    }

    @Test func anEntryWithoutANameIsALoadError() async throws {
        let (outcome, output) = try await run(
            """
            - hosts: localhost
              vars_prompt:
                - prompt: What
              tasks: []
            """, prompts: ScriptedPrompts(interactive: false))
        #expect(outcome == .loadError)
        #expect(output.standardError.contains("playbook.yml:3:7: error: Invalid vars_prompt data structure, missing 'name' key"))
    }
}
