import Crypto
import Diagnostics
import Foundation
import _CryptoExtras

/// The vault passwords of a run (`--vault-password-file`, `--vault-id`, `vault_password_file`),
/// and ansible-vault's `AES256` format: decrypting whole files and inline `!vault` values, and
/// encrypting (for tests and fixtures).
///
/// Format `$ANSIBLE_VAULT;1.1;AES256` (or `1.2;AES256;<vault-id>`), then the hex of
/// `hex(salt) \n hex(hmac) \n hex(ciphertext)`; keys come from PBKDF2-SHA256 (10 000 rounds,
/// 80 bytes: AES key, HMAC key, CTR counter), the plaintext is PKCS#7 padded.
public struct VaultSecrets: Sendable {
    /// One password with its vault id (`default` when none was given).
    public struct Secret: Sendable, Hashable {
        public var id: String
        public var password: String
        public init(id: String = "default", password: String) {
            self.id = id
            self.password = password
        }
    }

    public var secrets: [Secret]

    public init(_ secrets: [Secret] = []) {
        self.secrets = secrets
    }

    /// Whether `text` starts with a vault header.
    public static func isEncrypted(_ text: String) -> Bool {
        text.hasPrefix("$ANSIBLE_VAULT;")
    }

    /// Decrypts vault text, trying the secret whose id matches the header first and then every
    /// other secret, as ansible-vault does.
    public func decrypt(_ text: String) throws -> String {
        let envelope = try VaultEnvelope(text)
        guard !secrets.isEmpty else {
            throw VaultError.noSecrets
        }
        let ordered = secrets.filter { $0.id == envelope.vaultID } + secrets.filter { $0.id != envelope.vaultID }
        for secret in ordered {
            if let plaintext = try envelope.decrypt(password: secret.password) {
                guard let string = String(bytes: plaintext, encoding: .utf8) else {
                    throw VaultError.notUTF8
                }
                return string
            }
        }
        throw VaultError.noMatchingSecret
    }

    /// Encrypts `plaintext` with `secret` in format 1.1 (1.2 when the vault id is not `default`),
    /// wrapping the hex body at 80 columns as ansible-vault does.
    public static func encrypt(_ plaintext: String, with secret: Secret, salt: [UInt8]? = nil) throws -> String {
        let salt = salt ?? (0..<32).map { _ in UInt8.random(in: 0...255) }
        let keys = try VaultKeys(password: secret.password, salt: salt)
        var padded = Array(plaintext.utf8)
        let padding = 16 - padded.count % 16
        padded.append(contentsOf: repeatElement(UInt8(padding), count: padding))
        let ciphertext = try Array(AES._CTR.encrypt(padded, using: keys.cipherKey, nonce: keys.counter))
        let mac = Array(HMAC<SHA256>.authenticationCode(for: ciphertext, using: keys.macKey))
        let inner = Hex.encode(salt) + "\n" + Hex.encode(mac) + "\n" + Hex.encode(ciphertext)
        let body = Hex.encode(Array(inner.utf8))
        let header = secret.id == "default" ? "$ANSIBLE_VAULT;1.1;AES256" : "$ANSIBLE_VAULT;1.2;AES256;\(secret.id)"
        var lines = [header]
        var rest = Substring(body)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(80)))
            rest = rest.dropFirst(80)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Why a vault could not be decrypted. Callers attach the location of the vaulted value or file.
public enum VaultError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case unsupportedCipher(String)
    case noSecrets
    case noMatchingSecret
    case notUTF8

    public var description: String {
        switch self {
        case .malformed(let why): return "malformed vault data: \(why)"
        case .unsupportedCipher(let cipher): return "unsupported vault cipher '\(cipher)'"
        case .noSecrets: return "attempting to decrypt but no vault secrets found"
        case .noMatchingSecret: return "decryption failed (no vault secrets were found that could decrypt)"
        case .notUTF8: return "decrypted vault data is not UTF-8 text"
        }
    }
}

/// The parsed parts of one vault text.
struct VaultEnvelope {
    var vaultID: String
    var salt: [UInt8]
    var mac: [UInt8]
    var ciphertext: [UInt8]

    init(_ text: String) throws {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let header = lines.first, header.hasPrefix("$ANSIBLE_VAULT;") else {
            throw VaultError.malformed("missing '$ANSIBLE_VAULT' header")
        }
        let fields = header.split(separator: ";").map(String.init)
        guard fields.count >= 3 else { throw VaultError.malformed("bad header '\(header)'") }
        guard fields[2] == "AES256" else { throw VaultError.unsupportedCipher(fields[2]) }
        vaultID = fields.count >= 4 ? fields[3] : "default"
        guard let innerBytes = Hex.decode(lines.dropFirst().joined()),
            let inner = String(bytes: innerBytes, encoding: .ascii)
        else { throw VaultError.malformed("body is not hexadecimal") }
        let parts = inner.split(separator: "\n").map(String.init)
        guard parts.count == 3, let salt = Hex.decode(parts[0]), let mac = Hex.decode(parts[1]),
            let ciphertext = Hex.decode(parts[2])
        else { throw VaultError.malformed("expected salt, hmac and ciphertext") }
        self.salt = salt
        self.mac = mac
        self.ciphertext = ciphertext
    }

    /// The plaintext, or nil when `password` is not the right one (the HMAC does not match).
    func decrypt(password: String) throws -> [UInt8]? {
        let keys = try VaultKeys(password: password, salt: salt)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: ciphertext, using: keys.macKey) else {
            return nil
        }
        var plaintext = try Array(AES._CTR.decrypt(ciphertext, using: keys.cipherKey, nonce: keys.counter))
        guard let padding = plaintext.last, (1...16).contains(padding), Int(padding) <= plaintext.count else {
            throw VaultError.malformed("bad padding")
        }
        plaintext.removeLast(Int(padding))
        return plaintext
    }
}

/// AES key, HMAC key and initial counter derived from a password.
struct VaultKeys {
    var cipherKey: SymmetricKey
    var macKey: SymmetricKey
    var counter: AES._CTR.Nonce

    init(password: String, salt: [UInt8]) throws {
        let derived = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 80,
            unsafeUncheckedRounds: 10_000)
        let bytes = derived.withUnsafeBytes { Array($0) }
        cipherKey = SymmetricKey(data: bytes[0..<32])
        macKey = SymmetricKey(data: bytes[32..<64])
        counter = try AES._CTR.Nonce(nonceBytes: bytes[64..<80])
    }
}

/// Lowercase hex as Python's `hexlify`.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
