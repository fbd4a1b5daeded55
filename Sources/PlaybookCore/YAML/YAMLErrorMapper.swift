import Diagnostics
import Yams

/// Turns Yams' errors into located ``LoadError``s.
enum YAMLErrorMapper {
    static func map(_ error: YamlError, text: String, file: String) -> LoadError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let location = SourceLocation(file: file, line: mark.line, column: mark.column)
            var notes: [String] = []
            if let context {
                notes.append("\(context.text) at line \(context.mark.line), column \(context.mark.column)")
            }
            if lineHasTab(text, line: mark.line) {
                notes.append("tabs are not allowed for indentation in YAML; use spaces")
            }
            return LoadError("YAML syntax error: \(problem)", at: location, notes: notes)
        case .reader(let problem, let offset, _, _):
            let location = offset.map { position(ofCharacterOffset: $0, in: text, file: file) }
            return LoadError("YAML syntax error: \(problem)", at: location)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let first = SourceLocation(file: file, line: context.mark.line, column: context.mark.column)
            let second = secondOccurrence(of: key, after: first, in: text) ?? first
            return LoadError(
                "duplicate key '\(key)' in mapping", at: second,
                notes: ["'\(key)' was first defined at line \(first.line), column \(first.column)"])
        default:
            return LoadError("YAML error: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    private static func lineHasTab(_ text: String, line: Int) -> Bool {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return false }
        return lines[line - 1].contains("\t") || (line >= 2 && lines[line - 2].contains("\t"))
    }

    private static func position(ofCharacterOffset offset: Int, in text: String, file: String) -> SourceLocation {
        var line = 1
        var column = 1
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if index == offset { break }
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    /// Yams reports only the first occurrence of a duplicated key; the error belongs on the second.
    /// Block mappings repeat the key at the same column on a later line; flow mappings later on a line.
    static func secondOccurrence(of key: String, after first: SourceLocation, in text: String) -> SourceLocation? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        guard first.line >= 1, first.line <= lines.count else { return nil }
        let spellings = [key, "'\(key)'", "\"\(key)\""].map { Array($0.unicodeScalars) }
        func keyStarts(_ line: [Unicode.Scalar], at index: Int) -> Bool {
            for spelling in spellings where index + spelling.count <= line.count {
                guard Array(line[index..<(index + spelling.count)]) == spelling else { continue }
                var rest = index + spelling.count
                while rest < line.count, line[rest] == " " { rest += 1 }
                if rest < line.count, line[rest] == ":" { return true }
            }
            return false
        }
        // Flow style: later on the same line.
        let firstLine = lines[first.line - 1]
        var index = first.column
        while index < firstLine.count {
            if keyStarts(firstLine, at: index), index > 0, [",", "{", " "].contains(firstLine[index - 1]) {
                return SourceLocation(file: first.file, line: first.line, column: index + 1)
            }
            index += 1
        }
        let column = first.column - 1
        for lineIndex in first.line..<lines.count {
            let line = lines[lineIndex]
            let indentation = line.prefix { $0 == " " }.count
            let blank = indentation == line.count || line[indentation] == "#"
            // A line that starts left of the key column (or a new `- ` item) ends the mapping.
            if !blank, indentation < column { break }
            guard column < line.count else { continue }
            if keyStarts(line, at: column) {
                return SourceLocation(file: first.file, line: lineIndex + 1, column: column + 1)
            }
        }
        return nil
    }
}
