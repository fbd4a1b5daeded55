/// A position in a source file: the file path plus a 1-based line and column.
///
/// Every YAML node, template span and module argument carries one, so that any error can be
/// reported as `file:line:column: error: …` with the offending line and a caret.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// Path of the file as the user gave it (relative paths stay relative, as ansible-playbook prints them).
    public var file: String
    /// 1-based line number.
    public var line: Int
    /// 1-based column, counted in Unicode scalars (what libyaml reports).
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`.
    public var description: String { "\(file):\(line):\(column)" }

    /// The location `lines` lines and `columns` columns further on; used to map a span inside an
    /// embedded string (a template in a YAML scalar) back onto the file that holds it.
    public func advanced(lines: Int, column newColumn: Int?) -> SourceLocation {
        if lines == 0, let newColumn {
            return SourceLocation(file: file, line: line, column: column + newColumn - 1)
        }
        return SourceLocation(file: file, line: line + lines, column: newColumn ?? column)
    }
}
