import Diagnostics

/// An error found while loading playbooks, roles, inventories, variable files or configuration:
/// YAML syntax, unknown keywords and modules, bad argument types, missing files.
///
/// Always carries the location of the offending node when one exists, including for INI
/// inventory errors and missing include files, for which Ansible names no line.
public struct LoadError: LocatedError, Equatable {
    public var message: String
    public var location: SourceLocation?
    public var notes: [String]

    public init(_ message: String, at location: SourceLocation?, notes: [String] = []) {
        self.message = message
        self.location = location
        self.notes = notes
    }

    /// An error with a "did you mean 'X'?" note when `candidates` has a close match to `name`.
    public static func unknown(
        _ message: String, name: String, candidates: some Sequence<String>, at location: SourceLocation?
    ) -> LoadError {
        let notes = Suggestion.closest(to: name, in: candidates).map { ["did you mean '\($0)'?"] } ?? []
        return LoadError(message, at: location, notes: notes)
    }
}
