import Diagnostics
import Foundation
import Templating

/// Turns a task's templated `loop:` / `with_<lookup>:` value into the list of items, as the
/// corresponding ansible-core lookup plugins do.
public enum LoopItems {
    /// The loop keywords stackplay supports (`loop` plus `with_` + these lookups).
    public static let lookups: Set<String> = [
        "items", "list", "dict", "together", "nested", "cartesian", "subelements", "sequence", "fileglob",
        "first_found", "indexed_items", "random_choice", "flattened",
    ]

    /// `with_<lookup>` keywords for the lookups only templates implement (`inventory_hostnames`,
    /// `ini`, `csvfile`, `file`, `env`, …); ``query(_:value:scope:at:)`` runs them.
    public static let templateLookups: Set<String> = TemplateEngine.lookupNames.subtracting(lookups)

    /// Runs a ``templateLookups`` loop as ansible-core does: `query(keyword, *terms)` with the
    /// task's variables, the templated loop value being the terms (a single value is one term).
    public static func query(_ keyword: String, value: Value, scope: TaskScope, at location: SourceLocation?) throws
        -> [Value]
    {
        let terms: [Value] = value.array ?? [value]
        let termsName = "__stackplay_loop_terms"
        do {
            let result = try scope.templar.evaluate(
                "{{ query('\(keyword)', *\(termsName)) }}", at: nil, scope: scope.adding([termsName: .list(terms)]))
            return result.array ?? [result]
        } catch let error as TemplateError {
            // The expression is stackplay's own; the loop's value is where the user can act.
            throw SourceError(error.message, at: location)
        }
    }

    /// Expands `value` for `keyword` (`loop` or a lookup name from ``lookups``).
    /// `searchPaths` are where relative `fileglob`/`first_found` names are looked for.
    public static func expand(
        _ keyword: String, value: Value, at location: SourceLocation?, searchPaths: [String] = []
    ) throws -> [Value] {
        func fail(_ message: String) -> SourceError { SourceError(message, at: location) }
        if keyword == "loop" {
            guard case .list(let items) = value else {
                throw fail(
                    "Invalid data passed to 'loop', it requires a list, got this instead: \(PythonRepr.text(value)). "
                        + "Hint: If you passed a list/dict of just one element, try adding wantlist=True to your "
                        + "lookup invocation or use q/query instead of lookup.")
            }
            return items
        }
        let terms: [Value] = value.array ?? [value]
        switch keyword {
        case "items": return terms.flatMap { $0.array ?? [$0] }
        case "list": return terms
        case "flattened": return flatten(terms)
        case "indexed_items":
            return terms.flatMap { $0.array ?? [$0] }.enumerated().map { .list([.int($0.offset), $0.element]) }
        case "dict":
            var items: [Value] = []
            for term in terms {
                guard let dictionary = term.dictionary else {
                    throw fail("with_dict expects a dict, got \(PythonRepr.repr(term))")
                }
                for (key, element) in dictionary { items.append(.object(["key": key, "value": element])) }
            }
            return items
        case "sequence": return try terms.flatMap { try sequence(PythonRepr.text($0), fail: fail) }
        case _ where ListLookups.names.contains(keyword):
            do { return try ListLookups.run(keyword, terms: terms) } catch let failure as LookupFailure {
                throw fail(failure.message)
            }
        case "fileglob": return terms.flatMap { FileLookups.glob(PythonRepr.text($0), searchPaths: searchPaths) }
        case "first_found":
            let search = FirstFoundSearch(terms: terms)
            guard let found = search.first({ FileLookups.resolve($0, searchPaths: searchPaths) }) else {
                if search.skip { return [] }
                throw fail("No file was found when using first_found.")
            }
            return [.string(found)]
        default:
            throw fail("unknown loop keyword 'with_\(keyword)'")
        }
    }

    private static func flatten(_ values: [Value]) -> [Value] {
        values.flatMap { value -> [Value] in
            if case .list(let inner) = value { return flatten(inner) }
            return [value]
        }
    }

    /// `with_sequence`: `start=1 end=10 stride=2 format=host%02d`, `count=3`, or the `5-10/2:fmt` shortcut.
    static func sequence(_ spec: String, fail: (String) -> SourceError) throws -> [Value] {
        var start = 1
        var end: Int?
        var count: Int?
        var stride = 1
        var format = "%d"
        for word in spec.split(separator: " ") {
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                func number() throws -> Int {
                    guard let value = Int(parts[1], radix: parts[1].hasPrefix("0x") ? 16 : 10) ?? Int(parts[1])
                    else { throw fail("can't parse \(parts[0])=\(parts[1]) as integer") }
                    return value
                }
                switch parts[0] {
                case "start": start = try number()
                case "end": end = try number()
                case "count": count = try number()
                case "stride": stride = try number()
                case "format": format = parts[1]
                default: throw fail("unrecognized arguments to with_sequence: '\(parts[0])'")
                }
            } else {
                // Shortcut form: [start-]end[/stride][:format]
                var rest = Substring(word)
                if let colon = rest.firstIndex(of: ":") {
                    format = String(rest[rest.index(after: colon)...])
                    rest = rest[..<colon]
                }
                if let slash = rest.firstIndex(of: "/") {
                    stride = Int(rest[rest.index(after: slash)...]) ?? 1
                    rest = rest[..<slash]
                }
                let bounds = rest.split(separator: "-")
                if bounds.count == 2 {
                    start = Int(bounds[0]) ?? 1
                    end = Int(bounds[1])
                } else {
                    end = Int(rest)
                }
            }
        }
        if let count {
            guard end == nil else { throw fail("can't specify both count and end in with_sequence") }
            end = count == 0 ? start - stride : start + (count - 1) * stride
        }
        guard let end else { throw fail("must specify count or end in with_sequence") }
        guard stride != 0 else { return [] }
        if (stride > 0 && end < start) || (stride < 0 && end > start) {
            throw fail("to count backwards make stride negative")
        }
        return Swift.stride(from: start, through: end, by: stride).map { .string(String(format: format, $0)) }
    }
}
