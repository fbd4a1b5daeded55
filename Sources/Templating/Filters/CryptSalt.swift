/// The salt string ansible-core's `CryptHash` hands to crypt(3) on Linux: with libxcrypt's
/// `crypt_gensalt` available, the given salt is not used literally but as the *random bytes* that
/// `crypt_gensalt` encodes (so `password_hash('sha512', 'mysalt')` hashes with the salt `hZrQ`).
struct CryptSalt {
    static let alphabet = Array("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// ansible-core's algorithm name, used in its error messages (`sha512_crypt`).
    let algorithm: String
    /// The longest salt, in characters (16 for SHA-crypt, 8 for MD5-crypt).
    let maximumLength: Int

    /// The encoded salt for `salt` (nil: `saltSize` random bytes, the algorithm's maximum by default).
    func encoded(salt: String?, saltSize: Int?) throws(RenderFailure) -> String {
        let size = saltSize ?? maximumLength
        guard size <= maximumLength else {
            throw RenderFailure("invalid salt size supplied (\(size)), expected at most \(maximumLength)")
        }
        guard let salt, !salt.isEmpty else {
            var generator = SystemRandomNumberGenerator()
            return try encode((0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        guard salt.allSatisfy({ Self.alphabet.contains($0) }) else {
            throw RenderFailure("invalid characters in salt")
        }
        guard salt.count <= maximumLength else {
            throw RenderFailure("invalid salt size supplied (\(salt.count)), expected at most \(maximumLength)")
        }
        return try encode(Array(salt.utf8))
    }

    /// libxcrypt's `gensalt_sha_rn`: every complete group of three bytes (the last byte is never
    /// used) becomes four characters, little-endian, up to the maximum length.
    private func encode(_ bytes: [UInt8]) throws(RenderFailure) -> String {
        guard bytes.count >= 3 else {
            throw RenderFailure(
                "Failed to generate salt for '\(algorithm)' algorithm: crypt_gensalt failed: unable to generate salt")
        }
        var output = ""
        var used = 0
        while used + 3 < bytes.count && used * 4 / 3 < maximumLength {
            var value = UInt32(bytes[used]) | UInt32(bytes[used + 1]) << 8 | UInt32(bytes[used + 2]) << 16
            for _ in 0..<4 {
                output.append(Self.alphabet[Int(value & 0x3f)])
                value >>= 6
            }
            used += 3
        }
        return output
    }
}
