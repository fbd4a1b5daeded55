import Foundation

/// Ansible's `k=v` argument parsing (`ansible.parsing.splitter`), reproduced exactly: the
/// whitespace splitting that keeps quoted text and Jinja2 blocks together, escape decoding,
/// unquoting, and `_raw_params` for free-form text.
public enum ParseKV {
    /// Options of free-form modules that may still be given as `k=v` (`command: ls chdir=/tmp`).
    static let freeFormOptions: Set<String> = [
        "creates", "removes", "chdir", "executable", "warn", "stdin", "stdin_add_newline", "strip_empty_ends",
    ]

    /// Why `k=v` text could not be split.
    public struct SplitError: Error, Equatable, Sendable {
        public var text: String
    }

    /// `parse_kv(args, check_raw)`: a dict of options in order; free-form words go to `_raw_params`.
    /// With `checkRaw` (free-form modules) only the ``freeFormOptions`` are taken as options.
    public static func parse(_ args: String, checkRaw: Bool) throws(SplitError) -> [(String, String)] {
        var options: [(String, String)] = []
        func setOption(_ key: String, _ value: String) {
            if let index = options.firstIndex(where: { $0.0 == key }) {
                options[index].1 = value
            } else {
                options.append((key, value))
            }
        }
        var rawParams: [String] = []
        for original in try split(args) {
            let decoded = decodeEscapes(original)
            guard decoded.contains("=") else {
                rawParams.append(original)
                continue
            }
            // The first '=' after position 0 that is not escaped separates key and value.
            let characters = Array(decoded)
            var separator: Int?
            var index = 1
            while index < characters.count {
                if characters[index] == "=" && characters[index - 1] != "\\" {
                    separator = index
                    break
                }
                index += 1
            }
            guard let separator else {
                rawParams.append(decoded.replacingAll("\\=", with: "="))
                continue
            }
            let key = String(characters[..<separator])
            let value = String(characters[(separator + 1)...])
            if checkRaw && !freeFormOptions.contains(key) {
                rawParams.append(original)
            } else {
                setOption(key.trimmingPythonWhitespace(), unquote(value.trimmingPythonWhitespace()))
            }
        }
        if !rawParams.isEmpty {
            setOption("_raw_params", joinArgs(rawParams))
        }
        return options
    }

    /// `split_args`: splits on spaces and newlines but keeps quoted strings and `{{ }}`, `{% %}`,
    /// `{# #}` blocks together; keeps newlines inside tokens; `\` at a line end continues it.
    public static func split(_ args: String) throws(SplitError) -> [String] {
        guard !args.isEmpty else { return [] }
        var params: [String] = []
        let items = args.components(separatedByCharacter: "\n")
        var quoteChar: Character?
        var insideQuotes = false
        var printDepth = 0
        var blockDepth = 0
        var commentDepth = 0
        for (itemIndex, item) in items.enumerated() {
            let tokens = item.components(separatedByCharacter: " ")
            var lineContinuation = false
            for (index, token) in tokens.enumerated() {
                if token.isEmpty && index != 0 {
                    if params.isEmpty { params.append("") }
                    params[params.count - 1] += " "
                    continue
                }
                if token == "\\" && !insideQuotes {
                    lineContinuation = true
                    continue
                }
                let wasInsideQuotes = insideQuotes
                quoteChar = quoteState(token, quoteChar)
                insideQuotes = quoteChar != nil
                var appended = false
                let inJinja = printDepth > 0 || blockDepth > 0 || commentDepth > 0
                if insideQuotes && !wasInsideQuotes && !inJinja {
                    params.append(token)
                    appended = true
                } else if inJinja || insideQuotes || wasInsideQuotes {
                    if params.isEmpty { params.append("") }
                    if index == 0 && wasInsideQuotes {
                        params[params.count - 1] += token
                    } else {
                        params[params.count - 1] += (index > 0 ? " " : "") + token
                    }
                    appended = true
                }
                let previousPrint = printDepth
                printDepth = countBlocks(token, printDepth, "{{", "}}")
                if printDepth != previousPrint && !appended {
                    params.append(token)
                    appended = true
                }
                let previousBlock = blockDepth
                blockDepth = countBlocks(token, blockDepth, "{%", "%}")
                if blockDepth != previousBlock && !appended {
                    params.append(token)
                    appended = true
                }
                let previousComment = commentDepth
                commentDepth = countBlocks(token, commentDepth, "{#", "#}")
                if commentDepth != previousComment && !appended {
                    params.append(token)
                    appended = true
                }
                if printDepth == 0 && blockDepth == 0 && commentDepth == 0 && !insideQuotes && !appended
                    && !token.isEmpty
                {
                    params.append(token)
                }
            }
            if items.count > 1 && itemIndex != items.count - 1 && !lineContinuation {
                if params.isEmpty { params.append("") }
                params[params.count - 1] += "\n"
            }
        }
        if printDepth > 0 || blockDepth > 0 || commentDepth > 0 || insideQuotes {
            throw SplitError(text: args)
        }
        return params
    }

    /// `join_args`: joins with single spaces, but not after a newline.
    static func joinArgs(_ parts: [String]) -> String {
        var result = ""
        for part in parts {
            if result.isEmpty || result.hasSuffix("\n") {
                result += part
            } else {
                result += " " + part
            }
        }
        return result
    }

    /// Strips one pair of matching outer quotes (`unquote` in `ansible.parsing.quoting`).
    public static func unquote(_ text: String) -> String {
        let characters = Array(text)
        guard characters.count > 1, let first = characters.first, first == characters.last,
            first == "\"" || first == "'", characters[characters.count - 2] != "\\"
        else { return text }
        return String(characters[1..<(characters.count - 1)])
    }

    private static func quoteState(_ token: String, _ current: Character?) -> Character? {
        var quote = current
        var previous: Character?
        for character in token {
            if (character == "\"" || character == "'") && previous != "\\" {
                if let open = quote {
                    if character == open { quote = nil }
                } else {
                    quote = character
                }
            }
            previous = character
        }
        return quote
    }

    private static func countBlocks(_ token: String, _ depth: Int, _ open: String, _ close: String) -> Int {
        let opened = token.occurrences(of: open)
        let closed = token.occurrences(of: close)
        guard opened != closed else { return depth }
        return max(0, depth + opened - closed)
    }

    /// Python's `unicode-escape` decoding of `\n`, `\t`, `\\`, `\'`, `\"`, `\a`…, `\xHH`, `\uHHHH`,
    /// `\UHHHHHHHH` sequences (named `\N{…}` escapes are left as written).
    static func decodeEscapes(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "\\", index + 1 < scalars.count else {
                out.append(scalar)
                index += 1
                continue
            }
            let next = scalars[index + 1]
            let simple: [Unicode.Scalar: Unicode.Scalar] = [
                "\\": "\\", "'": "'", "\"": "\"", "a": "\u{07}", "b": "\u{08}", "f": "\u{0C}", "n": "\n",
                "r": "\r", "t": "\t", "v": "\u{0B}",
            ]
            if let replacement = simple[next] {
                out.append(replacement)
                index += 2
                continue
            }
            let width: Int? = next == "x" ? 2 : next == "u" ? 4 : next == "U" ? 8 : nil
            if let width, index + 2 + width <= scalars.count {
                let hex = String(String.UnicodeScalarView(scalars[(index + 2)..<(index + 2 + width)]))
                if hex.allSatisfy(\.isHexDigit), let code = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(code) {
                    out.append(decoded)
                    index += 2 + width
                    continue
                }
            }
            out.append(scalar)
            index += 1
        }
        return String(out)
    }
}

extension String {
    func components(separatedByCharacter separator: Character) -> [String] {
        split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }

    /// Python's `str.count`: non-overlapping occurrences, compared by code units.
    func occurrences(of needle: String) -> Int {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return 0 }
        func count(_ bytes: some Collection<UInt8>) -> Int {
            let bytes = Array(bytes)
            var found = 0
            var index = 0
            while index + pattern.count <= bytes.count {
                if bytes[index] == first && bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                    found += 1
                    index += pattern.count
                } else {
                    index += 1
                }
            }
            return found
        }
        guard utf8.contains(first) else { return 0 }
        return count(utf8)
    }

    /// Every occurrence of `target` replaced (public: PlaybookCore's host patterns use it too).
    public func replacingAll(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

}

extension StringProtocol {
    /// Python's `str.strip()` for the whitespace that can appear here (public: PlaybookCore reads
    /// config, inventory and keywords with the same rule).
    public func trimmingPythonWhitespace() -> String {
        let whitespace: Set<Character> = [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}"]
        var slice = self[...]
        while let first = slice.first, whitespace.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, whitespace.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
