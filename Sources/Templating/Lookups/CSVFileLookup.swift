/// `lookup('csvfile', 'key', file=…, delimiter=…, col=…)`: the `col` field of the first row whose
/// `keycol` field is the key, read with Python's `csv` excel dialect, as ansible-core 2.21 does.
/// Terms may carry options inline (`'Li file=elements.csv delimiter=,'`), parsed by `parse_kv`.
enum CSVFileLookup {
    private static let optionNames: Set<String> = ["col", "keycol", "default", "delimiter", "file", "encoding"]

    static func run(_ terms: [Value], _ options: CallArguments, renderer: Renderer) throws -> [Value] {
        var settings: [String: Value] = [
            "col": 1, "keycol": 0, "default": .none, "delimiter": "TAB", "file": "ansible.csv", "encoding": "utf-8",
        ]
        for argument in options.keyword { settings[argument.name] = try typed(argument.name, argument.value) }
        guard !terms.isEmpty else { throw RenderFailure("Search key is required but was not found") }
        var results: [Value] = []
        for term in terms {
            let parsed: [(String, String)]
            do { parsed = try ParseKV.parse(try term.pythonString(), checkRaw: false) } catch let error as ParseKV.SplitError {
                throw RenderFailure("error parsing argument string '\(error.text)', try quoting the entire line.")
            }
            guard let key = parsed.first(where: { $0.0 == "_raw_params" })?.1 else {
                throw RenderFailure("Search key is required but was not found")
            }
            for (name, value) in parsed where name != "_raw_params" {
                guard optionNames.contains(name) else {
                    throw RenderFailure("\(Value.string(name).pythonRepr) is not a valid option")
                }
                settings[name] = try typed(name, .string(value))
            }
            var delimiter = try (settings["delimiter"] ?? "TAB").pythonString()
            if delimiter == "TAB" { delimiter = "\t" }
            guard delimiter.count == 1, let separator = delimiter.first else {
                throw RenderFailure.type("\"delimiter\" must be a 1-character string")
            }
            let fileName = try (settings["file"] ?? "ansible.csv").pythonString()
            guard let path = renderer.context.resolveFile(fileName) else {
                throw RenderFailure.type("expected str, bytes or os.PathLike object, not NoneType")
            }
            let text = try FileText.read(path, encoding: try (settings["encoding"] ?? "utf-8").pythonString())
            let column = try index(settings["col"])
            let keyColumn = try index(settings["keycol"])
            var found = settings["default"] ?? .none
            for row in rows(text, delimiter: separator) where !row.isEmpty {
                guard let field = field(row, keyColumn) else { throw RenderFailure("list index out of range") }
                guard field == key else { continue }
                guard let value = self.field(row, column) else { throw RenderFailure("list index out of range") }
                found = .string(value)
                break
            }
            switch found {
            case .none: continue
            case .list(let values): results += values
            default: results.append(found)
            }
        }
        return results
    }

    /// Python's `row[index]`, negative indexes counting from the end.
    private static func field(_ row: [String], _ index: Int) -> String? {
        let position = index < 0 ? row.count + index : index
        return row.indices.contains(position) ? row[position] : nil
    }

    private static func index(_ value: Value?) throws -> Int {
        guard case .int(let number)? = value else { throw RenderFailure("col and keycol must be integers") }
        return number
    }

    /// `col`/`keycol` are integer options: given as text, they are converted or rejected.
    private static func typed(_ name: String, _ value: Value) throws -> Value {
        guard name == "col" || name == "keycol" else { return value }
        switch value {
        case .int: return value
        case .bool(let flag): return .int(flag ? 1 : 0)
        case .float(let number) where number == number.rounded(): return .int(Int(number))
        case .string(let text):
            if let number = Int(text.trimmingPythonWhitespace()) { return .int(number) }
        default: break
        }
        throw RenderFailure("Invalid type for configuration option \(name): \(value.displayString) is not an integer")
    }

    /// `csv.reader(f, dialect=csv.excel, delimiter=…)` over a file opened in text mode: `"` quotes
    /// fields (`""` inside is a quote, newlines may be quoted), other characters are literal.
    static func rows(_ text: String, delimiter: Character) -> [[String]] {
        let normalized = text.replacingOccurrences("\r\n", "\n").replacingOccurrences("\r", "\n")
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var fieldStarted = false
        var quoted = false
        var afterQuote = false
        var characters = normalized.makeIterator()
        var pending: Character? = characters.next()
        while let character = pending {
            pending = characters.next()
            if quoted {
                if character == "\"" {
                    if pending == "\"" {
                        field.append("\"")
                        pending = characters.next()
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case delimiter:
                row.append(field)
                field = ""
                fieldStarted = true
                afterQuote = false
            case "\n":
                if fieldStarted || !field.isEmpty || afterQuote || !row.isEmpty { row.append(field) }
                rows.append(row)
                row = []
                field = ""
                fieldStarted = false
                afterQuote = false
            case "\"" where field.isEmpty && !afterQuote:
                quoted = true
                fieldStarted = true
            default:
                field.append(character)
                fieldStarted = true
            }
        }
        if fieldStarted || !field.isEmpty || !row.isEmpty || quoted { row.append(field) }
        if !row.isEmpty { rows.append(row) }
        return rows
    }
}
