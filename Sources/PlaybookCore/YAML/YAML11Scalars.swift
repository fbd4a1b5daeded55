import Templating

/// Implicit typing of untagged plain scalars exactly as PyYAML's YAML 1.1 resolver (and so
/// Ansible) does it: `yes`/`on`/`True` are booleans, `0755` is octal, `1:30` is sexagesimal,
/// `1_000` has separators, `1e3` stays a string (YAML 1.1 floats need a dot).
///
/// Timestamps (`2024-01-31`) stay strings: the value model has no date type and Ansible renders
/// a date back to the same text.
public enum YAML11Scalars {
    /// The typed value of an untagged plain scalar.
    public static func resolvePlain(_ text: String) -> Value {
        if let value = null(text) ?? bool(text) { return value }
        guard let first = text.utf8.first else { return .none }
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
            || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        {
            if let float = float(text) { return .float(float) }
            if let int = int(text) { return .int(int) }
        }
        return .string(text)
    }

    /// `~`, `null`, `Null`, `NULL` and the empty scalar.
    public static func null(_ text: String) -> Value? {
        switch text {
        case "", "~", "null", "Null", "NULL": return Value.none
        default: return nil
        }
    }

    /// YAML 1.1 booleans in the three case forms PyYAML accepts.
    public static func bool(_ text: String) -> Value? {
        switch text {
        case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return .bool(true)
        case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return .bool(false)
        default: return nil
        }
    }

    /// Integers: decimal, `0b…`, `0x…`, leading-zero octal, sexagesimal, with `_` separators.
    public static func int(_ text: String) -> Int? {
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        guard let first = body.first, first.isASCII, first.isNumber else { return nil }
        let magnitude: Int?
        if body.hasPrefix("0b") {
            magnitude = radix(body.dropFirst(2), 2)
        } else if body.hasPrefix("0x") {
            magnitude = radix(body.dropFirst(2), 16)
        } else if body.contains(":") {
            guard first != "0" else { return nil }
            magnitude = sexagesimal(body)
        } else if first == "0" && body.count > 1 {
            magnitude = radix(body.dropFirst(), 8)
        } else if first == "0" {
            magnitude = 0
        } else {
            magnitude = radix(body, 10)
        }
        guard let magnitude else { return nil }
        return negative ? -magnitude : magnitude
    }

    /// Floats: `1.5`, `1.`, `.5`, `1.0e+3`, `1_0.5`, `1:30.5`, `.inf`, `-.Inf`, `.nan`.
    public static func float(_ text: String) -> Double? {
        var body = Substring(text)
        var negative = false
        var signed = false
        if let sign = body.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            signed = true
            body = body.dropFirst()
        }
        switch body {
        case ".inf", ".Inf", ".INF": return negative ? -.infinity : .infinity
        case ".nan", ".NaN", ".NAN": return signed ? nil : .nan
        default: break
        }
        guard let magnitude = unsignedFloat(body, signed: signed) else { return nil }
        return negative ? -magnitude : magnitude
    }

    private static func unsignedFloat(_ body: Substring, signed: Bool) -> Double? {
        guard let dot = body.firstIndex(of: ".") else { return nil }
        let whole = body[..<dot]
        var fraction = body[body.index(after: dot)...]
        var exponent: Substring = ""
        if let e = fraction.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = fraction[fraction.index(after: e)...]
            fraction = fraction[..<e]
            // YAML 1.1 requires a signed exponent: `1.0e+3`, never `1.0e3`.
            guard let sign = exponent.first, sign == "+" || sign == "-",
                exponent.count > 1, exponent.dropFirst().allSatisfy(\.isASCIIDigit)
            else { return nil }
        }
        guard fraction.allSatisfy({ $0.isASCIIDigit || $0 == "_" }) else { return nil }
        if whole.isEmpty {
            // `.5` form: no sign allowed, first fraction character must be a digit.
            guard !signed, let first = fraction.first, first.isASCIIDigit else { return nil }
        } else if whole.contains(":") {
            guard exponent.isEmpty, let base = sexagesimalFloat(whole) else { return nil }
            let fractionDigits = fraction.filter { $0 != "_" }
            return base + (Double("0." + fractionDigits) ?? 0)
        } else {
            guard let first = whole.first, first.isASCIIDigit,
                whole.allSatisfy({ $0.isASCIIDigit || $0 == "_" })
            else { return nil }
        }
        let cleaned = (whole.isEmpty ? "0" : whole.filter { $0 != "_" }) + "." + fraction.filter { $0 != "_" }
            + (exponent.isEmpty ? "" : "e" + exponent)
        return Double(cleaned.hasSuffix(".") ? cleaned + "0" : cleaned)
    }

    private static func radix(_ digits: Substring, _ base: Int) -> Int? {
        let cleaned = digits.filter { $0 != "_" }
        guard !digits.isEmpty else { return nil }
        if cleaned.isEmpty { return 0 }
        return Int(cleaned, radix: base)
    }

    /// `[1-9][0-9_]*(:[0-5]?[0-9])+`, base 60.
    private static func sexagesimal(_ body: Substring) -> Int? {
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        guard let head = parts.first, let headValue = radix(head, 10),
            head.allSatisfy({ $0.isASCIIDigit || $0 == "_" })
        else { return nil }
        var value = headValue
        for part in parts.dropFirst() {
            guard (1...2).contains(part.count), part.allSatisfy(\.isASCIIDigit), let digit = Int(part) else {
                return nil
            }
            if part.count == 2, let tens = part.first, tens > "5" { return nil }
            value = value * 60 + digit
        }
        return value
    }

    private static func sexagesimalFloat(_ whole: Substring) -> Double? {
        guard let first = whole.first, first.isASCIIDigit else { return nil }
        return sexagesimal(whole).map(Double.init)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
