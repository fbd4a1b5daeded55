import Crypto
import Foundation

/// Base64, hashes, `password_hash` (SHA-crypt) and `to_uuid`.
enum EncodingFilters {
    static let table: [String: FilterFunction] = [
        "b64encode": { input, arguments, _ in
            let urlsafe = try arguments.bool(1, "urlsafe", default: false)
            var encoded = Data(try input.pythonString().utf8).base64EncodedString()
            if urlsafe { encoded = encoded.replacingOccurrences("+", "-").replacingOccurrences("/", "_") }
            return .string(encoded)
        },
        "b64decode": { input, arguments, _ in
            var text = try input.pythonString()
            if try arguments.bool(1, "urlsafe", default: false) {
                text = text.replacingOccurrences("-", "+").replacingOccurrences("_", "/")
            }
            text = String(text.filter { !$0.isWhitespace })
            while text.count % 4 != 0 { text += "=" }
            guard let data = Data(base64Encoded: text) else {
                throw RenderFailure("Incorrect padding", kind: .value)
            }
            return .string(String(decoding: data, as: UTF8.self))
        },
        "hash": { input, arguments, _ in
            .string(try digest(try input.pythonString(), algorithm: try arguments.string(0, "hashtype", default: "sha1")))
        },
        "checksum": { input, _, _ in .string(try digest(try input.pythonString(), algorithm: "sha1")) },
        "sha1": { input, _, _ in .string(try digest(try input.pythonString(), algorithm: "sha1")) },
        "md5": { input, _, _ in .string(try digest(try input.pythonString(), algorithm: "md5")) },
        "password_hash": { input, arguments, _ in
            let password = try input.pythonString()
            let hashType = try arguments.string(0, "hashtype", default: "sha512")
            let salt = try arguments.value(1, "salt").flatMap { value -> String? in
                if case .none = value { return nil }
                return try value.pythonString()
            }
            let saltSize = arguments.value(2, "salt_size").flatMap(\.integerValue)
            let rounds = arguments.value(3, "rounds").flatMap(\.integerValue)
            let ident = try arguments.value(4, "ident").flatMap { value -> String? in
                if case .none = value { return nil }
                return try value.pythonString()
            }
            return .string(
                try PasswordHash.hash(password, type: hashType, salt: salt, saltSize: saltSize, rounds: rounds, ident: ident))
        },
        "to_uuid": { input, arguments, _ in
            let namespace = try arguments.string(0, "namespace", default: "361E6D51-FAEC-444A-9079-341386DA8E2E")
            guard let namespaceUUID = UUID(uuidString: namespace) else {
                throw RenderFailure("Invalid value '\(namespace)' for 'namespace': badly formed hexadecimal UUID string", kind: .other)
            }
            return .string(uuid5(namespace: namespaceUUID, name: try input.pythonString()))
        },
    ]

    static func hexDigest<D: Digest>(_ digest: D) -> String {
        digest.map { Value.hex(UInt32($0), width: 2) }.joined()
    }

    static func digest(_ text: String, algorithm: String) throws -> String {
        let data = Data(text.utf8)
        switch algorithm {
        case "md5": return hexDigest(Insecure.MD5.hash(data: data))
        case "sha1": return hexDigest(Insecure.SHA1.hash(data: data))
        case "sha256": return hexDigest(SHA256.hash(data: data))
        case "sha384": return hexDigest(SHA384.hash(data: data))
        case "sha512": return hexDigest(SHA512.hash(data: data))
        default: throw RenderFailure("unsupported hash type \(algorithm)", kind: .other)
        }
    }

    /// RFC 4122 name-based UUID (version 5, SHA-1), as Python's `uuid.uuid5`.
    static func uuid5(namespace: UUID, name: String) -> String {
        let namespaceBytes = withUnsafeBytes(of: namespace.uuid) { Array($0) }
        var bytes = Array(Insecure.SHA1.hash(data: namespaceBytes + Array(name.utf8))).prefix(16)
        bytes[bytes.startIndex + 6] = (bytes[bytes.startIndex + 6] & 0x0F) | 0x50
        bytes[bytes.startIndex + 8] = (bytes[bytes.startIndex + 8] & 0x3F) | 0x80
        let hex = bytes.map { Value.hex(UInt32($0), width: 2) }.joined()
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}
