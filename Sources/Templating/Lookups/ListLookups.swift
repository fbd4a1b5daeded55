/// The lookups that reshape lists: `together`, `nested`, `cartesian`, `subelements` and
/// `random_choice`. One implementation serves `lookup()`/`query()` in templates and the engine's
/// `with_<name>:` loops, which ansible-core runs as `lookup(name, *terms, wantlist=True)`.
///
/// Python's iteration rules apply to each term, as in the plugins: a string yields its
/// characters, a dict its keys, and a number is "not iterable".
public enum ListLookups {
    /// The lookup names this type implements.
    public static let names: Set<String> = ["together", "nested", "cartesian", "subelements", "random_choice"]

    /// Runs lookup `name` (one of ``names``) over `terms`; failures are ``LookupFailure``s.
    public static func run(_ name: String, terms: [Value]) throws -> [Value] {
        do {
            switch name {
            case "together": return try together(terms)
            case "nested": return try nested(terms)
            case "cartesian": return try cartesian(terms)
            case "subelements": return try subelements(terms)
            case "random_choice": return terms.isEmpty ? [] : [terms[Int.random(in: 0..<terms.count)]]
            default: throw LookupFailure("lookup plugin '\(name)' not found")
            }
        } catch let failure as LookupFailure {
            throw failure
        } catch let failure as RenderFailure {
            throw LookupFailure(failure.message)
        } catch {
            throw LookupFailure("\(error)")
        }
    }

    /// `zip_longest(*terms, fillvalue=None)`, each row flattened one level.
    private static func together(_ terms: [Value]) throws -> [Value] {
        guard !terms.isEmpty else { throw LookupFailure("with_together requires at least one element in each list") }
        let lists = try terms.map { try $0.iterated() }
        let length = lists.map(\.count).max() ?? 0
        return (0..<length).map { index in .list(flatten(lists.map { index < $0.count ? $0[index] : .none })) }
    }

    /// Every combination of the terms' elements, in order, each flattened one level.
    private static func nested(_ terms: [Value]) throws -> [Value] {
        guard let first = terms.first else {
            throw LookupFailure("with_nested requires at least one element in the nested list")
        }
        var combined = try first.iterated()
        for term in terms.dropFirst() {
            let elements = try term.iterated()
            combined = combined.flatMap { left in elements.map { right in Value.list(flatten([left, right])) } }
        }
        // The plugin flattens each combination by iterating it, so a lone string splits into characters.
        return try combined.map { .list(flatten(try $0.iterated())) }
    }

    /// community.general's `cartesian`: like `nested`, but a string or scalar term is one element.
    private static func cartesian(_ terms: [Value]) throws -> [Value] {
        guard !terms.isEmpty else { throw LookupFailure("with_cartesian requires at least one element in each list") }
        var product: [[Value]] = [[]]
        for term in terms {
            let elements: [Value]
            switch term {
            case .string(let text): elements = [.string(text.trimmingPythonWhitespace())]
            case .list, .dict: elements = try term.iterated()
            default: elements = [term]
            }
            product = product.flatMap { prefix in elements.map { prefix + [$0] } }
        }
        return product.map { .list(flatten($0)) }
    }

    /// `LookupBase._flatten`: list elements are spliced in, everything else is kept.
    private static func flatten(_ values: [Value]) -> [Value] {
        values.flatMap { value -> [Value] in
            if case .list(let inner) = value { return inner }
            return [value]
        }
    }

    /// `(parent, child)` pairs for every child in the list at the dotted key of each parent. The
    /// list is taken out of the parent (the plugin pops it), so `item.0` no longer holds it.
    private static func subelements(_ terms: [Value]) throws -> [Value] {
        func termsError(_ detail: String = "") -> LookupFailure {
            LookupFailure("subelements lookup expects a list of two or three items, " + detail)
        }
        guard (2...3).contains(terms.count) else { throw termsError() }
        guard case .string(let key) = terms[1], terms[0].array != nil || terms[0].dictionary != nil else {
            throw termsError("first a dict or a list, second a string pointing to the subkey")
        }
        let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var parents: [Value]
        if let dictionary = terms[0].dictionary {
            // A registered result that was skipped as a whole yields nothing.
            if let skipped = dictionary["skipped"], skipped != .bool(false) { return [] }
            parents = dictionary.values
        } else {
            parents = terms[0].array ?? []
        }
        var flags = ValueDictionary()
        if terms.count == 3 {
            guard let given = terms[2].dictionary else {
                throw termsError("the optional third item must be a dict with flags ('skip_missing',)")
            }
            flags = given
        }
        let skipMissing = Self.lenientBoolean(flags["skip_missing"] ?? .bool(false))
        var pairs: [Value] = []
        for index in parents.indices {
            guard case .dict(var parent) = parents[index] else {
                throw LookupFailure("subelements lookup expects a dictionary, got '\(parents[index].displayString)'")
            }
            if let skipped = parent["skipped"], skipped != .bool(false) { continue }
            var children: [Value] = []
            // The walk mirrors the plugin: a missing key is skipped (not the item) with skip_missing.
            var trail: [String] = []
            var current = parent
            var isLast = false
            for subkey in path {
                // Sticky, as in the plugin: once a name equal to the last one is seen, it is "last".
                if subkey == path.last { isLast = true }
                guard let next = current[subkey] else {
                    if skipMissing { continue }
                    throw LookupFailure(
                        "could not find '\(subkey)' key in iterated item '\(Value.dict(current).displayString)'")
                }
                if !isLast {
                    guard case .dict(let inner) = next else {
                        if skipMissing { continue }
                        throw LookupFailure("the key \(subkey) should point to a dictionary, got '\(next.displayString)'")
                    }
                    current = inner
                    trail.append(subkey)
                } else {
                    guard case .list(let list) = next else {
                        throw LookupFailure("the key \(subkey) should point to a list, got '\(next.displayString)'")
                    }
                    children = list
                    current[subkey] = nil
                    parent = Self.replacing(in: parent, at: trail, with: current)
                }
            }
            for child in children { pairs.append(.list([.dict(parent), child])) }
        }
        return pairs
    }

    /// `parent` with the dictionary at `path` replaced by `value`.
    private static func replacing(in parent: ValueDictionary, at path: [String], with value: ValueDictionary)
        -> ValueDictionary
    {
        guard let head = path.first else { return value }
        var copy = parent
        let inner = parent[head]?.dictionary ?? ValueDictionary()
        copy[head] = .dict(replacing(in: inner, at: Array(path.dropFirst()), with: value))
        return copy
    }

    /// `boolean(value, strict=False)`: the accepted true spellings, everything else false.
    static func lenientBoolean(_ value: Value) -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .int(let number): return number == 1
        case .float(let number): return number == 1
        case .string(let text): return ["y", "yes", "on", "1", "true", "t"].contains(text.lowercased())
        default: return false
        }
    }
}

/// Why a lookup failed; the template engine or the loop attaches the location.
public struct LookupFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(_ message: String) {
        self.message = message
    }
}
