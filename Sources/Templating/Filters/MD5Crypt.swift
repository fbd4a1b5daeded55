import Crypto

/// MD5-crypt (`$1$`, Poul-Henning Kamp's algorithm) for `password_hash('md5')`: still accepted by
/// `/etc/shadow`, and what ansible-core produces for `md5` / `md5_crypt`.
enum MD5Crypt {
    static func hash(_ password: [UInt8], salt: [UInt8]) -> String {
        let magic = Array("$1$".utf8)
        let alternate = digest(password, salt, password)
        var hasher = Insecure.MD5()
        hasher.update(data: password)
        hasher.update(data: magic)
        hasher.update(data: salt)
        var remaining = password.count
        while remaining > 0 {
            hasher.update(data: alternate.prefix(min(16, remaining)))
            remaining -= 16
        }
        // The historical quirk: a zero byte for each set bit, the password's first byte otherwise.
        var length = password.count
        while length > 0 {
            hasher.update(data: length & 1 == 1 ? [0] : [password[0]])
            length >>= 1
        }
        var current = Array(hasher.finalize())
        for round in 0..<1000 {
            var roundHasher = Insecure.MD5()
            roundHasher.update(data: round & 1 == 1 ? password : current)
            if round % 3 != 0 { roundHasher.update(data: salt) }
            if round % 7 != 0 { roundHasher.update(data: password) }
            roundHasher.update(data: round & 1 == 1 ? current : password)
            current = Array(roundHasher.finalize())
        }
        let triples = [(0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5)]
        let body = triples.map { SHACrypt.encode(current[$0.0], current[$0.1], current[$0.2], 4) }.joined()
        return "$1$" + String(decoding: salt, as: UTF8.self) + "$" + body + SHACrypt.encode(0, 0, current[11], 2)
    }

    private static func digest(_ parts: [UInt8]...) -> [UInt8] {
        var hasher = Insecure.MD5()
        for part in parts { hasher.update(data: part) }
        return Array(hasher.finalize())
    }
}
