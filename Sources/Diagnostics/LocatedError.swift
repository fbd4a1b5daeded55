/// An error that knows where in the user's input it comes from.
///
/// Every domain error type (loading, templating, module arguments, connections, API calls)
/// conforms, so that the CLI has one place that renders errors: ``DiagnosticRenderer``.
public protocol LocatedError: Error, Sendable, CustomStringConvertible {
    /// Where the problem is, when it can be tied to the user's input.
    var location: SourceLocation? { get }
    /// One lowercase sentence, names quoted with `'…'`, without the location prefix.
    var message: String { get }
    /// Extra lines printed after the snippet ("did you mean 'copy'?", the underlying cause, …).
    var notes: [String] { get }
}

extension LocatedError {
    public var notes: [String] { [] }
    public var description: String {
        if let location { return "\(location): error: \(message)" }
        return "error: \(message)"
    }
}

/// A general located error for cases that need no dedicated type.
public struct SourceError: LocatedError, Equatable {
    public var location: SourceLocation?
    public var message: String
    public var notes: [String]

    public init(_ message: String, at location: SourceLocation? = nil, notes: [String] = []) {
        self.message = message
        self.location = location
        self.notes = notes
    }
}
