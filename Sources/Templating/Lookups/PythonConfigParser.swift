/// Python's `configparser.ConfigParser` with its default settings, as the `ini` lookup uses it:
/// `=`/`:` delimiters, whole-line `#`/`;` comments (no inline comments), indented continuation
/// lines, `[DEFAULT]` values visible in every section, strict duplicate checks, keys lowercased
/// unless case-sensitive, and optional `BasicInterpolation` (`%(name)s`, `%%`).
///
/// Sections accumulate over several ``read(_:)`` calls, as they do on one Python parser.
struct PythonConfigParser {
    var allowNoValue = false
    var caseSensitive = false
    var interpolation = true

    /// Options in file order; a nil value is a key written without a value (`allow_no_value`).
    typealias Section = [(key: String, value: String?)]
    private(set) var sections: [(name: String, options: Section)] = []
    private var defaults: Section = []

    /// Parses `text` like `read_file` on a stream with no name (messages say `<???>`).
    mutating func read(_ text: String) throws(RenderFailure) {
        var added = Set<String>()
        var current: String?  // nil: no section yet; "DEFAULT" writes into `defaults`
        var option: String?
        var pending: [String] = []  // the current option's lines, joined when the option ends
        var indentLevel = 0
        var errors: [(line: Int, text: String)] = []

        func flush() {
            guard let name = option, let section = current else { return }
            let joined = pending.joined(separator: "\n")
            setValue(section, name, Self.stripTrailing(joined))
        }

        let lines = Self.lines(text)
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let stripped = line.trimmingPythonWhitespace()
            let isComment = stripped.hasPrefix("#") || stripped.hasPrefix(";")
            let value = isComment ? "" : stripped
            if value.isEmpty {
                // An empty line inside a value is kept (empty_lines_in_values); a comment line is not.
                if !isComment, let section = current, let name = option, (storedValue(section, name) ?? nil) != nil {
                    pending.append("")
                }
                continue
            }
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            if current != nil, option != nil, indent > indentLevel {
                pending.append(value)
                continue
            }
            flush()
            option = nil
            pending = []
            indentLevel = indent
            // SECTCRE `\[(?P<header>.+)\]` matched at the start: the name runs to the last `]`.
            if value.hasPrefix("["), let close = value.lastIndex(of: "]"), close > value.index(after: value.startIndex) {
                let name = String(value[value.index(after: value.startIndex)..<close])
                if name == "DEFAULT" {
                    current = name
                } else if sections.contains(where: { $0.name == name }) {
                    if added.contains("[" + name) {
                        throw RenderFailure(
                            "While reading from '<???>' [line \(Self.pad(number))]: section \(Value.string(name).pythonRepr) already exists")
                    }
                    current = name
                } else {
                    sections.append((name, []))
                    current = name
                }
                added.insert("[" + name)
                continue
            }
            guard let section = current else {
                throw RenderFailure(
                    "File contains no section headers.\nfile: '<???>', line: \(number)\n\(Value.string(line + "\n").pythonRepr)")
            }
            guard let (key, rawValue) = splitOption(value) else {
                errors.append((number, line + "\n"))
                continue
            }
            let name = caseSensitive ? key : key.lowercased()
            if added.contains(section + "\u{0}" + name) {
                throw RenderFailure(
                    "While reading from '<???>' [line \(Self.pad(number))]: option \(Value.string(name).pythonRepr) in section \(Value.string(section).pythonRepr) already exists")
            }
            added.insert(section + "\u{0}" + name)
            option = name
            if let rawValue {
                pending = [rawValue.trimmingPythonWhitespace()]
                setValue(section, name, "")
            } else {
                pending = []
                setValue(section, name, nil)
                option = nil
            }
        }
        flush()
        if !errors.isEmpty {
            let listed = errors.map { "\n\t[line \(Self.pad($0.line))]: \(Value.string($0.text).pythonRepr)" }.joined()
            throw RenderFailure("Source contains parsing errors: '<???>'\(listed)")
        }
    }

    /// The option's value as read so far: nil when absent, `.some(nil)` for a value-less key.
    private func storedValue(_ section: String, _ name: String) -> String?? {
        let options = section == "DEFAULT" ? defaults : sections.first { $0.name == section }?.options ?? []
        return options.first { $0.key == name }.map { $0.value }
    }

    /// `option delimiter value`: the option is everything before the first `=` or `:` (lazily, as
    /// the regex `(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$` takes it).
    private func splitOption(_ text: String) -> (String, String?)? {
        guard let delimiter = text.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
            return allowNoValue && !text.isEmpty ? (text.trimmingPythonWhitespace(), nil) : nil
        }
        let key = text[..<delimiter].trimmingPythonWhitespace()
        guard !key.isEmpty else { return nil }
        return (key, String(text[text.index(after: delimiter)...]))
    }

    private mutating func setValue(_ section: String, _ name: String, _ value: String?) {
        if section == "DEFAULT" {
            Self.set(&defaults, name, value)
        } else if let index = sections.firstIndex(where: { $0.name == section }) {
            Self.set(&sections[index].options, name, value)
        }
    }

    private static func set(_ options: inout Section, _ name: String, _ value: String?) {
        if let index = options.firstIndex(where: { $0.key == name }) {
            options[index].value = value
        } else {
            options.append((name, value))
        }
    }

    /// Whether `section` exists (`DEFAULT` always does).
    func hasSection(_ section: String) -> Bool {
        section == "DEFAULT" || sections.contains { $0.name == section }
    }

    /// `get(section, key)`: nil when the option is missing, `.some(nil)` for a value-less key.
    func get(_ section: String, _ key: String) throws(RenderFailure) -> String?? {
        let merged = items(section)
        let name = caseSensitive ? key : key.lowercased()
        guard let entry = merged.first(where: { $0.key == name }) else { return nil }
        return .some(try interpolated(entry.value, option: name, section: section, in: merged))
    }

    /// `items(section)`: `[DEFAULT]` options, then the section's, values interpolated.
    func interpolatedItems(_ section: String) throws(RenderFailure) -> [(key: String, value: String?)] {
        let merged = items(section)
        var result: [(key: String, value: String?)] = []
        for entry in merged {
            result.append((entry.key, try interpolated(entry.value, option: entry.key, section: section, in: merged)))
        }
        return result
    }

    private func items(_ section: String) -> Section {
        var merged = defaults
        if section != "DEFAULT" {
            for entry in sections.first(where: { $0.name == section })?.options ?? [] { Self.set(&merged, entry.key, entry.value) }
        }
        return merged
    }

    private func interpolated(_ value: String?, option: String, section: String, in map: Section, depth: Int = 1)
        throws(RenderFailure) -> String?
    {
        guard interpolation, let value, value.contains("%") else { return value }
        if depth > 10 {
            throw RenderFailure("Recursion limit exceeded in value substitution: option '\(option)' in section '\(section)' contains an interpolation key which cannot be substituted in 10 steps. Raw value: '\(value)'")
        }
        var output = ""
        var rest = Substring(value)
        while let percent = rest.firstIndex(of: "%") {
            output += rest[..<percent]
            rest = rest[percent...]
            let next = rest.dropFirst().first
            if next == "%" {
                output += "%"
                rest = rest.dropFirst(2)
            } else if next == "(" {
                guard let close = rest.firstIndex(of: ")"), rest.index(after: close) < rest.endIndex,
                    rest[rest.index(after: close)] == "s", rest.index(rest.startIndex, offsetBy: 2) < close
                else {
                    throw RenderFailure("bad interpolation variable reference \(Value.string(String(rest)).pythonRepr)")
                }
                let reference = String(rest[rest.index(rest.startIndex, offsetBy: 2)..<close])
                let name = caseSensitive ? reference : reference.lowercased()
                rest = rest[rest.index(close, offsetBy: 2)...]
                guard let entry = map.first(where: { $0.key == name }) else {
                    throw RenderFailure(
                        "Bad value substitution: option \(Value.string(option).pythonRepr) in section \(Value.string(section).pythonRepr) contains an interpolation key \(Value.string(name).pythonRepr) which is not a valid option name. Raw value: \(Value.string(value).pythonRepr)")
                }
                output += try interpolated(entry.value, option: option, section: section, in: map, depth: depth + 1) ?? ""
            } else {
                throw RenderFailure("'%' must be followed by '%' or '(', found: \(Value.string(String(rest)).pythonRepr)")
            }
        }
        return output + rest
    }

    /// Python's line iteration of a text stream (universal newlines).
    private static func lines(_ text: String) -> [String] {
        var lines = text.replacingOccurrences("\r\n", "\n").replacingOccurrences("\r", "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// `str.rstrip()` of a joined multi-line value.
    private static func stripTrailing(_ text: String) -> String {
        var slice = Substring(text)
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }

    /// configparser's `[line %2d]`.
    private static func pad(_ number: Int) -> String {
        number < 10 ? " \(number)" : "\(number)"
    }
}
