/// How a run ended, mapped to ansible-playbook's exit codes.
public enum RunOutcome: Sendable, Equatable {
    /// Every host finished without an unignored failure.
    case success
    /// Other errors (an internal error, a file that cannot be written, an undefined play host pattern).
    case error
    /// At least one host failed.
    case hostFailed
    /// At least one host was unreachable (and none failed).
    case hostUnreachable
    /// The playbook, inventory or a variable file could not be loaded or failed static validation
    /// (ansible-core's `PARSER_ERROR`, which shares code 4 with unreachable hosts).
    case loadError
    /// Bad command-line options.
    case badOptions

    /// The process exit code, as ansible-playbook's `ExitCode`.
    public var exitCode: Int32 {
        switch self {
        case .success: 0
        case .error: 1
        case .hostFailed: 2
        case .hostUnreachable, .loadError: 4
        case .badOptions: 5
        }
    }

    /// The exit code for a finished run from its recap counters: failures win over unreachable hosts.
    public static func from(stats: [String: HostStats]) -> RunOutcome {
        if stats.values.contains(where: { $0.failed > 0 }) { return .hostFailed }
        if stats.values.contains(where: { $0.unreachable > 0 }) { return .hostUnreachable }
        return .success
    }
}
