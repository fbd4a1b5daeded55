/// Renders located errors the way compilers do: `file:line:column: error: message`, then the
/// offending source line and a caret under the column.
public struct DiagnosticRenderer: Sendable {
    /// Returns the text of a file, or nil when it cannot be read; injected so rendering stays testable.
    public typealias SourceProvider = @Sendable (String) -> String?

    private let sourceProvider: SourceProvider

    public init(sourceProvider: @escaping SourceProvider) {
        self.sourceProvider = sourceProvider
    }

    /// The full text for one error: headline, snippet with caret, and notes.
    public func render(_ error: any LocatedError) -> String {
        var lines = [error.description]
        if let location = error.location, let snippet = snippet(at: location) {
            lines.append(contentsOf: snippet)
        }
        lines.append(contentsOf: error.notes.map { "note: \($0)" })
        return lines.joined(separator: "\n")
    }

    /// The source line at `location` and a caret line, or nil when the file or line is unavailable.
    public func snippet(at location: SourceLocation) -> [String]? {
        guard let text = sourceProvider(location.file) else { return nil }
        var lineNumber = 1
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if lineNumber == location.line {
                let sourceLine = String(line.hasSuffix("\r") ? line.dropLast() : line)
                // Keep tabs in the caret line so the caret lines up under tab-indented sources.
                let prefix = sourceLine.unicodeScalars.prefix(max(0, location.column - 1))
                let padding = String(String.UnicodeScalarView(prefix.map { $0 == "\t" ? "\t" : " " }))
                return [sourceLine, padding + "^"]
            }
            lineNumber += 1
        }
        return nil
    }
}
