/// Rendered text, collected as UTF-8 bytes.
///
/// A render appends thousands of short pieces (text between tags, one value per `{{ }}`).
/// Appending to a `String` re-checks its capacity, ASCII flag and breadcrumbs every time; a byte
/// array only copies. The bytes always come from whole `String`s, so they are valid UTF-8.
struct Output {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ text: String) {
        // Appending the UTF-8 view as a sequence goes through a generic element-wise copy; the
        // contiguous bytes (native and small strings have them) are one memcpy.
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
        if copied == nil { bytes.append(contentsOf: text.utf8) }
    }

    /// Appends a number's decimal digits without going through a `String`.
    mutating func append(_ number: Int) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digitCount = 1
        var rest = magnitude / 10
        while rest > 0 {
            digitCount += 1
            rest /= 10
        }
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digitCount))
        var position = bytes.count - 1
        while magnitude > 0 {
            bytes[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            position -= 1
        }
    }
}
