import Foundation
/// Receives every ``RunEvent`` of a run, in order, on one task (so implementations may keep
/// state in stored properties without locks).
public protocol OutputCallback: Sendable {
    mutating func handle(_ event: RunEvent)
}

/// Settings every callback shares.
public struct OutputSettings: Sendable {
    /// `-v` count.
    public var verbosity: Int
    public var diff: Bool
    public var style: TerminalStyle
    /// Banner width: ansible-playbook uses the terminal width minus one, 79 when not a terminal.
    public var columns: Int
    /// Where relative task files are, for the absolute paths of failure reports.
    public var workingDirectory: String

    public init(
        verbosity: Int = 0, diff: Bool = false, style: TerminalStyle = TerminalStyle(enabled: false), columns: Int = 79,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) {
        self.workingDirectory = workingDirectory
        self.verbosity = verbosity
        self.diff = diff
        self.style = style
        self.columns = columns
    }
}
