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

    /// `value` as one shell word in which only `$NAME`, `${NAME}` and a leading `~` expand — what
    /// Ansible's command module does with `expand_argument_vars` (os.path.expandvars + expanduser):
    /// no globbing, word splitting or command substitution.
    static func quoteExpandingVariables(_ value: String) -> String {
        var text = Substring(value)
        var prefix = ""
        if text == "~" || text.hasPrefix("~/") {
            prefix = "\"$HOME\""
            text = text.dropFirst()
        }
        guard text.contains("$") else { return prefix + (text.isEmpty ? "" : quote(String(text))) }
        var result = "\""
        var characters = text.makeIterator()
        var pending = characters.next()
        while let character = pending {
            pending = characters.next()
            switch character {
            case "$":
                // Only a variable reference stays live; any other `$` (e.g. `$(`) is literal.
                if let next = pending, next == "{" || next == "_" || (next.isASCII && next.isLetter) {
                    result.append("$")
                } else {
                    result.append("\\$")
                }
            case "\\", "\"", "`": result.append("\\"); result.append(character)
            default: result.append(character)
            }
        }
        return prefix + result + "\""
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
