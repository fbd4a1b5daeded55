import Foundation

/// The counters of one host in ansible-playbook's `PLAY RECAP` block.
struct HostRecap: Equatable {
    var ok: Int
    var changed: Int
    var unreachable: Int
    var failed: Int
}

enum PlayRecap {
    /// Parses the `PLAY RECAP` lines (`host : ok=3 changed=1 unreachable=0 failed=0 …`) of a run's text output.
    static func parse(_ output: String) -> [String: HostRecap] {
        guard let start = output.range(of: "PLAY RECAP") else { return [:] }
        var hosts: [String: HostRecap] = [:]
        for line in output[start.upperBound...].split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            var counters: [String: Int] = [:]
            for field in parts[1].split(separator: " ") {
                let pair = field.split(separator: "=")
                if pair.count == 2, let number = Int(pair[1]) { counters[String(pair[0])] = number }
            }
            guard let ok = counters["ok"], let changed = counters["changed"] else { continue }
            hosts[parts[0].trimmingCharacters(in: .whitespaces)] = HostRecap(
                ok: ok, changed: changed, unreachable: counters["unreachable"] ?? 0, failed: counters["failed"] ?? 0)
        }
        return hosts
    }
}
