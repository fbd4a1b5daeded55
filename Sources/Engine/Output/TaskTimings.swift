/// Wall-clock time per task, printed after the recap at `-v` (like the `profile_tasks` callback).
struct TaskTimings: Sendable {
    private var finished: [(name: String, duration: Duration)] = []
    private var current: (name: String, started: ContinuousClock.Instant)?

    mutating func observe(_ event: RunEvent) {
        switch event {
        case .taskStarted(let task):
            close()
            current = (task.displayName, .now)
        case .playStarted, .recap, .noMoreHosts:
            close()
        default:
            break
        }
    }

    private mutating func close() {
        if let current { finished.append((current.name, ContinuousClock.now - current.started)) }
        current = nil
    }

    /// The slowest tasks first, at most 20, one line each with dashes up to the 79th column.
    func summary() -> String {
        guard !finished.isEmpty else { return "" }
        var text = String(repeating: "=", count: 79) + "\n"
        for entry in finished.sorted(by: { $0.duration > $1.duration }).prefix(20) {
            let seconds = Double(entry.duration.components.seconds)
                + Double(entry.duration.components.attoseconds) / 1e18
            let time = " " + formatSeconds(seconds)
            let dashes = max(79 - entry.name.count - time.count - 1, 3)
            text += "\(entry.name) \(String(repeating: "-", count: dashes))\(time)\n"
        }
        return text
    }

    private func formatSeconds(_ seconds: Double) -> String {
        let hundredths = Int((seconds * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)s"
    }
}
