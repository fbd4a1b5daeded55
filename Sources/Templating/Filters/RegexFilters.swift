import Foundation

/// `regex_replace`, `regex_search`, `regex_findall`, `regex_escape` with Python `re` semantics.
enum RegexFilters {
    static let table: [String: FilterFunction] = [
        "regex_replace": { input, arguments, _ in
            let text = try input.pythonString()
            let pattern = try arguments.string(0, "pattern", default: "")
            let replacement = try arguments.string(1, "replacement", default: "")
            let regex = try PythonRegex(
                pattern, ignoreCase: try arguments.bool(2, "ignorecase", default: false),
                multiline: try arguments.bool(3, "multiline", default: false))
            let count = try arguments.integer(4, "count", default: 0)
            let mandatoryCount = try arguments.integer(5, "mandatory_count", default: 0)
            var output = ""
            var last = text.startIndex
            var substitutions = 0
            for match in regex.matches(in: text) {
                if count > 0 && substitutions >= count { break }
                guard let range = Range(match.range, in: text) else { continue }
                output += text[last..<range.lowerBound]
                output += try regex.expand(replacement, match: match, in: text)
                last = range.upperBound
                substitutions += 1
            }
            output += text[last...]
            if mandatoryCount != 0 && mandatoryCount != substitutions {
                throw RenderFailure(
                    "'\(pattern)' should match \(mandatoryCount) times, but matches \(count) times in '\(text)'", kind: .other)
            }
            return .string(output)
        },
        "regex_search": { input, arguments, _ in
            let text = try input.pythonString()
            let pattern = try arguments.string(0, "regex", default: "")
            var groups: [String] = []
            for argument in arguments.positional.dropFirst() {
                let reference = try argument.pythonString()
                let isNamed = reference.hasPrefix("\\g<") && reference.hasSuffix(">") && reference.count > 4
                let isNumbered = reference.hasPrefix("\\") && reference.count > 1 && reference.dropFirst().allSatisfy(\.isNumber)
                guard isNamed || isNumbered else {
                    throw RenderFailure(reference.hasPrefix("\\") ? "invalid group reference '\(reference)'" : "Unknown argument", kind: .other)
                }
                groups.append(reference)
            }
            let regex = try PythonRegex(
                pattern, ignoreCase: try arguments.named("ignorecase")?.truthy() ?? false,
                multiline: try arguments.named("multiline")?.truthy() ?? false)
            guard let match = regex.firstMatch(in: text) else { return .none }
            if groups.isEmpty { return PythonRegex.group(match, 0, in: text) }
            return .list(try groups.map { reference in
                if reference.hasPrefix("\\g<"), reference.hasSuffix(">") {
                    let name = String(reference.dropFirst(3).dropLast())
                    return Int(name).map { PythonRegex.group(match, $0, in: text) } ?? regex.namedGroup(match, name, in: text)
                }
                guard let number = Int(reference.dropFirst()) else { throw RenderFailure("Unknown argument", kind: .other) }
                guard number < match.numberOfRanges else { throw RenderFailure("no such group", kind: .other) }
                return PythonRegex.group(match, number, in: text)
            })
        },
        "regex_findall": { input, arguments, _ in
            let text = try input.pythonString()
            let pattern = try arguments.string(0, "regex", default: "")
            let regex = try PythonRegex(
                pattern, ignoreCase: try arguments.bool(2, "ignorecase", default: false),
                multiline: try arguments.bool(1, "multiline", default: false))
            return .list(regex.matches(in: text).map { match in
                let groupCount = match.numberOfRanges - 1
                if groupCount == 0 { return PythonRegex.group(match, 0, in: text) }
                let groups = (1...groupCount).map { index -> Value in
                    let group = PythonRegex.group(match, index, in: text)
                    return group == .none ? .string("") : group
                }
                return groupCount == 1 ? groups[0] : .list(groups)
            })
        },
        "regex_escape": { input, arguments, _ in
            let text = try input.pythonString()
            let type = try arguments.string(0, "re_type", default: "python")
            switch type {
            case "python":
                var output = ""
                for character in text {
                    // Python 3.7+ re.escape escapes only characters special in patterns.
                    if "()[]{}?*+-|^$\\.&~# \t\n\r\u{0B}\u{0C}".contains(character) { output += "\\" }
                    output.append(character)
                }
                return .string(output)
            case "posix_basic":
                var output = ""
                for character in text {
                    if "].[^$*\\".contains(character) { output += "\\" }
                    output.append(character)
                }
                return .string(output)
            case "posix_extended":
                throw RenderFailure("Regex type (\(type)) not yet implemented", kind: .other)
            default:
                throw RenderFailure("Invalid regex type (\(type))", kind: .other)
            }
        },
    ]
}
