import ModuleAPI

/// Quoting for the POSIX shell that runs every command on a target.
enum Shell {
    /// `value` as one shell word: single-quoted, with embedded single quotes closed and escaped.
    static func quote(_ value: String) -> String {
        if !value.isEmpty, value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+=:,@%".contains($0)) }) {
            return value
        }
        return "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A command line made of words, each quoted.
    static func join(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }

    /// Splits a command line into words as Python's `shlex.split` does (what Ansible's `command`
    /// module uses): whitespace separates words, single and double quotes group, backslash escapes.
    static func split(_ line: String) throws(ModuleFailure) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            switch (quote, character) {
            case (nil, "'"), (nil, "\""):
                quote = character
                inWord = true
            case (nil, "\\"):
                if let next = iterator.next() { current.append(next) }
                inWord = true
            case (nil, _) where character.isWhitespace:
                if inWord { words.append(current) }
                current = ""
                inWord = false
            case (nil, _):
                current.append(character)
                inWord = true
            case ("\"", "\\"):
                // Inside double quotes a backslash only escapes \ " $ ` and newline, as in POSIX shells.
                guard let next = iterator.next() else { break }
                if "\\\"$`\n".contains(next) { current.append(next) } else { current.append("\\"); current.append(next) }
            case (let open?, _) where character == open:
                quote = nil
            default:
                current.append(character)
            }
        }
        if quote != nil { throw ModuleFailure("No closing quotation in command line: \(line)") }
        if inWord { words.append(current) }
        return words
    }
}
