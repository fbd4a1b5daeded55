import Crypto

/// SHA-crypt (`$5$` / `$6$`, Ulrich Drepper's algorithm) for `password_hash('sha512')`, the
/// format `/etc/shadow` and the `user` module expect.
enum SHACrypt {
    private static let alphabet = Array("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    static func hash(_ password: String, type: String, salt: String?, rounds: Int?) throws -> String {
        let saltText = String((salt ?? randomSalt()).prefix(16))
        guard saltText.allSatisfy({ alphabet.contains($0) }) else {
            throw RenderFailure("invalid characters in sha\(type == "sha256" ? "256" : "512")_crypt salt", kind: .other)
        }
        let isSHA512 = type == "sha512" || type == "sha512_crypt"
        // Ansible's crypt backend always writes explicit rounds: 656000 (SHA-512) or 535000 (SHA-256) by default.
        let roundCount = rounds == 5000 ? 5000 : min(max(rounds ?? (isSHA512 ? 656_000 : 535_000), 1000), 999_999_999)
        switch type {
        case "sha512", "sha512_crypt":
            let digest = compute(SHA512.self, Array(password.utf8), Array(saltText.utf8), roundCount)
            return "$6$" + roundsPrefix(roundCount) + saltText + "$" + encode512(digest)
        case "sha256", "sha256_crypt":
            let digest = compute(SHA256.self, Array(password.utf8), Array(saltText.utf8), roundCount)
            return "$5$" + roundsPrefix(roundCount) + saltText + "$" + encode256(digest)
        default:
            throw RenderFailure("\(type) is not in the list of supported passlib algorithms: md5, blowfish, sha256, sha512", kind: .other)
        }
    }

    /// `rounds=N$`, omitted for the algorithm's implicit 5000 (the classic `/etc/shadow` form).
    private static func roundsPrefix(_ rounds: Int) -> String {
        rounds == 5000 ? "" : "rounds=\(rounds)$"
    }

    private static func randomSalt() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
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

    private static func encode(_ b2: UInt8, _ b1: UInt8, _ b0: UInt8, _ count: Int) -> String {
        var word = UInt32(b2) << 16 | UInt32(b1) << 8 | UInt32(b0)
        var output = ""
        for _ in 0..<count {
            output.append(alphabet[Int(word & 0x3f)])
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

/// Password hashing for callers outside the template engine (`vars_prompt`'s `encrypt`): the same
/// implementation as the `password_hash` filter.
public enum PasswordHashing {
    /// `algorithm` is `sha512_crypt` or `sha256_crypt` (also `sha512`, `sha256`); nil `salt` means a random one.
    public static func hash(_ password: String, algorithm: String, salt: String?, rounds: Int? = nil) throws -> String {
        do {
            return try SHACrypt.hash(password, type: algorithm, salt: salt, rounds: rounds)
        } catch let failure as RenderFailure {
            throw PasswordHashingError(message: failure.message)
        }
    }
}

/// Why a password could not be hashed (an unsupported algorithm, a bad salt).
public struct PasswordHashingError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
