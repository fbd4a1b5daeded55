import Foundation
import Synchronization

/// Python `re` patterns on top of ICU (NSRegularExpression): translates the syntax that differs
/// (`(?P<name>…)`, `(?P=name)`, `\Z`) and expands Python replacement templates (`\1`, `\g<name>`).
struct PythonRegex {
    let regex: NSRegularExpression
    let groupNames: [String]

    private static let cache = Mutex<[String: NSRegularExpression]>([:])

    init(_ pattern: String, ignoreCase: Bool = false, multiline: Bool = false) throws(RenderFailure) {
        var translated = pattern.replacingOccurrences("(?P<", "(?<")
        translated = Self.translateNamedBackreferences(translated)
        translated = translated.replacingOccurrences("\\Z", "\\z")
        var names: [String] = []
        var search = translated[...]
        while let range = search.range(of: "(?<") {
            let rest = search[range.upperBound...]
            if let first = rest.first, first != "=", first != "!", let close = rest.firstIndex(of: ">") {
                names.append(String(rest[..<close]))
            }
            search = rest
        }
        groupNames = names
        var options: NSRegularExpression.Options = []
        if ignoreCase { options.insert(.caseInsensitive) }
        if multiline { options.insert(.anchorsMatchLines) }
        let key = "\(options.rawValue):\(translated)"
        if let cached = Self.cache.withLock({ $0[key] }) {
            regex = cached
            return
        }
        do {
            regex = try NSRegularExpression(pattern: translated, options: options)
        } catch {
            throw RenderFailure("invalid regular expression '\(pattern)'", kind: .value)
        }
        let compiled = regex
        Self.cache.withLock { cache in
            if cache.count > 2000 { cache.removeAll() }
            cache[key] = compiled
        }
    }

    private static func translateNamedBackreferences(_ pattern: String) -> String {
        guard pattern.contains("(?P=") else { return pattern }
        var result = ""
        var rest = pattern[...]
        while let range = rest.range(of: "(?P=") {
            result += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            guard let close = after.firstIndex(of: ")") else { break }
            result += "\\k<\(after[..<close])>"
            rest = after[after.index(after: close)...]
        }
        return result + rest
    }

    func matches(in text: String) -> [NSTextCheckingResult] {
        regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
    }

    func firstMatch(in text: String, anchored: Bool = false) -> NSTextCheckingResult? {
        regex.firstMatch(
            in: text, options: anchored ? [.anchored] : [], range: NSRange(text.startIndex..., in: text))
    }

    static func group(_ match: NSTextCheckingResult, _ index: Int, in text: String) -> Value {
        match.text(ofGroup: index, in: text).map(Value.string) ?? .none
    }

    func namedGroup(_ match: NSTextCheckingResult, _ name: String, in text: String) -> Value {
        match.text(ofGroup: name, in: text).map(Value.string) ?? .none
    }

    /// Expands a Python replacement template for one match.
    func expand(_ template: String, match: NSTextCheckingResult, in text: String) throws(RenderFailure) -> String {
        do {
            return try PythonReplacementTemplate.expand(template, match: match, in: text)
        } catch {
            throw RenderFailure(error.description, kind: .value)
        }
    }
}
