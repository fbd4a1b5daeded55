/// Per-host counters printed in the `PLAY RECAP`, counted as ansible-playbook counts them.
public struct HostStats: Sendable, Equatable, Codable {
    public var ok = 0
    public var changed = 0
    public var unreachable = 0
    public var failed = 0
    public var skipped = 0
    public var rescued = 0
    public var ignored = 0

    public init() {}

    /// Counts one final per-host task result (not loop items: a loop counts once). A failed
    /// result that reports `changed` counts as changed too, as ansible-core does.
    public mutating func record(_ status: TaskStatus, resultChanged: Bool = false) {
        if case .failed = status, resultChanged { changed += 1 }
        switch status {
        case .ok(let changed):
            ok += 1
            if changed { self.changed += 1 }
        case .skipped:
            skipped += 1
        case .failed(let ignored):
            if ignored {
                ok += 1
                self.ignored += 1
            } else {
                failed += 1
            }
        case .unreachable(let ignored):
            if ignored {
                ok += 1
                self.ignored += 1
            } else {
                unreachable += 1
            }
        }
    }
}
