/// A configuration problem, located at `file:line:column` when it comes from a YAML file.
///
/// The balancer is a standalone binary, so it carries its own small located error instead of
/// depending on the playbook runner's `Diagnostics` target.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The configuration file, or a description of the source such as `command line`.
    public var file: String
    /// 1-based line, 0 when unknown.
    public var line: Int
    /// 1-based column, 0 when unknown.
    public var column: Int
    /// What is wrong, lowercase, quoting names with '…'.
    public var message: String

    /// Creates an error at a position in `file`.
    public init(file: String, line: Int = 0, column: Int = 0, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: error: message`, the format compilers and the playbook runner use.
    public var description: String {
        if line > 0 {
            return "\(file):\(line):\(column): error: \(message)"
        }
        return "\(file): error: \(message)"
    }
}
