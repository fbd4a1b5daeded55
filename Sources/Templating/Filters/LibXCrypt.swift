import Foundation

/// The system's libxcrypt (`libcrypt.so.1`), loaded on first use, for the algorithms ansible-core
/// hashes through it and stackplay does not implement itself (bcrypt, yescrypt). ansible-core loads
/// the same library through ctypes, so the salt encoding and the hash are the library's own.
enum LibXCrypt {
    private typealias CryptR = @convention(c) (
        UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeMutableRawPointer
    ) -> UnsafeMutablePointer<CChar>?
    private typealias GensaltRN = @convention(c) (
        UnsafePointer<CChar>, UInt, UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<CChar>, Int32
    ) -> UnsafeMutablePointer<CChar>?

    private struct Library: @unchecked Sendable {
        let cryptR: CryptR
        let gensaltRN: GensaltRN
    }

    /// `struct crypt_data` is 32 KiB in libxcrypt; ansible-core passes 128 KiB, which is safe either way.
    private static let cryptDataSize = 131_072

    private static let library: Library? = {
        for name in ["libcrypt.so.1", "libcrypt.so"] {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            guard let crypt = dlsym(handle, "crypt_r"), let gensalt = dlsym(handle, "crypt_gensalt_rn") else {
                dlclose(handle)
                continue
            }
            return Library(
                cryptR: unsafeBitCast(crypt, to: CryptR.self), gensaltRN: unsafeBitCast(gensalt, to: GensaltRN.self))
        }
        return nil
    }()

    static var isAvailable: Bool { library != nil }

    /// Why `crypt_gensalt_rn` produced no setting, in ansible-core's words.
    struct GensaltFailure: Error {
        let reason: String
    }

    /// `crypt_gensalt_rn(prefix, count, randomBytes)`, as ansible-core calls it.
    static func gensalt(prefix: String, count: Int, randomBytes: [UInt8]) throws(GensaltFailure) -> String {
        guard let library else { throw GensaltFailure(reason: "crypt_gensalt not available (requires libxcrypt)") }
        var output = [CChar](repeating: 0, count: 256)
        let produced = randomBytes.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { random in
                output.withUnsafeMutableBufferPointer { buffer in
                    library.gensaltRN(
                        prefix, UInt(count), random.baseAddress, Int32(random.count), buffer.baseAddress!, Int32(buffer.count)
                    ) != nil
                }
            }
        }
        guard produced else { throw GensaltFailure(reason: "crypt_gensalt failed: unable to generate salt") }
        let setting = String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if ["*", "*0", "*1"].contains(setting) {
            throw GensaltFailure(reason: "crypt_gensalt failed: invalid prefix or unsupported algorithm")
        }
        return setting
    }

    /// `crypt_r(password, setting)`; nil when the library refuses the setting.
    static func crypt(_ password: String, setting: String) -> String? {
        guard let library else { return nil }
        let data = UnsafeMutableRawPointer.allocate(byteCount: cryptDataSize, alignment: 16)
        defer { data.deallocate() }
        data.initializeMemory(as: UInt8.self, repeating: 0, count: cryptDataSize)
        guard let result = library.cryptR(password, setting, data) else { return nil }
        let hash = String(cString: result)
        return hash.hasPrefix("*") ? nil : hash
    }
}
