/// How a run ended, mapped to ansible-playbook's exit codes.
public enum RunOutcome: Int32, Sendable, Comparable {
    /// Every host finished without an unignored failure.
    case success = 0
    /// Other errors (the playbook could not be loaded, an internal error).
    case error = 1
    /// At least one host failed.
    case hostFailed = 2
    /// At least one host was unreachable (and none failed).
    case hostUnreachable = 4
    /// Bad command-line options.
    case badOptions = 5

    public static func < (lhs: RunOutcome, rhs: RunOutcome) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The exit code for a finished run from its recap counters: failures win over unreachable hosts.
    public static func from(stats: [String: HostStats]) -> RunOutcome {
        if stats.values.contains(where: { $0.failed > 0 }) { return .hostFailed }
        if stats.values.contains(where: { $0.unreachable > 0 }) { return .hostUnreachable }
        return .success
    }
}
