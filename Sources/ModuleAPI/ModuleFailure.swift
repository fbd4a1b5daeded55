import Templating

/// A module's own failure (bad input, a command that failed), thrown from inside a module and
/// turned into a failed ``ModuleResult`` — Ansible's `fail_json(msg=…, **values)`.
///
/// Throwing it lets helpers deep inside a module stop the run with a message without threading
/// results through every call. Transport failures are ``ConnectionError`` instead and make the
/// host unreachable rather than the task failed.
public struct ModuleFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// Return keys reported with the failure (`rc`, `stdout`, `stderr`, …).
    public var values: ValueDictionary

    public init(_ message: String, values: ValueDictionary = .init()) {
        self.message = message
        self.values = values
    }

    public var description: String { message }

    /// The failed result this failure stands for.
    public var result: ModuleResult { .failure(message, values: values) }
}

extension Module {
    /// Runs `body`, turning a thrown ``ModuleFailure`` into a failed result; other errors propagate.
    public func reportingFailures(
        _ body: () async throws -> ModuleResult
    ) async throws -> ModuleResult {
        do {
            return try await body()
        } catch let failure as ModuleFailure {
            return failure.result
        }
    }
}
