/// Filters that transform lists and dictionaries: map/select family, set operations, combine,
/// dict2items/items2dict, zip, flatten, subelements.
enum CollectionFilters {
    static let table: [String: FilterFunction] = [
        "map": map,
        "select": { input, arguments, renderer in try select(input, arguments, renderer, keep: true, byAttribute: false) },
        "reject": { input, arguments, renderer in try select(input, arguments, renderer, keep: false, byAttribute: false) },
        "selectattr": { input, arguments, renderer in try select(input, arguments, renderer, keep: true, byAttribute: true) },
        "rejectattr": { input, arguments, renderer in try select(input, arguments, renderer, keep: false, byAttribute: true) },
        "flatten": { input, arguments, _ in
            let levels = arguments.value(0, "levels").flatMap(\.integerValue)
            let skipNulls = try arguments.bool(1, "skip_nulls", default: true)
            return .list(flatten(try input.iterated(), levels: levels, skipNulls: skipNulls))
        },
        "combine": combine,
        "dict2items": { input, arguments, _ in
            guard case .dict(let dictionary) = input else {
                throw RenderFailure.type("dict2items requires a dictionary, got \(input.pythonTypeName) instead.")
            }
            let keyName = try arguments.string(0, "key_name", default: "key")
            let valueName = try arguments.string(1, "value_name", default: "value")
            return .list(dictionary.map { Value.dict(ValueDictionary([(.string(keyName), $0.key), (.string(valueName), $0.value)])) })
        },
        "items2dict": { input, arguments, _ in
            let keyName = try arguments.string(0, "key_name", default: "key")
            let valueName = try arguments.string(1, "value_name", default: "value")
            var result = ValueDictionary()
            for item in try input.iterated() {
                guard case .dict(let entry) = item else {
                    throw RenderFailure.type("items2dict requires a list of dictionaries, got \(item.pythonTypeName) instead.")
                }
                guard let key = entry[keyName], let value = entry[valueName] else {
                    throw RenderFailure(
                        "items2dict requires each dictionary to have keys '\(keyName)' and '\(valueName)'", kind: .other)
                }
                result[key] = value
            }
            return .dict(result)
        },
        "zip": { input, arguments, _ in
            var lists = [try input.iterated()]
            for other in arguments.positional { lists.append(try other.iterated()) }
            let count = lists.map(\.count).min() ?? 0
            return .list((0..<count).map { index in .list(lists.map { $0[index] }) })
        },
        "zip_longest": { input, arguments, _ in
            var lists = [try input.iterated()]
            for other in arguments.positional { lists.append(try other.iterated()) }
            let fill = arguments.named("fillvalue") ?? .none
            let count = lists.map(\.count).max() ?? 0
            return .list((0..<count).map { index in .list(lists.map { index < $0.count ? $0[index] : fill }) })
        },
        "subelements": subelements,
        "union": { input, arguments, _ in
            let combined = try input.iterated() + (arguments.value(0).map { try $0.iterated() } ?? [])
            return .list(unique(combined))
        },
        "intersect": { input, arguments, _ in
            let other = try arguments.value(0).map { try $0.iterated() } ?? []
            return .list(unique(try input.iterated().filter { item in other.contains { $0.pythonEquals(item) } }))
        },
        "difference": { input, arguments, _ in
            let other = try arguments.value(0).map { try $0.iterated() } ?? []
            return .list(unique(try input.iterated().filter { item in !other.contains { $0.pythonEquals(item) } }))
        },
        "symmetric_difference": { input, arguments, _ in
            let mine = try input.iterated()
            let other = try arguments.value(0).map { try $0.iterated() } ?? []
            let left = mine.filter { item in !other.contains { $0.pythonEquals(item) } }
            let right = other.filter { item in !mine.contains { $0.pythonEquals(item) } }
            return .list(unique(left + right))
        },
        "dict_kv": { input, arguments, _ in
            guard let key = arguments.value(0, "key") else { throw RenderFailure.type("dict_kv() missing required argument 'key'") }
            return .dict(ValueDictionary([(key, input)]))
        },
        "extract": { input, arguments, renderer in
            guard let container = arguments.value(0, "container") else { throw RenderFailure.type("extract() missing container") }
            var value = try renderer.item(input, of: container, offset: 0)
            if let morekeys = arguments.value(1, "morekeys") {
                for key in morekeys.array ?? [morekeys] { value = try renderer.item(key, of: value, offset: 0) }
            }
            return value
        },
        "product": { input, arguments, _ in
            var result: [[Value]] = [[]]
            for list in [try input.iterated()] + (try arguments.positional.map { try $0.iterated() }) {
                result = result.flatMap { prefix in list.map { prefix + [$0] } }
            }
            return .list(result.map(Value.list))
        },
        "permutations": { input, arguments, _ in
            let items = try input.iterated()
            let length = try arguments.integer(0, "r", default: items.count)
            return .list(permutations(items, length).map(Value.list))
        },
        "combinations": { input, arguments, _ in
            let items = try input.iterated()
            let length = try arguments.integer(0, "r", default: items.count)
            return .list(combinations(items, length).map(Value.list))
        },
    ]

    /// Keeps the first of equal elements, in order (Ansible's set operations preserve order).
    static func unique(_ items: [Value]) -> [Value] {
        var result: [Value] = []
        for item in items where !result.contains(where: { $0.pythonEquals(item) }) { result.append(item) }
        return result
    }

    static func flatten(_ items: [Value], levels: Int?, skipNulls: Bool) -> [Value] {
        var result: [Value] = []
        for item in items {
            switch item {
            case .none where skipNulls: continue
            case .string("None") where skipNulls, .string("null") where skipNulls: continue
            case .list(let inner):
                if let levels {
                    if levels <= 1 {
                        result.append(contentsOf: skipNulls ? inner.filter { if case .none = $0 { return false } else { return true } } : inner)
                    } else {
                        result.append(contentsOf: flatten(inner, levels: levels - 1, skipNulls: skipNulls))
                    }
                } else {
                    result.append(contentsOf: flatten(inner, levels: nil, skipNulls: skipNulls))
                }
            default: result.append(item)
            }
        }
        return result
    }

    private static let map: FilterFunction = { input, arguments, renderer in
        let items = try input.iterated()
        if let attribute = arguments.named("attribute") {
            let path = attribute.integerValue.map(String.init) ?? attribute.displayString
            let fallback = arguments.named("default")
            return .list(items.map { item in
                let value = FilterSupport.attribute(path, of: item)
                if case .undefined = value, let fallback { return fallback }
                return value
            })
        }
        guard let name = arguments.positional.first else { return .list(items) }
        let filterName = try name.pythonString()
        let rest = CallArguments(positional: Array(arguments.positional.dropFirst()), keyword: arguments.keyword)
        return .list(try items.map { try renderer.applyFilter(named: filterName, to: $0, arguments: rest) })
    }

    private static func select(
        _ input: Value, _ arguments: CallArguments, _ renderer: Renderer, keep: Bool, byAttribute: Bool
    ) throws -> Value {
        var positional = arguments.positional[...]
        var attribute: String?
        if byAttribute {
            guard let first = positional.first else { throw RenderFailure.type("selectattr() missing attribute") }
            attribute = try first.pythonString()
            positional = positional.dropFirst()
        }
        let testName = try positional.first.map { try $0.pythonString() }
        let testArguments = CallArguments(positional: Array(positional.dropFirst()), keyword: arguments.keyword)
        var result: [Value] = []
        for item in try input.iterated() {
            let subject = attribute.map { FilterSupport.attribute($0, of: item) } ?? item
            let passed: Bool
            if let testName {
                passed = try renderer.applyTest(named: testName, to: subject, arguments: testArguments)
            } else {
                passed = try subject.truthy()
            }
            if passed == keep { result.append(item) }
        }
        return .list(result)
    }

    private static let combine: FilterFunction = { input, arguments, _ in
        try arguments.rejectUnknownKeywords(["recursive", "list_merge"], function: "combine")
        let recursive = try arguments.named("recursive")?.truthy() ?? false
        let listMerge = try arguments.named("list_merge").map { try $0.pythonString() } ?? "replace"
        let valid = ["replace", "keep", "append", "prepend", "append_rp", "prepend_rp"]
        guard valid.contains(listMerge) else {
            throw RenderFailure("'\(listMerge)' is not a valid list_merge value", kind: .other)
        }
        var dictionaries: [Value] = []
        func collect(_ value: Value) {
            if case .list(let items) = value { items.forEach(collect) } else { dictionaries.append(value) }
        }
        collect(input)
        arguments.positional.forEach(collect)
        var result = ValueDictionary()
        for value in dictionaries {
            guard case .dict(let dictionary) = value else {
                throw RenderFailure("failed to combine variables, expected dicts but got a '\(value.pythonTypeName)'", kind: .other)
            }
            result = merge(result, dictionary, recursive: recursive, listMerge: listMerge)
        }
        return .dict(result)
    }

    static func merge(_ base: ValueDictionary, _ overlay: ValueDictionary, recursive: Bool, listMerge: String) -> ValueDictionary {
        var result = base
        for (key, new) in overlay {
            guard let old = result[key] else {
                result[key] = new
                continue
            }
            switch (old, new) {
            case (.dict(let a), .dict(let b)) where recursive:
                result[key] = .dict(merge(a, b, recursive: recursive, listMerge: listMerge))
            case (.list(let a), .list(let b)):
                switch listMerge {
                case "keep": result[key] = .list(a)
                case "append": result[key] = .list(a + b)
                case "prepend": result[key] = .list(b + a)
                case "append_rp": result[key] = .list(a.filter { x in !b.contains { $0.pythonEquals(x) } } + b)
                case "prepend_rp": result[key] = .list(b + a.filter { x in !b.contains { $0.pythonEquals(x) } })
                default: result[key] = new
                }
            default:
                result[key] = new
            }
        }
        return result
    }

    private static let subelements: FilterFunction = { input, arguments, _ in
        let path = try arguments.string(0, "subelements", default: "")
        let skipMissing: Bool
        if case .dict(let flags)? = arguments.value(1, "skip_missing") {
            skipMissing = try (flags["skip_missing"] ?? .bool(false)).truthy()
        } else {
            skipMissing = try arguments.bool(1, "skip_missing", default: false)
        }
        let elements: [Value]
        switch input {
        case .list(let items): elements = items
        case .dict(let dictionary): elements = dictionary.values
        default: throw RenderFailure("obj must be a list of dicts or a nested dict", kind: .other)
        }
        var result: [Value] = []
        for element in elements {
            var current = element
            var missing = false
            for key in path.split(separator: ".") {
                guard case .dict(let dictionary) = current else {
                    throw RenderFailure("the key \(key) should point to a dictionary, got '\(current.displayString)'", kind: .other)
                }
                guard let next = dictionary[String(key)] else {
                    if skipMissing { missing = true; break }
                    throw RenderFailure("could not find '\(key)' key in iterated item '\(element.pythonRepr)'", kind: .other)
                }
                current = next
            }
            if missing { continue }
            guard case .list(let children) = current else {
                throw RenderFailure("the key \(path) should point to a list, got '\(current.displayString)'", kind: .other)
            }
            for child in children { result.append(.list([element, child])) }
        }
        return .list(result)
    }

    private static func permutations(_ items: [Value], _ length: Int) -> [[Value]] {
        guard length > 0 else { return [[]] }
        guard length <= items.count else { return [] }
        var result: [[Value]] = []
        for (index, item) in items.enumerated() {
            var rest = items
            rest.remove(at: index)
            for tail in permutations(rest, length - 1) { result.append([item] + tail) }
        }
        return result
    }

    private static func combinations(_ items: [Value], _ length: Int) -> [[Value]] {
        guard length > 0 else { return [[]] }
        guard length <= items.count else { return [] }
        var result: [[Value]] = []
        for (index, item) in items.enumerated() {
            for tail in combinations(Array(items[(index + 1)...]), length - 1) { result.append([item] + tail) }
        }
        return result
    }
}
