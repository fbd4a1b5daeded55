import Diagnostics

extension YAMLNode {
    /// Maps a position inside this scalar's text (1-based `line` and `column`, as the template
    /// engine reports them) to the file position, so template errors point into the playbook.
    ///
    /// Exact for plain and quoted single-line scalars without escapes and for literal (`|`)
    /// blocks; for folded and multi-line flow scalars, whose line breaks YAML rewrites, the
    /// result is the best match (same line offset, same column offset).
    public func sourceLocation(ofTextLine line: Int, column: Int) -> SourceLocation {
        guard let scalar else { return location }
        switch scalar.style {
        case .literal, .folded:
            let indent = scalar.blockIndent ?? (location.column + 1)
            return SourceLocation(file: location.file, line: location.line + line, column: indent + column)
        case .singleQuoted, .doubleQuoted:
            if line == 1 {
                return SourceLocation(file: location.file, line: location.line, column: location.column + column)
            }
            return SourceLocation(file: location.file, line: location.line + line - 1, column: column)
        case .plain:
            if line == 1 {
                return SourceLocation(file: location.file, line: location.line, column: location.column + column - 1)
            }
            return SourceLocation(file: location.file, line: location.line + line - 1, column: location.column + column - 1)
        }
    }
}
