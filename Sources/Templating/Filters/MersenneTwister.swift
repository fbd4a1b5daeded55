import Crypto

/// Python's `random.Random` (MT19937 with CPython's seeding), so `random(seed=…)` and
/// `shuffle(seed=…)` pick the same values Ansible does — playbooks rely on this for stable
/// per-host choices such as `59 | random(seed=inventory_hostname)`.
struct MersenneTwister {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 625
    private var system: SystemRandomNumberGenerator?

    /// A generator seeded like `random.Random(seed)`; nil seed means system randomness.
    static func make(seed: Value?) throws -> MersenneTwister {
        var generator = MersenneTwister()
        switch seed {
        case nil: generator.system = SystemRandomNumberGenerator()
        case .int(let number)?: generator.seed(words: words(of: number.magnitude))
        case .bool(let flag)?: generator.seed(words: [flag ? 1 : 0])
        case .float(let number)? where number == number.rounded() && abs(number) < 9e18:
            generator.seed(words: words(of: Int(number).magnitude))
        case .string(let text)?:
            // CPython (version 2 seeding): int.from_bytes(text + sha512(text), 'big').
            let bytes = Array(text.utf8) + Array(SHA512.hash(data: Array(text.utf8)))
            generator.seed(words: words(ofBigEndian: bytes))
        case let other?:
            throw RenderFailure.type("The only supported seed types are: None, int, float, str, bytes, and bytearray; got \(other.pythonTypeName)")
        }
        return generator
    }

    private static func words(of number: UInt) -> [UInt32] {
        if number == 0 { return [0] }
        var words: [UInt32] = []
        var rest = number
        while rest > 0 {
            words.append(UInt32(truncatingIfNeeded: rest))
            rest >>= 32
        }
        return words
    }

    /// 32-bit words, least significant first, of a big-endian byte string's integer value.
    private static func words(ofBigEndian bytes: [UInt8]) -> [UInt32] {
        var trimmed = bytes[...].drop { $0 == 0 }
        var words: [UInt32] = []
        while !trimmed.isEmpty {
            let chunk = trimmed.suffix(4)
            var word: UInt32 = 0
            for byte in chunk { word = word << 8 | UInt32(byte) }
            words.append(word)
            trimmed = trimmed.dropLast(chunk.count)
        }
        return words.isEmpty ? [0] : words
    }

    private mutating func initialize(_ seed: UInt32) {
        state[0] = seed
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
    }

    private mutating func seed(words key: [UInt32]) {
        initialize(19_650_218)
        var i = 1, j = 0
        for _ in 0..<max(624, key.count) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1
            j += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<623 {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
        }
        state[0] = 0x8000_0000
    }

    private mutating func next32() -> UInt32 {
        if var system {
            defer { self.system = system }
            return UInt32.random(in: .min ... .max, using: &system)
        }
        if index >= 624 {
            for k in 0..<624 {
                let y = (state[k] & 0x8000_0000) | (state[(k + 1) % 624] & 0x7fff_ffff)
                state[k] = state[(k + 397) % 624] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_b0df)
            }
            index = 0
        }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    private mutating func bits(_ count: Int) -> UInt64 {
        if count <= 32 { return UInt64(next32() >> (32 - UInt32(count))) }
        let low = UInt64(next32())
        let high = UInt64(next32() >> (64 - UInt32(count)))
        return high << 32 | low
    }

    /// CPython's `_randbelow_with_getrandbits(n)`.
    mutating func below(_ bound: Int) -> Int {
        guard bound > 0 else { return 0 }
        let width = Int.bitWidth - bound.leadingZeroBitCount
        var value = bits(width)
        while value >= UInt64(bound) { value = bits(width) }
        return Int(value)
    }
}
