/// ansible-core's `password_hash` / `do_encrypt` as it runs on Linux with libxcrypt and without
/// passlib (ansible-core 2.21's `CryptHash`): the salt goes through `crypt_gensalt` (see
/// `CryptSalt`), SHA-crypt always gets explicit rounds (656000 / 535000 unless given), and the
/// `rounds=` field is left out only when the count is crypt's implicit 5000. bcrypt and yescrypt
/// go to the system's libxcrypt, as ansible-core sends them.
enum PasswordHash {
    struct Algorithm {
        var name: String
        var tag: String
        var maximumSalt: Int
        var defaultRounds: Int?
        /// Hashed by libxcrypt itself; the salt must have exactly `maximumSalt` characters.
        var byLibXCrypt = false
    }

    /// The filter's aliases (`sha512`, …) and ansible-core's names for the algorithms stackplay implements.
    static func algorithm(named name: String) throws(RenderFailure) -> Algorithm {
        switch name {
        case "sha512", "sha512_crypt": return Algorithm(name: "sha512_crypt", tag: "6", maximumSalt: 16, defaultRounds: 656_000)
        case "sha256", "sha256_crypt": return Algorithm(name: "sha256_crypt", tag: "5", maximumSalt: 16, defaultRounds: 535_000)
        case "md5", "md5_crypt": return Algorithm(name: "md5_crypt", tag: "1", maximumSalt: 8, defaultRounds: nil)
        case "blowfish", "bcrypt":
            return Algorithm(name: "bcrypt", tag: "2b", maximumSalt: 22, defaultRounds: 12, byLibXCrypt: true)
        case "yescrypt":
            return Algorithm(name: "yescrypt", tag: "y", maximumSalt: 16, defaultRounds: 5, byLibXCrypt: true)
        default:
            throw RenderFailure("crypt does not support '\(name)' algorithm")
        }
    }

    static func hash(
        _ password: String, type: String, salt: String?, saltSize: Int? = nil, rounds: Int? = nil, ident: String? = nil
    ) throws(RenderFailure) -> String {
        let algorithm = try algorithm(named: type)
        if algorithm.byLibXCrypt {
            return try hashByLibXCrypt(password, algorithm: algorithm, salt: salt, saltSize: saltSize, rounds: rounds, ident: ident)
        }
        // `ident` replaces the `$6$` prefix given to crypt_gensalt, which only knows the real one.
        if let ident, !ident.isEmpty, ident != algorithm.tag {
            throw RenderFailure("Failed to generate salt for '\(algorithm.name)' algorithm")
        }
        let encodedSalt = try CryptSalt(algorithm: algorithm.name, maximumLength: algorithm.maximumSalt)
            .encoded(salt: salt, saltSize: saltSize)
        let bytes = Array(password.utf8)
        guard let defaultRounds = algorithm.defaultRounds else {
            return MD5Crypt.hash(bytes, salt: Array(encodedSalt.utf8))
        }
        // crypt_gensalt clamps the count to SHA-crypt's range; 0 means "Ansible's default".
        let requested = rounds.flatMap { $0 == 0 ? nil : $0 } ?? defaultRounds
        let count = min(max(requested, 1000), 999_999_999)
        return SHACrypt.hash(bytes, salt: encodedSalt, rounds: count, sha512: algorithm.tag == "6")
    }

    /// ansible-core's `CryptHash` with an exact salt size: the salt's characters (or random bytes)
    /// go to `crypt_gensalt_rn` under `$ident$`, the cost defaulting to the algorithm's.
    private static func hashByLibXCrypt(
        _ password: String, algorithm: Algorithm, salt: String?, saltSize: Int?, rounds: Int?, ident: String?
    ) throws(RenderFailure) -> String {
        guard LibXCrypt.isAvailable else {
            throw RenderFailure("crypt cannot be used as the 'libxcrypt' library is not installed or is unusable.")
        }
        let size = (saltSize ?? 0) == 0 ? algorithm.maximumSalt : saltSize!
        guard size == algorithm.maximumSalt else {
            throw RenderFailure("invalid salt size supplied (\(size)), expected \(algorithm.maximumSalt)")
        }
        var randomBytes: [UInt8]
        if let salt, !salt.isEmpty {
            guard salt.allSatisfy({ CryptSalt.alphabet.contains($0) }) else { throw RenderFailure("invalid characters in salt") }
            guard salt.count == algorithm.maximumSalt else {
                throw RenderFailure("invalid salt size supplied (\(salt.count)), expected \(algorithm.maximumSalt)")
            }
            randomBytes = Array(salt.utf8)
        } else {
            var generator = SystemRandomNumberGenerator()
            randomBytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        let prefix = "$" + (ident.flatMap { $0.isEmpty ? nil : $0 } ?? algorithm.tag) + "$"
        let count = rounds.flatMap { $0 == 0 ? nil : $0 } ?? algorithm.defaultRounds ?? 0
        let setting: String
        do {
            setting = try LibXCrypt.gensalt(prefix: prefix, count: count, randomBytes: randomBytes)
        } catch {
            throw RenderFailure("Failed to generate salt for '\(algorithm.name)' algorithm: \(error.reason)")
        }
        guard let hash = LibXCrypt.crypt(password, setting: setting) else {
            throw RenderFailure("crypt does not support '\(algorithm.name)' algorithm")
        }
        return hash
    }
}

/// Password hashing for callers outside the template engine (`vars_prompt`'s `encrypt`): the same
/// implementation as the `password_hash` filter.
public enum PasswordHashing {
    /// `algorithm` is `sha512_crypt`, `sha256_crypt`, `md5_crypt`, `bcrypt` or `yescrypt` (also `sha512`, …); nil `salt` means a random one.
    public static func hash(
        _ password: String, algorithm: String, salt: String?, saltSize: Int? = nil, rounds: Int? = nil
    ) throws -> String {
        do {
            return try PasswordHash.hash(password, type: algorithm, salt: salt, saltSize: saltSize, rounds: rounds)
        } catch {
            throw PasswordHashingError(message: error.message)
        }
    }
}

/// Why a password could not be hashed (an unsupported algorithm, a bad salt).
public struct PasswordHashingError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
