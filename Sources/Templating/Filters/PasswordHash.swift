/// ansible-core's `password_hash` / `do_encrypt` as it runs on Linux with libxcrypt and without
/// passlib (ansible-core 2.21's `CryptHash`): the salt goes through `crypt_gensalt` (see
/// `CryptSalt`), SHA-crypt always gets explicit rounds (656000 / 535000 unless given), and the
/// `rounds=` field is left out only when the count is crypt's implicit 5000.
enum PasswordHash {
    struct Algorithm {
        var name: String
        var tag: String
        var maximumSalt: Int
        var defaultRounds: Int?
    }

    /// The filter's aliases (`sha512`, …) and ansible-core's names for the algorithms stackplay implements.
    static func algorithm(named name: String) throws(RenderFailure) -> Algorithm {
        switch name {
        case "sha512", "sha512_crypt": return Algorithm(name: "sha512_crypt", tag: "6", maximumSalt: 16, defaultRounds: 656_000)
        case "sha256", "sha256_crypt": return Algorithm(name: "sha256_crypt", tag: "5", maximumSalt: 16, defaultRounds: 535_000)
        case "md5", "md5_crypt": return Algorithm(name: "md5_crypt", tag: "1", maximumSalt: 8, defaultRounds: nil)
        case "blowfish", "bcrypt":
            throw RenderFailure("stackplay does not implement the 'bcrypt' algorithm; use sha512")
        default:
            throw RenderFailure("crypt does not support '\(name)' algorithm")
        }
    }

    static func hash(
        _ password: String, type: String, salt: String?, saltSize: Int? = nil, rounds: Int? = nil, ident: String? = nil
    ) throws(RenderFailure) -> String {
        let algorithm = try algorithm(named: type)
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
}

/// Password hashing for callers outside the template engine (`vars_prompt`'s `encrypt`): the same
/// implementation as the `password_hash` filter.
public enum PasswordHashing {
    /// `algorithm` is `sha512_crypt`, `sha256_crypt` or `md5_crypt` (also `sha512`, …); nil `salt` means a random one.
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
