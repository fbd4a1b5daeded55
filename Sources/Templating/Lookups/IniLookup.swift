import Foundation

/// `lookup('ini', 'key', file=…, section=…)`: values from an INI file (or a Java properties file
/// with `type=properties`) read as Python's configparser reads it, as ansible-core 2.21 does,
/// including the legacy `'key section=… file=…'` term syntax.
enum IniLookup {
    /// The plugin's options in declaration order (the inline syntax matches them in this order).
    private static let optionNames = [
        "_terms", "type", "file", "section", "re", "encoding", "default", "case_sensitive", "allow_no_value",
        "interpolation",
    ]

    static func run(_ terms: [Value], _ options: CallArguments, renderer: Renderer) throws -> [Value] {
        var settings: [String: Value] = [
            "type": "ini", "file": "ansible.ini", "section": "global", "re": false, "encoding": "utf-8", "default": "",
            "case_sensitive": false, "allow_no_value": false, "interpolation": true,
        ]
        for argument in options.keyword {
            let name = argument.name == "allow_none" ? "allow_no_value" : argument.name
            settings[name] = try typed(name, argument.value)
        }
        // The parser is configured once from the keyword options; inline options do not change it.
        var parser = PythonConfigParser()
        parser.allowNoValue = try settings["allow_no_value"]?.truthy() ?? false
        parser.caseSensitive = try settings["case_sensitive"]?.truthy() ?? false
        parser.interpolation = try settings["interpolation"]?.truthy() ?? true
        var results: [Value] = []
        for term in terms {
            let text = try term.pythonString()
            var key = text
            if text.contains("=") || text.trimmingPythonWhitespace().contains(" ") {
                var updatedKey = false
                let params = inlineParameters(text)
                for param in params {
                    if param.contains("=") {
                        let parts = param.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
                        guard parts.count == 2 else {
                            throw RenderFailure(
                                "Could not use \(Value.string(param).pythonRepr) from \(Value.list(params.map(Value.string)).pythonRepr).")
                        }
                        guard optionNames.contains(parts[0]) else {
                            throw RenderFailure("\(Value.string(parts[0]).pythonRepr) is not a valid option.")
                        }
                        settings[parts[0]] = try typed(parts[0], .string(parts[1]))
                    } else if key == text {
                        key = param
                        updatedKey = true
                    }
                }
                guard updatedKey else {
                    throw RenderFailure(
                        "No key to look up was provided as first term within string inline options: \(text)")
                }
            }
            let fileName = try (settings["file"] ?? "ansible.ini").pythonString()
            guard let path = renderer.context.resolveFile(fileName) else {
                throw RenderFailure("Unable to find '\(fileName)' in expected paths (use -vvvvv to see paths)")
            }
            var contents = try FileText.read(path, encoding: try (settings["encoding"] ?? "utf-8").pythonString())
            if try settings["type"]?.pythonString() == "properties" {
                contents = "[java_properties]\n" + contents
                settings["section"] = "java_properties"
            }
            try read(contents, into: &parser, fileName: fileName)
            let section = try (settings["section"] ?? "global").pythonString()
            guard parser.hasSection(section) else {
                throw RenderFailure(
                    "No section \(Value.string(section).pythonRepr) in \(Value.string(fileName).pythonRepr).")
            }
            if try settings["re"]?.truthy() ?? false {
                let regex = try PythonRegex(key)
                for item in try parser.interpolatedItems(section) where regex.firstMatch(in: item.key, anchored: true) != nil {
                    results.append(item.value.map(Value.string) ?? .none)
                }
            } else if let found = try parser.get(section, key) {
                if let value = found { results.append(.string(value)) }
            } else {
                let fallback = settings["default"] ?? ""
                if fallback != .none { results.append(fallback) }
            }
        }
        return results
    }

    /// Reads one file into the parser; a duplicate option is reported as the plugin reports it.
    private static func read(_ contents: String, into parser: inout PythonConfigParser, fileName: String)
        throws(RenderFailure)
    {
        do {
            try parser.read(contents)
        } catch {
            guard error.message.contains(" in section "), error.message.hasSuffix("already exists") else { throw error }
            throw RenderFailure("Duplicate option in \(Value.string(fileName).pythonRepr).")
        }
    }

    /// `_parse_params`: words split on whitespace; a word holding `option=` starts that option,
    /// other words continue the current one (the key first), so values may contain spaces.
    private static func inlineParameters(_ term: String) -> [String] {
        var values: [String: String] = [:]
        var order: [String] = []
        var current = "key"
        for (index, word) in term.split(whereSeparator: \.isWhitespace).map(String.init).enumerated() {
            if word.contains("=") {
                for name in optionNames where word.contains(name + "=") { current = name }
            }
            if index == 0 || (values[current] ?? "").isEmpty {
                values[current] = word
                order.append(current)
            } else {
                values[current, default: ""] += " " + word
            }
        }
        return order.map { values[$0] ?? "" }
    }

    /// Option values as the plugin's option types convert them (`re`, `allow_no_value` and
    /// `interpolation` are booleans; the others stay as given, so `case_sensitive='False'` is truthy).
    private static func typed(_ name: String, _ value: Value) throws -> Value {
        guard ["re", "allow_no_value", "interpolation"].contains(name), case .string = value else { return value }
        return .bool(ListLookups.lenientBoolean(value))
    }
}
