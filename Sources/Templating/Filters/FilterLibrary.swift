/// Every filter the engine knows, by name: Jinja2's built-ins, ansible-core's, and the
/// collection filters playbooks use (registered under their short and fully qualified names).
enum FilterLibrary {
    static let all: [String: FilterFunction] = {
        var table: [String: FilterFunction] = [:]
        for group in [
            CoreFilters.table, CollectionFilters.table, StringFilters.table, AnsibleFilters.table,
            SerializationFilters.table, RegexFilters.table, EncodingFilters.table, NetworkFilters.table,
            JSONQueryFilter.table,
        ] {
            table.merge(group) { _, new in new }
        }
        for (name, filter) in table { table["ansible.builtin.\(name)"] = filter }
        for name in NetworkFilters.table.keys { table["ansible.utils.\(name)"] = table[name] }
        for name in ["dict_kv", "json_query"] where table[name] != nil { table["community.general.\(name)"] = table[name] }
        for name in ["ipaddr", "ipv4", "ipv6", "ipwrap", "ipmath", "ipsubnet", "nthhost"] where table[name] != nil {
            table["ansible.netcommon.\(name)"] = table[name]
        }
        return table
    }()

    /// Filters that receive an undefined input instead of raising its error.
    private static let undefinedAccepting: Set<String> = ["default", "d", "mandatory", "type_debug"]

    /// Whether the filter (short or fully qualified name) receives an undefined input itself.
    static func acceptsUndefined(_ name: String) -> Bool {
        if undefinedAccepting.contains(name) { return true }
        // Only qualified names need the (allocating) short-name split.
        return name.contains(".") && undefinedAccepting.contains(Renderer.shortName(name))
    }
}

/// Helpers shared by the filter groups.
enum FilterSupport {
    /// Jinja2's `int` filter conversion (`default` on failure; `base` for strings).
    static func toInt(_ value: Value, default defaultValue: Int = 0, base: Int = 10) -> Int {
        switch value {
        case .int(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        case .float(let number):
            guard number.isFinite, abs(number) < 9.2e18 else { return defaultValue }
            return Int(number)
        case .string(let text):
            var trimmed = StringFunctions.strip(text, characters: nil, leading: true, trailing: true).replacingOccurrences("_", "")
            var negative = false
            if trimmed.hasPrefix("-") { negative = true; trimmed.removeFirst() } else if trimmed.hasPrefix("+") { trimmed.removeFirst() }
            var radix = base
            let lowered = trimmed.lowercased()
            if base == 16 && lowered.hasPrefix("0x") || base == 8 && lowered.hasPrefix("0o") || base == 2 && lowered.hasPrefix("0b") {
                trimmed.removeFirst(2)
            } else if base == 0 {
                radix = 10
                if lowered.hasPrefix("0x") { radix = 16; trimmed.removeFirst(2) }
                else if lowered.hasPrefix("0o") { radix = 8; trimmed.removeFirst(2) }
                else if lowered.hasPrefix("0b") { radix = 2; trimmed.removeFirst(2) }
            }
            if let number = Int(trimmed, radix: radix) { return negative ? -number : number }
            if base == 10, let number = Double(trimmed), number.isFinite, abs(number) < 9.2e18 {
                return negative ? -Int(number) : Int(number)
            }
            return defaultValue
        default: return defaultValue
        }
    }

    /// Jinja2's `float` filter conversion.
    static func toFloat(_ value: Value, default defaultValue: Double = 0) -> Double {
        switch value {
        case .int(let number): return Double(number)
        case .bool(let flag): return flag ? 1 : 0
        case .float(let number): return number
        case .string(let text):
            let trimmed = StringFunctions.strip(text, characters: nil, leading: true, trailing: true).lowercased()
            switch trimmed {
            case "inf", "+inf", "infinity": return .infinity
            case "-inf", "-infinity": return -.infinity
            case "nan": return .nan
            default: return Double(trimmed.replacingOccurrences("_", "")) ?? defaultValue
            }
        default: return defaultValue
        }
    }

    /// Ansible's `boolean(value, strict=False)`.
    static func toBool(_ value: Value) -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .int(let number): return number == 1
        case .float(let number): return number == 1
        case .string(let text):
            let lowered = StringFunctions.strip(text, characters: nil, leading: true, trailing: true).lowercased()
            return ["y", "yes", "on", "1", "true", "t", "1.0"].contains(lowered)
        default: return false
        }
    }

    /// Jinja2's attribute getter: `a.b.0` walks dict keys, then list indices.
    static func attribute(_ path: String, of value: Value) -> Value {
        var current = value
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            let key = String(part)
            switch current {
            case .dict(let dictionary):
                if let found = dictionary[key] { current = found; continue }
                if let index = Int(key), let found = dictionary[.int(index)] { current = found; continue }
            case .list(let items):
                if let index = Int(key) {
                    let resolved = index < 0 ? items.count + index : index
                    if resolved >= 0 && resolved < items.count { current = items[resolved]; continue }
                }
            case .undefined:
                return current
            default: break
            }
            return .undefined(Undefined(hint: "object of type '\(current.pythonTypeName)' has no attribute '\(key)'"))
        }
        return current
    }

    /// Sort key comparison used by sort/dictsort/min/max/unique: optional lowercasing of strings.
    static func lessThan(_ a: Value, _ b: Value, caseSensitive: Bool) throws(RenderFailure) -> Bool {
        if !caseSensitive, case .string(let x) = a, case .string(let y) = b {
            return Value.codepointLess(x.lowercased(), y.lowercased())
        }
        return try a.pythonLess(than: b)
    }

    static func sortKey(_ value: Value, caseSensitive: Bool) -> Value {
        if !caseSensitive, case .string(let text) = value { return .string(text.lowercased()) }
        return value
    }

    /// Stable sort by a throwing comparison.
    static func stableSorted(_ items: [Value], by less: (Value, Value) throws -> Bool) throws -> [Value] {
        // Merge sort keeps equal elements in order, as Python's sort does.
        if items.count < 2 { return items }
        let middle = items.count / 2
        let left = try stableSorted(Array(items[..<middle]), by: less)
        let right = try stableSorted(Array(items[middle...]), by: less)
        var merged: [Value] = []
        merged.reserveCapacity(items.count)
        var i = 0, j = 0
        while i < left.count && j < right.count {
            if try less(right[j], left[i]) { merged.append(right[j]); j += 1 } else { merged.append(left[i]); i += 1 }
        }
        merged.append(contentsOf: left[i...])
        merged.append(contentsOf: right[j...])
        return merged
    }

    static func requireString(_ value: Value, filter: String) throws(RenderFailure) -> String {
        switch value {
        case .string(let text): return text
        case .undefined(let undefined): throw .undefined(undefined)
        default: return try value.pythonString()
        }
    }
}
