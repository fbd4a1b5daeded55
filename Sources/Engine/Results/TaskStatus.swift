/// How one task (or one loop item) ended on one host, after `changed_when`, `failed_when` and
/// `ignore_errors` have been applied. Skips and failures are values, never thrown errors.
public enum TaskStatus: Sendable, Equatable {
    case ok(changed: Bool)
    case skipped
    /// `ignored` is true under `ignore_errors`: the host goes on and the recap counts it as ignored.
    case failed(ignored: Bool)
    /// The host could not be reached; `ignored` under `ignore_unreachable`.
    case unreachable(ignored: Bool)

    public var isChanged: Bool {
        if case .ok(changed: true) = self { return true }
        return false
    }

    /// A failure or unreachability that stops the host.
    public var stopsHost: Bool {
        switch self {
        case .failed(ignored: false), .unreachable(ignored: false): true
        default: false
        }
    }
}
