/// Jinja2's and Ansible's text filters.
enum StringFilters {
    static let table: [String: FilterFunction] = [
        "lower": { input, _, _ in .string(try input.pythonString().lowercased()) },
        "upper": { input, _, _ in .string(try input.pythonString().uppercased()) },
        "capitalize": { input, _, _ in .string(StringFunctions.capitalize(try input.pythonString())) },
        "title": { input, _, _ in .string(jinjaTitle(try input.pythonString())) },
        "trim": { input, arguments, _ in
            let characters = try arguments.value(0, "chars").flatMap { value -> String? in
                if case .none = value { return nil }
                return try value.pythonString()
            }
            return .string(StringFunctions.strip(try input.pythonString(), characters: characters, leading: true, trailing: true))
        },
        "replace": { input, arguments, _ in
            let old = try arguments.string(0, "old", default: "")
            let new = try arguments.string(1, "new", default: "")
            let count = arguments.value(2, "count").flatMap(\.integerValue) ?? -1
            return .string(StringFunctions.replace(try input.pythonString(), old, new, count: count))
        },
        "center": { input, arguments, _ in
            .string(StringFunctions.pad(try input.pythonString(), width: try arguments.integer(0, "width", default: 80), fill: " ", mode: "center"))
        },
        "indent": indent,
        "truncate": { input, arguments, _ in
            let text = try input.pythonString()
            let length = try arguments.integer(0, "length", default: 255)
            let killWords = try arguments.bool(1, "killwords", default: false)
            let end = try arguments.string(2, "end", default: "...")
            let leeway = try arguments.integer(3, "leeway", default: 5)
            guard length >= end.count else { throw RenderFailure("expected length >= \(end.count), got \(length)", kind: .value) }
            guard leeway >= 0 else { throw RenderFailure("expected leeway >= 0, got \(leeway)", kind: .value) }
            if text.count <= length + leeway { return .string(text) }
            let head = String(text.prefix(length - end.count))
            if killWords { return .string(head + end) }
            let cut = StringFunctions.rsplit(head, separator: " ", maxSplit: 1)[0]
            return .string(cut + end)
        },
        "wordwrap": wordwrap,
        "wordcount": { input, _, _ in
            let text = try input.pythonString()
            var count = 0
            var inWord = false
            for character in text {
                let isWord = character.isLetter || character.isNumber || character == "_"
                if isWord && !inWord { count += 1 }
                inWord = isWord
            }
            return .int(count)
        },
        "format": { input, arguments, _ in
            let format = try input.pythonString()
            if !arguments.keyword.isEmpty {
                guard arguments.positional.isEmpty else {
                    throw RenderFailure.type("can't handle positional and keyword arguments at the same time")
                }
                return .string(try PercentFormatter.format(format, .dict(ValueDictionary(arguments.keyword.map { (.string($0.name), $0.value) }))))
            }
            var positional = arguments.positional
            return .string(try PercentFormatter.apply(format, positional: &positional, mapping: nil))
        },
        "escape": escape, "e": escape, "forceescape": escape,
        "safe": { input, _, _ in input },
        "striptags": { input, _, _ in
            var text = ""
            var inTag = false
            for character in try input.pythonString() {
                if character == "<" { inTag = true } else if character == ">" && inTag { inTag = false } else if !inTag { text.append(character) }
            }
            return .string(StringFunctions.split(text, separator: nil, maxSplit: -1).joined(separator: " "))
        },
        "filesizeformat": { input, arguments, _ in
            let bytes = FilterSupport.toFloat(input)
            let binary = try arguments.bool(0, "binary", default: false)
            let base = binary ? 1024.0 : 1000.0
            let prefixes = binary
                ? ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
                : ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
            if bytes == 1 { return "1 Byte" }
            if bytes < base { return .string("\(Int(bytes)) Bytes") }
            var unit = base
            for (index, prefix) in prefixes.enumerated() {
                unit = Value.pow(base, Double(index + 2))
                if bytes < unit || index == prefixes.count - 1 {
                    return .string(try FormatSpec.parse(".1f").render(.float(base * bytes / unit), percentStyle: false) + " " + prefix)
                }
            }
            return .string("\(bytes)")
        },
        "urlencode": { input, _, _ in
            switch input {
            case .dict(let dictionary):
                return .string(try dictionary.map { "\(URLQuoting.quotePlus(try $0.key.pythonString()))=\(URLQuoting.quotePlus(try $0.value.pythonString()))" }.joined(separator: "&"))
            case .list(let pairs):
                return .string(try pairs.map { pair in
                    let items = try pair.iterated()
                    guard items.count == 2 else { throw RenderFailure("urlencode pairs need two items", kind: .value) }
                    return "\(URLQuoting.quotePlus(try items[0].pythonString()))=\(URLQuoting.quotePlus(try items[1].pythonString()))"
                }.joined(separator: "&"))
            default:
                return .string(URLQuoting.quote(try input.pythonString(), safe: "/"))
            }
        },
        "xmlattr": { input, arguments, _ in
            guard case .dict(let dictionary) = input else { throw RenderFailure.type("xmlattr requires a mapping") }
            let autospace = try arguments.bool(0, "autospace", default: true)
            var parts: [String] = []
            for (key, value) in dictionary {
                if case .none = value { continue }
                if case .undefined = value { continue }
                let name = try key.pythonString()
                if name.contains(where: { " />=".contains($0) }) {
                    throw RenderFailure("Invalid character in attribute name: '\(name)'", kind: .value)
                }
                parts.append("\(MarkupEscaping.escape(name))=\"\(MarkupEscaping.escape(try value.pythonString()))\"")
            }
            let joined = parts.joined(separator: " ")
            return .string(autospace && !joined.isEmpty ? " " + joined : joined)
        },
        "pprint": { input, _, _ in .string(input.pythonRepr) },
        "split": { input, arguments, _ in
            let separator = try arguments.value(0, "sep").flatMap { value -> String? in
                if case .none = value { return nil }
                return try value.pythonString()
            }
            let limit = try arguments.integer(1, "maxsplit", default: -1)
            return .list(StringFunctions.split(try input.pythonString(), separator: separator, maxSplit: limit).map(Value.string))
        },
        "quote": { input, _, _ in .string(shellQuote(try input.pythonString())) },
        "comment": comment,
    ]

    /// Jinja2's title: words start after whitespace, hyphens and opening brackets.
    static func jinjaTitle(_ text: String) -> String {
        var result = ""
        var atWordStart = true
        for character in text {
            if character.isWhitespace || "-({[<".contains(character) {
                result.append(character)
                atWordStart = true
            } else {
                result += atWordStart ? character.uppercased() : character.lowercased()
                atWordStart = false
            }
        }
        return result
    }

    private static let escape: FilterFunction = { input, _, _ in
        if case .none = input { return .string("None") }
        return .string(MarkupEscaping.escape(try input.pythonString()))
    }

    /// Python's `shlex.quote`.
    static func shellQuote(_ text: String) -> String {
        if text.isEmpty { return "''" }
        let safe = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "@%+=:,./-_".contains($0)) }
        if safe { return text }
        return "'" + text.replacingOccurrences("'", "'\"'\"'") + "'"
    }

    private static let indent: FilterFunction = { input, arguments, _ in
        let text = try input.pythonString() + "\n"
        let indentation: String
        switch arguments.value(0, "width") {
        case .string(let prefix)?: indentation = prefix
        case let width?: indentation = String(repeating: " ", count: FilterSupport.toInt(width, default: 4))
        case nil: indentation = "    "
        }
        let first = try arguments.bool(1, "first", default: false)
        let blank = try arguments.bool(2, "blank", default: false)
        var lines = StringFunctions.splitLines(text, keepEnds: false)
        var result: String
        if blank {
            result = lines.joined(separator: "\n" + indentation)
        } else {
            result = lines.isEmpty ? "" : lines.removeFirst()
            if !lines.isEmpty {
                result += "\n" + lines.map { $0.isEmpty ? $0 : indentation + $0 }.joined(separator: "\n")
            }
        }
        if first { result = indentation + result }
        return .string(result)
    }

    private static let wordwrap: FilterFunction = { input, arguments, _ in
        let text = try input.pythonString()
        let width = try arguments.integer(0, "width", default: 79)
        let breakLongWords = try arguments.bool(1, "break_long_words", default: true)
        let wrapString = try arguments.string(2, "wrapstring", default: "\n")
        guard width > 0 else { throw RenderFailure("invalid width \(width) (must be > 0)", kind: .value) }
        let paragraphs = StringFunctions.splitLines(text, keepEnds: false).map { line -> String in
            var lines: [String] = []
            var current = ""
            for word in line.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
                var word = word
                if current.isEmpty {
                    while breakLongWords && word.count > width {
                        lines.append(String(word.prefix(width)))
                        word = String(word.dropFirst(width))
                    }
                    current = word
                } else if current.count + 1 + word.count <= width {
                    current += " " + word
                } else {
                    lines.append(current)
                    while breakLongWords && word.count > width {
                        lines.append(String(word.prefix(width)))
                        word = String(word.dropFirst(width))
                    }
                    current = word
                }
            }
            if !current.isEmpty { lines.append(current) }
            return lines.joined(separator: wrapString)
        }
        return .string(paragraphs.joined(separator: wrapString))
    }

    private static let comment: FilterFunction = { input, arguments, _ in
        let text = try input.pythonString()
        let style = try arguments.string(0, "style", default: "plain")
        let styles: [String: [String: String]] = [
            "plain": ["decoration": "# "], "erlang": ["decoration": "% "], "c": ["decoration": "// "],
            "cblock": ["beginning": "/*", "decoration": " * ", "end": " */"],
            "xml": ["beginning": "<!--", "decoration": " - ", "end": "-->"],
        ]
        guard let styleParameters = styles[style] else { throw RenderFailure("Invalid style '\(style)'.", kind: .other) }
        let prePostfix = try arguments.named("decoration").map { try $0.pythonString() } ?? styleParameters["decoration"] ?? ""
        let trimmed = StringFunctions.strip(prePostfix, characters: nil, leading: false, trailing: true)
        var parameters: [String: String] = [
            "newline": "\n", "beginning": "", "prefix": trimmed, "prefix_count": "1", "decoration": "",
            "postfix": trimmed, "postfix_count": "1", "end": "",
        ]
        parameters.merge(styleParameters) { _, new in new }
        for argument in arguments.keyword { parameters[argument.name] = try argument.value.pythonString() }
        let newline = parameters["newline"] ?? "\n"
        let decoration = parameters["decoration"] ?? ""
        var beginning = ""
        if let value = parameters["beginning"], !value.isEmpty { beginning = value + newline }
        var prefix = ""
        if let value = parameters["prefix"], !value.isEmpty {
            let count = Int(parameters["prefix_count"] ?? "1") ?? 1
            prefix = String(repeating: value == newline ? newline : value + newline, count: count)
        }
        let body = (decoration + text.replacingOccurrences(newline, newline + decoration))
            .replacingOccurrences(decoration + newline, StringFunctions.strip(decoration, characters: nil, leading: false, trailing: true) + newline)
        let postfixCount = Int(parameters["postfix_count"] ?? "1") ?? 1
        let postfix = ([""] + Array(repeating: parameters["postfix"] ?? "", count: postfixCount)).joined(separator: newline)
        var end = ""
        if let value = parameters["end"], !value.isEmpty { end = newline + value }
        return .string(beginning + prefix + body + postfix + end)
    }
}

/// Percent-encoding as Python's `urllib.parse.quote`.
enum URLQuoting {
    /// Query-string quoting (`quote_plus`): spaces become `+`.
    static func quotePlus(_ text: String) -> String {
        quote(text, safe: " ").replacingOccurrences(" ", "+")
    }

    static func quote(_ text: String, safe: String) -> String {
        var output = ""
        for byte in text.utf8 {
            let character = Character(UnicodeScalar(byte))
            if byte < 128 && (character.isLetter || character.isNumber || "_.-~".contains(character) || safe.contains(character)) {
                output.append(character)
            } else {
                output += "%" + Value.hex(UInt32(byte), width: 2).uppercased()
            }
        }
        return output
    }
}
