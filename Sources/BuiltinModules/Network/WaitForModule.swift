import Foundation
import ModuleAPI
import Templating

/// `ansible.builtin.wait_for`: waits on the target for a TCP port, a file, or a regex in a file.
///
/// Each probe is one shell command on the target (bash's `/dev/tcp` for ports, with `nc` as a
/// fallback), repeated every `sleep` seconds until `timeout`.
public struct WaitForModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.wait_for",
        arguments: ArgumentSpec([
            "host": OptionSpec(.string, default: "127.0.0.1"),
            "port": OptionSpec(.int),
            "path": OptionSpec(.path),
            "search_regex": OptionSpec(.string),
            "state": OptionSpec(.string, default: "started", choices: ["absent", "drained", "present", "started", "stopped"]),
            "timeout": OptionSpec(.int, default: 300),
            "delay": OptionSpec(.int, default: 0),
            "sleep": OptionSpec(.int, default: 1),
            "connect_timeout": OptionSpec(.int, default: 5),
            "msg": OptionSpec(.string),
            "exclude_hosts": OptionSpec(.list(elements: .string)),
            "active_connection_states": OptionSpec(.list(elements: .string)),
        ], mutuallyExclusive: [["port", "path"]]))

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        try await reportingFailures {
            let arguments = ModuleArguments(invocation, for: Self.self)
            let host = arguments.string("host", default: "127.0.0.1")
            let port = arguments.int("port")
            let path = arguments.string("path")
            let state = arguments.string("state", default: "started")
            let regex = try arguments.string("search_regex").map { try PythonRegex($0, multiline: true) }
            let timeout = Double(arguments.int("timeout") ?? 300)
            let pause = Double(max(arguments.int("sleep") ?? 1, 0))
            let connectTimeout = arguments.int("connect_timeout") ?? 5
            if port == nil, path == nil, state != "started", state != "stopped" {
                throw ModuleFailure("state=\(state) requires port or path")
            }
            let started = Date()
            if let delay = arguments.int("delay"), delay > 0 { try await Task.sleep(nanoseconds: UInt64(delay) * 1_000_000_000) }
            let shell = TargetShell(invocation)
            let deadline = started.addingTimeInterval(timeout + Double(arguments.int("delay") ?? 0))
            while true {
                if let outcome = try await probe(
                    shell, host: host, port: port, path: path, state: state, regex: regex, connectTimeout: connectTimeout)
                {
                    var values = ValueDictionary(["state": .string(state), "elapsed": .int(Int(Date().timeIntervalSince(started)))])
                    if let port { values["port"] = .int(port) }
                    if let path { values["path"] = .string(path) }
                    if let pattern = arguments.string("search_regex") { values["search_regex"] = .string(pattern) }
                    for (key, value) in outcome { values[key] = value }
                    return ModuleResult(values: values)
                }
                if Date() >= deadline {
                    let elapsed = Int(Date().timeIntervalSince(started))
                    throw ModuleFailure(
                        arguments.string("msg") ?? Self.timeoutMessage(host: host, port: port, path: path, state: state, regex: arguments.string("search_regex")),
                        values: ["elapsed": .int(elapsed)])
                }
                if pause > 0 { try await Task.sleep(nanoseconds: UInt64(pause * 1_000_000_000)) }
            }
        }
    }

    static func timeoutMessage(host: String, port: Int?, path: String?, state: String, regex: String?) -> String {
        if let port {
            return state == "stopped" || state == "drained"
                ? "Timeout when waiting for \(host):\(port) to stop."
                : "Timeout when waiting for \(host):\(port)"
        }
        if let path {
            if let regex { return "Timeout when waiting for search string \(regex) in \(path)" }
            return state == "absent" ? "Timeout when waiting for \(path) to be absent." : "Timeout when waiting for file \(path)"
        }
        return "Timeout"
    }

    /// One check; returns the result keys when the condition holds, nil to keep waiting.
    private func probe(
        _ shell: TargetShell, host: String, port: Int?, path: String?, state: String, regex: PythonRegex?,
        connectTimeout: Int
    ) async throws -> ValueDictionary? {
        if let port {
            let open = try await Self.portOpen(shell, host: host, port: port, connectTimeout: connectTimeout)
            switch state {
            case "stopped": return open ? nil : ValueDictionary()
            case "drained":
                let output = try await shell.run("ss -Htn state established '( sport = :\(port) )' 2>/dev/null | head -1")
                return output.stdout.isEmpty ? ValueDictionary() : nil
            default:
                guard open else { return nil }
                return ValueDictionary()
            }
        }
        if let path {
            let observation = try await FileProbe.run(
                FileProbe.Request(path: path, follow: true, content: regex != nil), on: shell)
            switch state {
            case "absent", "stopped": return observation.info == nil ? ValueDictionary() : nil
            default:
                guard observation.info != nil else { return nil }
                guard let regex else { return ValueDictionary() }
                let text = (observation.content ?? Data()).utf8Text
                guard let match = regex.firstMatch(in: text) else { return nil }
                var groups: [Value] = []
                for index in 1..<max(match.numberOfRanges, 1) {
                    groups.append(Range(match.range(at: index), in: text).map { .string(String(text[$0])) } ?? .none)
                }
                return ValueDictionary(["match_groups": .list(groups), "match_groupdict": .dict(ValueDictionary())])
            }
        }
        // Neither port nor path: a plain sleep until the timeout, as Ansible does.
        return nil
    }

    /// Whether a TCP connection to host:port succeeds from the target.
    static func portOpen(_ shell: TargetShell, host: String, port: Int, connectTimeout: Int) async throws -> Bool {
        let target = "/dev/tcp/\(host)/\(port)"
        let script = """
            if command -v bash >/dev/null 2>&1; then
              timeout \(connectTimeout) bash -c 'exec 3<>\(target)' 2>/dev/null
            else
              nc -z -w \(connectTimeout) \(Shell.quote(host)) \(port) 2>/dev/null
            fi
            """
        return try await shell.run(script).exitStatus == 0
    }
}
