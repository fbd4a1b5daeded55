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

    /// `value` as one shell word that expands like Python's `os.path.expanduser(os.path.expandvars(…))`,
    /// what Ansible's command module does with `expand_argument_vars`: `$NAME` and `${NAME}` become
    /// the variable's value but stay as written when it is unset (never empty, unlike the shell),
    /// a leading `~` or `~user` becomes the home directory, and nothing else (no globbing, word
    /// splitting or command substitution) happens.
    static func quoteExpandingVariables(_ value: String) -> String {
        var text = Substring(value)
        var prefix = ""
        if text.hasPrefix("~") {
            let user = text.dropFirst().prefix { $0 != "/" }
            if user.isEmpty {
                prefix = "\"$HOME\""
                text = text.dropFirst()
            } else if user.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
                // Unquoted up to the slash, the shell expands `~user` when the user exists and leaves
                // it otherwise, as Python does.
                let unquoted = text.prefix(user.count + 2).hasSuffix("/") ? user.count + 2 : user.count + 1
                prefix = String(text.prefix(unquoted))
                text = text.dropFirst(unquoted)
            }
        }
        guard text.contains("$") else { return prefix + (text.isEmpty ? "" : quote(String(text))) }
        var result = "\""
        while let character = text.first {
            if character == "$", let (name, braced, length) = variableReference(text) {
                // `${NAME-word}` keeps the reference literally when NAME is unset; an empty NAME stays empty.
                let literal = braced ? "\\${\(name)\\}" : "\\$\(name)"
                result += "${\(name)-\(literal)}"
                text = text.dropFirst(length)
                continue
            }
            switch character {
            case "$", "\\", "\"", "`": result.append("\\"); result.append(character)
            default: result.append(character)
            }
            text = text.dropFirst()
        }
        return prefix + result + "\""
    }

    /// The variable `text` starts with, as Python's `expandvars` reads it (`$` then ASCII word
    /// characters, or `${…}`), when it is a name a shell can look up; nil leaves the `$` literal
    /// (a name starting with a digit or holding other characters is never set in practice).
    private static func variableReference(_ text: Substring) -> (name: Substring, braced: Bool, length: Int)? {
        let rest = text.dropFirst()
        let braced = rest.first == "{"
        let name: Substring
        if braced {
            guard let close = rest.firstIndex(of: "}") else { return nil }
            name = rest[rest.index(after: rest.startIndex)..<close]
        } else {
            name = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
        guard let first = name.first, first.isASCII, first.isLetter || first == "_",
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else { return nil }
        return (name, braced, 1 + name.count + (braced ? 2 : 0))
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
