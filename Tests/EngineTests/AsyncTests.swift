import Foundation
import StackplayCLI
import TestSupport
import Testing

@testable import Engine

/// `async:` / `poll:` and `async_status` over the local connection, as ansible-core 2.21 reports them.
/// Job files go to the scratch directory through `ansible_async_dir`.
@Suite struct AsyncTests {
    func run(_ tasks: String) async throws -> (RunOutcome, String) {
        let playbook = """
            - hosts: localhost
              gather_facts: false
              vars:
                ansible_async_dir: "{{ playbook_dir }}/async"
              tasks:
            \(tasks)
            """
        let (outcome, output) = try await runPlaybook(playbook, components: StandardComponents.make())
        return (outcome, output.standardOutput + output.standardError)
    }

    @Test func pollZeroReturnsAtOnceAndAsyncStatusWaitsForTheResult() async throws {
        let (outcome, output) = try await run(
            """
                - shell: while [ ! -e "{{ playbook_dir }}/release" ]; do sleep 0.1; done; echo done
                  async: 20
                  poll: 0
                  register: job
                - assert:
                    that:
                      - job is changed
                      - job.started and not job.finished
                      - job.ansible_job_id is match('^j[0-9]{12}[.][0-9]+$')
                      - job.results_file == playbook_dir ~ '/async/' ~ job.ansible_job_id
                      - "lookup('file', job.results_file) | from_json == {'started': true, 'finished': false, 'ansible_job_id': job.ansible_job_id}"
                - file:
                    path: "{{ playbook_dir }}/release"
                    state: touch
                - async_status:
                    jid: "{{ job.ansible_job_id }}"
                  register: status
                  until: status.finished
                  retries: 20
                  delay: 1
                - assert:
                    that:
                      - status is changed
                      - status.stdout == 'done' and status.stdout_lines == ['done'] and status.rc == 0
                      - status.started and status.finished
                      - status.results_file == job.results_file
                - async_status:
                    jid: "{{ job.ansible_job_id }}"
                    mode: cleanup
                  register: cleaned
                - assert:
                    that:
                      - cleaned.erased == job.results_file
                      - job.results_file is not exists
                      - cleaned is not changed
                - async_status:
                    jid: "{{ job.ansible_job_id }}"
                  register: gone
                  ignore_errors: true
                - assert:
                    that:
                      - gone is failed
                      - gone.msg == 'could not find job'
            """)
        #expect(outcome == .success, "\(output)")
    }

    @Test func pollWaitsReportsAsyncOkAndRemovesTheJobFile() async throws {
        let (outcome, output) = try await run(
            """
                - shell: sleep 3; echo polled
                  async: 20
                  poll: 1
                  register: polled
                - assert:
                    that:
                      - polled is changed
                      - polled.stdout == 'polled'
                      - polled.started and polled.finished
                      - polled.results_file is not exists
            """)
        #expect(outcome == .success, "\(output)")
        #expect(output.contains("ASYNC POLL on localhost: jid=j"))
        #expect(output.contains("started=True finished=False"))
        #expect(output.contains("ASYNC OK on localhost: jid=j"))
    }

    @Test func aJobOverItsLimitIsKilledAndReportsTimeoutExceeded() async throws {
        let scratch = try Scratch()
        let (outcome, output) = try await run(
            """
                - shell: echo $$ > \(scratch.path)/polled.pid; exec sleep 30
                  async: 1
                  poll: 1
                  register: slow
                  ignore_errors: true
                - shell: echo $$ > \(scratch.path)/background.pid; exec sleep 30
                  async: 1
                  poll: 0
                  register: background
                - async_status:
                    jid: "{{ background.ansible_job_id }}"
                  register: late
                  until: late.finished
                  retries: 100
                  delay: 0.2
                  ignore_errors: true
                - assert:
                    that:
                      - slow is failed and slow.msg == 'Timeout exceeded' and slow.finished
                      - late is failed and late.msg == 'Timeout exceeded' and late.finished
            """)
        #expect(outcome == .success, "\(output)")
        #expect(output.contains("ASYNC FAILED on localhost: jid=j"))
        // Both `sleep 30` were killed at their one-second limit (dead, or a zombie about to be reaped).
        for name in ["polled", "background"] {
            let pid = try String(contentsOfFile: scratch.path + "/\(name).pid", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            let state = stat.lastIndex(of: ")").map { stat[stat.index(after: $0)...].trimmingCharacters(in: .whitespaces) } ?? ""
            #expect(state.isEmpty || state.hasPrefix("Z"), "\(name) job still running: \(stat)")
        }
    }

    @Test func theRunWaitsForJobsNobodyPolled() async throws {
        let scratch = try Scratch()
        let marker = scratch.path + "/marker"
        let (outcome, output) = try await run(
            """
                - shell: sleep 1 && touch \(marker)
                  async: 20
                  poll: 0
            """)
        #expect(outcome == .success, "\(output)")
        #expect(FileManager.default.fileExists(atPath: marker))
    }

    @Test func actionsAnsibleRunsSynchronouslyOnlyRefuseAsync() async throws {
        let (outcome, output) = try await run(
            """
                - copy:
                    content: x
                    dest: "{{ playbook_dir }}/x"
                  async: 10
                  poll: 0
                  register: copied
                  ignore_errors: true
                - debug: msg=hi
                  async: 10
                  register: debugged
                  ignore_errors: true
                - assert:
                    that:
                      - copied.msg == 'This action (copy) does not support async.'
                      - debugged.msg == 'This action (debug) does not support async.'
            """)
        #expect(outcome == .success, "\(output)")
    }
}
