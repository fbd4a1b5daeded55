import Foundation
import ModuleAPI
import Templating

/// JSON to and from ``Value``, keeping dictionary order (for `content:` of copy, uri bodies and responses).
enum JSONValue {
    /// Compact JSON as Python's `json.dumps` writes it (`", "` and `": "` separators).
    static func render(_ value: Value) -> String {
        switch value {
        case .none, .undefined: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .float(let number):
            if number.isNaN { return "NaN" }
            if number.isInfinite { return number > 0 ? "Infinity" : "-Infinity" }
            return number == number.rounded() && abs(number) < 1e16 ? String(format: "%.1f", number) : String(number)
        case .string(let text): return JSONText.quote(text)
        case .list(let elements): return "[" + elements.map(render).joined(separator: ", ") + "]"
        case .dict(let dictionary):
            let entries = dictionary.map { entry -> String in
                let key = ModuleArguments.text(entry.key) ?? render(entry.key)
                return JSONText.quote(key) + ": " + render(entry.value)
            }
            return "{" + entries.joined(separator: ", ") + "}"
        }
    }

    /// Parses JSON text into values, keeping object key order; nil when it is not JSON.
    static func parse(_ data: Data) -> Value? {
        var parser = JSONParser(bytes: Array(data))
        return parser.parseDocument()
    }
}
