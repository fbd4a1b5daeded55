import StackplayCLI
import TestSupport
import Testing

@testable import Engine

/// The command line as ansible-playbook's: help and version exit 0, bad options exit 5 with a usage line.
@Suite struct CommandLineTests {
    func run(_ arguments: [String]) async -> (code: Int32, out: String, err: String) {
        let output = CapturedOutput()
        let code = await StackplayMain.run(arguments, environment: [:], output: output)
        return (code, output.standardOutput, output.standardError)
    }

    @Test(arguments: ["--help", "-h"])
    func helpIsPrintedAndExitsZero(_ flag: String) async {
        let (code, out, err) = await run([flag])
        #expect(code == 0)
        #expect(out.contains("USAGE: stackplay [<options>] [<PLAYBOOK> ...]"), "\(out)")
        #expect(out.contains("--check"))
        #expect(err.isEmpty)
    }

    @Test func versionNamesTheCompatibleAnsibleCore() async {
        let (code, out, _) = await run(["--version"])
        #expect(code == 0)
        #expect(out.hasPrefix("stackplay "))
        #expect(out.contains("ansible-core 2.21"))
    }

    @Test func anUnknownOptionIsAUsageError() async {
        let (code, out, err) = await run(["--chek", "site.yml"])
        #expect(code == 5)
        #expect(out.isEmpty)
        #expect(err.hasPrefix("usage: stackplay [options] PLAYBOOK...\nerror: "), "\(err)")
    }

    @Test func noPlaybookIsAUsageError() async {
        let (code, _, err) = await run([])
        #expect(code == 5)
        #expect(err.contains("the following arguments are required: playbook"), "\(err)")
    }

    @Test func forceHandlersRunsNotifiedHandlersOfAFailedHost() async throws {
        let scratch = try Scratch()
        let playbook = try scratch.write(
            "site.yml",
            """
            - hosts: localhost
              gather_facts: false
              tasks:
                - debug: msg=notify
                  changed_when: true
                  notify: after
                - fail: msg=broken
              handlers:
                - name: after
                  debug: msg=handled
            """)
        for (flags, runs) in [([String](), false), (["--force-handlers"], true)] {
            let output = CapturedOutput()
            let code = await StackplayMain.run(
                flags + [playbook], environment: ["NO_COLOR": "1"], output: output, workingDirectory: scratch.path)
            #expect(code == 2)
            #expect(output.standardOutput.contains("RUNNING HANDLER [after]") == runs, "\(flags): \(output.standardOutput)")
        }
    }
}
