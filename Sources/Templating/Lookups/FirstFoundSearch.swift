/// ansible-core's `first_found`: the names its terms ask for, in order, and whether finding none
/// is an empty result. One definition for `lookup('first_found', …)` and `with_first_found`; each
/// caller resolves the names against its own search paths.
///
/// A dict term sets the options (`files`, `paths`, `skip`) for itself and the plain terms after it;
/// `files` split on `,` and `;`, `paths` also on `:`; with paths, every file is tried in each path.
public struct FirstFoundSearch: Sendable {
    public private(set) var candidates: [String] = []
    public private(set) var skip = false

    /// `options` are the lookup's keyword arguments (`files=`, `paths=`, `skip=`).
    public init(terms: [Value], options: ValueDictionary = ValueDictionary()) {
        var current = options
        func split(_ value: Value?, on separators: String) -> [String] {
            switch value {
            case .some(.string(let text)): return text.split(whereSeparator: { separators.contains($0) }).map(String.init)
            case .some(.list(let items)): return items.flatMap { split($0, on: separators) }
            default: return []
            }
        }
        func process(_ terms: [Value]) {
            for term in terms {
                let files: [String]
                switch term {
                case .dict(let spec):
                    current = spec
                    files = split(spec["files"], on: ",;")
                case .list(let items):
                    process(items)
                    continue
                default:
                    files = split(.string((try? term.pythonString()) ?? ""), on: ",;")
                }
                let paths = split(current["paths"], on: ",:;")
                candidates += paths.isEmpty
                    ? files : paths.flatMap { path in files.map { $0.hasPrefix("/") ? $0 : path + "/" + $0 } }
            }
        }
        process(terms.isEmpty ? (options["files"].map { $0.array ?? [$0] } ?? []) : terms)
        skip = Self.isTrue(current["skip"])
    }

    /// The first name `resolve` finds, as it returns it.
    public func first(_ resolve: (String) -> String?) -> String? {
        for candidate in candidates {
            if let found = resolve(candidate) { return found }
        }
        return nil
    }

    /// The option is a boolean: true, or what Ansible's boolean conversion reads as true.
    private static func isTrue(_ value: Value?) -> Bool {
        switch value {
        case .some(.bool(let flag)): return flag
        case .some(.int(let number)): return number == 1
        case .some(.string(let text)): return ["yes", "on", "true", "1", "y", "t"].contains(text.lowercased())
        default: return false
        }
    }
}
