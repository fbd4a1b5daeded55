import Crypto

/// SHA-crypt (`$5$` / `$6$`, Ulrich Drepper's algorithm) for `password_hash('sha512')`, the
/// format `/etc/shadow` and the `user` module expect.
enum SHACrypt {
    /// SHA-crypt of `password` with `salt` used literally (the encoding is `CryptSalt`'s job) and
    /// `rounds` already clamped; 5000 rounds is the implicit count and is not written.
    static func hash(_ password: [UInt8], salt: String, rounds: Int, sha512: Bool) -> String {
        let prefix = (sha512 ? "$6$" : "$5$") + (rounds == 5000 ? "" : "rounds=\(rounds)$") + salt + "$"
        if sha512 {
            return prefix + encode512(compute(SHA512.self, password, Array(salt.utf8), rounds))
        }
        return prefix + encode256(compute(SHA256.self, password, Array(salt.utf8), rounds))
    }

    private static func digest<H: HashFunction>(_ type: H.Type, _ parts: [UInt8]...) -> [UInt8] {
        var hasher = H()
        for part in parts { hasher.update(data: part) }
        return Array(hasher.finalize())
    }

    private static func repeated(_ bytes: [UInt8], toLength length: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(length)
        while result.count < length { result.append(contentsOf: bytes.prefix(length - result.count)) }
        return result
    }

    private static func compute<H: HashFunction>(_ type: H.Type, _ password: [UInt8], _ salt: [UInt8], _ rounds: Int) -> [UInt8] {
        let alternate = digest(type, password, salt, password)
        var hasher = H()
        hasher.update(data: password)
        hasher.update(data: salt)
        hasher.update(data: repeated(alternate, toLength: password.count))
        var length = password.count
        while length > 0 {
            hasher.update(data: length & 1 == 1 ? alternate : password)
            length >>= 1
        }
        var current = Array(hasher.finalize())
        let passwordDigest = digest(type, Array(repeating: password, count: password.count).flatMap { $0 })
        let passwordSequence = repeated(passwordDigest, toLength: password.count)
        let saltDigest = digest(type, Array(repeating: salt, count: 16 + Int(current[0])).flatMap { $0 })
        let saltSequence = repeated(saltDigest, toLength: salt.count)
        for round in 0..<rounds {
            var roundHasher = H()
            roundHasher.update(data: round & 1 == 1 ? passwordSequence : current)
            if round % 3 != 0 { roundHasher.update(data: saltSequence) }
            if round % 7 != 0 { roundHasher.update(data: passwordSequence) }
            roundHasher.update(data: round & 1 == 1 ? current : passwordSequence)
            current = Array(roundHasher.finalize())
        }
        return current
    }

    static func encode(_ b2: UInt8, _ b1: UInt8, _ b0: UInt8, _ count: Int) -> String {
        var word = UInt32(b2) << 16 | UInt32(b1) << 8 | UInt32(b0)
        var output = ""
        for _ in 0..<count {
            output.append(CryptSalt.alphabet[Int(word & 0x3f)])
            word >>= 6
        }
        return output
    }

    private static func encode512(_ d: [UInt8]) -> String {
        let triples = [
            (0, 21, 42), (22, 43, 1), (44, 2, 23), (3, 24, 45), (25, 46, 4), (47, 5, 26), (6, 27, 48), (28, 49, 7),
            (50, 8, 29), (9, 30, 51), (31, 52, 10), (53, 11, 32), (12, 33, 54), (34, 55, 13), (56, 14, 35),
            (15, 36, 57), (37, 58, 16), (59, 17, 38), (18, 39, 60), (40, 61, 19), (62, 20, 41),
        ]
        return triples.map { encode(d[$0.0], d[$0.1], d[$0.2], 4) }.joined() + encode(0, 0, d[63], 2)
    }

    private static func encode256(_ d: [UInt8]) -> String {
        let triples = [(0, 10, 20), (21, 1, 11), (12, 22, 2), (3, 13, 23), (24, 4, 14), (15, 25, 5), (6, 16, 26), (27, 7, 17), (18, 28, 8), (9, 19, 29)]
        var output = triples.map { encode(d[$0.0], d[$0.1], d[$0.2], 4) }.joined()
        output += encode(0, d[31], d[30], 3)
        return output
    }
}
