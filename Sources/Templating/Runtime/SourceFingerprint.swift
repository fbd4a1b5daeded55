/// A fast, non-cryptographic hash of a template's whole text, for the compiled-template cache.
///
/// Every cached render hashes its source to find the compiled template. `String`'s hashing feeds
/// SipHash byte by byte after checking normalization; this takes eight bytes per multiply. Equal
/// texts give equal fingerprints (the cache key compares the texts themselves on a match), and
/// the result is combined into Swift's seeded `Hasher`, which spreads it over the table.
enum SourceFingerprint {
    static func of(_ text: String) -> UInt64 {
        if let fingerprint = text.utf8.withContiguousStorageIfAvailable({ of(UnsafeRawBufferPointer($0)) }) {
            return fingerprint
        }
        return Array(text.utf8).withUnsafeBytes { of($0) }
    }

    private static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            // One multiply and shift per word; the full mix below runs once, at the end.
            state = (state ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            state ^= state >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        return mix(state ^ tail)
    }

    /// The finalizer of MurmurHash3: every input bit affects every output bit.
    private static func mix(_ value: UInt64) -> UInt64 {
        var value = value
        value = (value ^ (value >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        value = (value ^ (value >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return value ^ (value >> 33)
    }
}
