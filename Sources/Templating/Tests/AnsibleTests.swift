import Foundation

/// Ansible's tests: truthiness, regular expressions, versions, task results, sets and paths.
enum AnsibleTests {
    static let table: [String: TestFunction] = [
        "truthy": { input, arguments, _ in try truthy(input, convert: try arguments.bool(0, "convert_bool", default: false)) },
        "falsy": { input, arguments, _ in !(try truthy(input, convert: try arguments.bool(0, "convert_bool", default: false))) },
        "match": { input, arguments, _ in try regexTest(input, arguments, kind: "match") },
        "search": { input, arguments, _ in try regexTest(input, arguments, kind: "search") },
        "regex": { input, arguments, _ in
            let kind = try arguments.string(3, "match_type", default: "search")
            return try regexTest(input, arguments, kind: kind)
        },
        "version": versionTest, "version_compare": versionTest,
        "changed": { input, _, _ in try resultFlag(input, "changed", test: "changed") },
        "failed": { input, _, _ in try resultFlag(input, "failed", test: "failed") },
        "succeeded": { input, _, _ in !(try resultFlag(input, "failed", test: "succeeded")) },
        "success": { input, _, _ in !(try resultFlag(input, "failed", test: "success")) },
        "successful": { input, _, _ in !(try resultFlag(input, "failed", test: "successful")) },
        "skipped": { input, _, _ in
            guard case .dict(let result) = input else { throw RenderFailure("The 'skipped' test expects a dictionary", kind: .other) }
            return try (result["skipped"] ?? .bool(false)).truthy()
        },
        "finished": { input, _, _ in
            guard case .dict(let result) = input else { throw RenderFailure("The 'finished' test expects a dictionary", kind: .other) }
            // A non-async result has no `finished` key; Ansible treats it as finished.
            return try (result["finished"] ?? .bool(true)).truthy()
        },
        "started": { input, _, _ in
            guard case .dict(let result) = input else { throw RenderFailure("The 'started' test expects a dictionary", kind: .other) }
            // A non-async result has no `started` key; Ansible treats it as started.
            return try (result["started"] ?? .bool(true)).truthy()
        },
        "any": { input, _, _ in try input.iterated().contains { try $0.truthy() } },
        "all": { input, _, _ in try input.iterated().allSatisfy { try $0.truthy() } },
        "subset": { input, arguments, _ in
            let other = try (arguments.value(0) ?? .list([])).iterated()
            return try input.iterated().allSatisfy { item in other.contains { $0.pythonEquals(item) } }
        },
        "superset": { input, arguments, _ in
            let mine = try input.iterated()
            return try (arguments.value(0) ?? .list([])).iterated().allSatisfy { item in mine.contains { $0.pythonEquals(item) } }
        },
        "contains": { input, arguments, _ in
            guard let element = arguments.value(0) else { return false }
            return try input.pythonContains(element)
        },
        "nan": { input, _, _ in if case .float(let number) = input { return number.isNaN } else { return false } },
        "abs": { input, _, _ in try input.pythonString().hasPrefix("/") },
        "exists": { input, _, renderer in
            FileManager.default.fileExists(atPath: renderer.context.absolutePath(try input.pythonString()))
        },
        "file": { input, _, renderer in try pathKind(input, renderer) == .typeRegular },
        "directory": { input, _, renderer in try pathKind(input, renderer) == .typeDirectory },
        "link": { input, _, renderer in
            let path = renderer.context.absolutePath(try input.pythonString())
            return (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
        },
        "same_file": { input, arguments, renderer in
            let a = renderer.context.absolutePath(try input.pythonString())
            let b = renderer.context.absolutePath(try arguments.string(0, default: ""))
            return (a as NSString).resolvingSymlinksInPath == (b as NSString).resolvingSymlinksInPath
        },
        "url": { input, _, _ in
            let text = try input.pythonString()
            guard let components = URLComponents(string: text), let scheme = components.scheme else { return false }
            return !scheme.isEmpty && components.host != nil
        },
        "uri": { input, _, _ in
            let text = try input.pythonString()
            return URLComponents(string: text)?.scheme.map { !$0.isEmpty } ?? false
        },
    ]

    /// Ansible's `truthy(value, convert_bool)`: with conversion, boolean-like strings and numbers count as booleans.
    private static func truthy(_ value: Value, convert: Bool) throws -> Bool {
        if convert {
            let normalized: String
            switch value {
            case .string(let text): normalized = text.lowercased()
            case .int(let number): normalized = String(number)
            case .float(let number): normalized = Value.pythonFloatString(number)
            case .bool(let flag): return flag
            default: normalized = ""
            }
            if ["y", "yes", "on", "1", "true", "t", "1.0"].contains(normalized) { return true }
            if ["n", "no", "off", "0", "false", "f", "0.0"].contains(normalized) { return false }
        }
        return try value.truthy()
    }

    private static func pathKind(_ input: Value, _ renderer: Renderer) throws -> FileAttributeType? {
        let path = renderer.context.absolutePath(try input.pythonString())
        let attributes = try? FileManager.default.attributesOfItem(atPath: (path as NSString).resolvingSymlinksInPath)
        return attributes?[.type] as? FileAttributeType
    }

    private static func resultFlag(_ input: Value, _ key: String, test: String) throws -> Bool {
        guard case .dict(let result) = input else {
            throw RenderFailure("The '\(test)' test expects a dictionary", kind: .other)
        }
        // ansible-core 2.21 reads the top-level flag only (a loop's registered result carries its own).
        return try (result[key] ?? .bool(false)).truthy()
    }

    static func regexTest(_ input: Value, _ arguments: CallArguments, kind: String) throws -> Bool {
        let text = try input.pythonString()
        let pattern = try arguments.string(0, "pattern", default: "")
        let regex = try PythonRegex(
            pattern, ignoreCase: try arguments.bool(1, "ignorecase", default: false),
            multiline: try arguments.bool(2, "multiline", default: false))
        switch kind {
        case "match": return regex.firstMatch(in: text, anchored: true) != nil
        case "fullmatch":
            guard let match = regex.firstMatch(in: text, anchored: true) else { return false }
            return match.range.length == (text as NSString).length
        default: return regex.firstMatch(in: text) != nil
        }
    }

    private static let versionTest: TestFunction = { input, arguments, _ in
        let other = try arguments.string(0, "version", default: "")
        let op = try arguments.string(1, "operator", default: "eq")
        let strict = try arguments.bool(2, "strict", default: false)
        let type = try arguments.value(3, "version_type").map { try $0.pythonString() } ?? (strict ? "strict" : "loose")
        return try VersionComparison.compare(try input.pythonString(), other, operator: op, type: type)
    }
}
