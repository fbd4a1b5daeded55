/// Rendered text, collected as UTF-8 bytes in a buffer this type owns.
///
/// A render appends thousands of short pieces (text between tags, one value per `{{ }}`).
/// Appending to a `String` re-checks its capacity, ASCII flag and breadcrumbs every time, and
/// even `[UInt8].append(contentsOf:)` costs a uniqueness check and a generic copy per piece; here
/// an append is a capacity check and a `memcpy`. Non-copyable, so the buffer has one owner and
/// is freed with it. The bytes always come from whole `String`s, so they are valid UTF-8.
struct Output: ~Copyable {
    private var start: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written so far.
    private(set) var count = 0

    init(capacity: Int = 0) {
        self.capacity = max(capacity, 64)
        start = .allocate(capacity: self.capacity)
    }

    deinit {
        start.deallocate()
    }

    var string: String {
        String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    }

    mutating func append(_ text: String) {
        // Native and small strings have contiguous UTF-8; only bridged ones need the slow path.
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { append($0) }
        if copied == nil { append(Array(text.utf8)) }
    }

    private mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (start + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Appends a number's decimal digits without going through a `String`.
    mutating func append(_ number: Int) {
        var magnitude = number.magnitude
        var digitCount = 1
        var rest = magnitude / 10
        while rest > 0 {
            digitCount += 1
            rest /= 10
        }
        let length = digitCount + (number < 0 ? 1 : 0)
        reserve(length)
        if number < 0 { start[count] = UInt8(ascii: "-") }
        var position = count + length - 1
        repeat {
            start[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            position -= 1
        } while magnitude > 0
        count += length
    }

    /// How many newlines the text ends with.
    var trailingNewlineCount: Int {
        var newlines = 0
        while newlines < count && start[count - 1 - newlines] == UInt8(ascii: "\n") { newlines += 1 }
        return newlines
    }

    /// Appends `number` newlines; nothing when it is zero or negative.
    mutating func appendNewlines(_ number: Int) {
        guard number > 0 else { return }
        reserve(number)
        (start + count).initialize(repeating: UInt8(ascii: "\n"), count: number)
        count += number
    }

    /// Makes room for `extra` more bytes, doubling the buffer when it is full.
    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let newCapacity = max(capacity * 2, count + extra)
        let newStart = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newStart.initialize(from: start, count: count)
        start.deallocate()
        start = newStart
        capacity = newCapacity
    }
}
