/// Ansible's `version` test: loose (distutils LooseVersion), strict (StrictVersion) and semver
/// comparisons with every operator spelling Ansible accepts.
enum VersionComparison {
    enum Component {
        case number(Int)
        case text(String)
    }

    static func compare(_ left: String, _ right: String, operator op: String, type: String) throws -> Bool {
        let ordering: Int
        switch type {
        case "loose": ordering = try compareLoose(loose(left), loose(right))
        case "strict": ordering = compareLists(try strict(left), try strict(right))
        case "semver", "semantic": ordering = try compareSemver(left, right)
        default:
            throw RenderFailure("Invalid version type (\(type)). Must be one of loose, strict, semver, semantic, pep440", kind: .other)
        }
        switch op {
        case "==", "=", "eq": return ordering == 0
        case "<", "lt": return ordering < 0
        case "<=", "le": return ordering <= 0
        case ">", "gt": return ordering > 0
        case ">=", "ge": return ordering >= 0
        case "!=", "<>", "ne": return ordering != 0
        default: throw RenderFailure("Invalid operator type (\(op))", kind: .other)
        }
    }

    /// LooseVersion: runs of digits become numbers, runs of letters strings; dots separate.
    static func loose(_ version: String) -> [Component] {
        var components: [Component] = []
        var current = ""
        var currentIsDigit = false
        func flush() {
            guard !current.isEmpty else { return }
            components.append(currentIsDigit ? .number(Int(current) ?? 0) : .text(current))
            current = ""
        }
        for character in version {
            if character == "." {
                flush()
            } else if character.isASCII && character.isNumber {
                if !currentIsDigit { flush() }
                currentIsDigit = true
                current.append(character)
            } else if character.isLetter {
                if currentIsDigit { flush() }
                currentIsDigit = false
                current.append(character)
            } else {
                flush()
                components.append(.text(String(character)))
            }
        }
        flush()
        return components
    }

    private static func compareLoose(_ a: [Component], _ b: [Component]) throws -> Int {
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case (.number(let m), .number(let n)): if m != n { return m < n ? -1 : 1 }
            case (.text(let m), .text(let n)): if m != n { return Value.codepointLess(m, n) ? -1 : 1 }
            case (.number, .text), (.text, .number):
                throw RenderFailure(
                    "Version comparison failed: '<' not supported between instances of '\(x.typeName)' and '\(y.typeName)'",
                    kind: .other)
            }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// StrictVersion: `N.N[.N][(a|b)N]`; a release sorts after its pre-releases.
    private static func strict(_ version: String) throws -> [Int] {
        var numbers = version
        var prerelease = [Int.max, 0]
        if let index = version.firstIndex(where: { $0 == "a" || $0 == "b" }) {
            numbers = String(version[..<index])
            guard let number = Int(version[version.index(after: index)...]) else {
                throw RenderFailure("Version comparison failed: invalid version number '\(version)'", kind: .other)
            }
            prerelease = [version[index] == "a" ? 0 : 1, number]
        }
        let parts = numbers.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0 != nil }) else {
            throw RenderFailure("Version comparison failed: invalid version number '\(version)'", kind: .other)
        }
        var result = parts.compactMap { $0 }
        if result.count == 2 { result.append(0) }
        return result + prerelease
    }

    private static func compareLists(_ a: [Int], _ b: [Int]) -> Int {
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    private static func compareSemver(_ left: String, _ right: String) throws -> Int {
        func parse(_ version: String) throws -> (core: [Int], prerelease: [String]) {
            var text = version.hasPrefix("v") ? String(version.dropFirst()) : version
            if let plus = text.firstIndex(of: "+") { text = String(text[..<plus]) }
            var prerelease: [String] = []
            if let dash = text.firstIndex(of: "-") {
                prerelease = text[text.index(after: dash)...].split(separator: ".").map(String.init)
                text = String(text[..<dash])
            }
            let core = text.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
            guard core.count == 3, core.allSatisfy({ $0 != nil }) else {
                throw RenderFailure("Version comparison failed: invalid semantic version '\(version)'", kind: .other)
            }
            return (core.compactMap { $0 }, prerelease)
        }
        let (a, b) = (try parse(left), try parse(right))
        let core = compareLists(a.core, b.core)
        if core != 0 { return core }
        switch (a.prerelease.isEmpty, b.prerelease.isEmpty) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        default: break
        }
        for (x, y) in zip(a.prerelease, b.prerelease) where x != y {
            switch (Int(x), Int(y)) {
            case (let m?, let n?): return m < n ? -1 : 1
            case (nil, .some): return 1
            case (.some, nil): return -1
            default: return Value.codepointLess(x, y) ? -1 : 1
            }
        }
        return a.prerelease.count == b.prerelease.count ? 0 : (a.prerelease.count < b.prerelease.count ? -1 : 1)
    }
}

extension VersionComparison.Component {
    var typeName: String {
        switch self {
        case .number: return "int"
        case .text: return "str"
        }
    }
}
