import Foundation

/// Writes a ZIP archive with stored (uncompressed) entries.
///
/// A CSAR is a ZIP file; Tacker reads stored entries fine, and storing keeps the writer small and the
/// output deterministic: entries are sorted by path and carry a fixed timestamp, so the same package
/// directory always yields the same bytes and the same checksum — which is what makes `vnf_package`
/// idempotent by content.
struct ZipWriter {
    private var data = Data()
    private var centralDirectory = Data()
    private var entryCount = 0

    /// 1980-01-01 00:00, the DOS epoch: a fixed time so archives are reproducible.
    private static let dosTime: UInt16 = 0
    private static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1

    mutating func add(path: String, contents: Data) {
        let name = Data(path.utf8)
        let crc = CRC32.checksum(contents)
        let offset = UInt32(data.count)
        var local = Data()
        local.appendLittleEndian(UInt32(0x0403_4b50))
        local.appendLittleEndian(UInt16(20))  // version needed: 2.0
        local.appendLittleEndian(UInt16(0x0800))  // flags: UTF-8 names
        local.appendLittleEndian(UInt16(0))  // method: stored
        local.appendLittleEndian(Self.dosTime)
        local.appendLittleEndian(Self.dosDate)
        local.appendLittleEndian(crc)
        local.appendLittleEndian(UInt32(contents.count))
        local.appendLittleEndian(UInt32(contents.count))
        local.appendLittleEndian(UInt16(name.count))
        local.appendLittleEndian(UInt16(0))
        local.append(name)
        data.append(local)
        data.append(contents)

        var central = Data()
        central.appendLittleEndian(UInt32(0x0201_4b50))
        central.appendLittleEndian(UInt16(0x031E))  // made by: Unix, 3.0
        central.appendLittleEndian(UInt16(20))
        central.appendLittleEndian(UInt16(0x0800))
        central.appendLittleEndian(UInt16(0))
        central.appendLittleEndian(Self.dosTime)
        central.appendLittleEndian(Self.dosDate)
        central.appendLittleEndian(crc)
        central.appendLittleEndian(UInt32(contents.count))
        central.appendLittleEndian(UInt32(contents.count))
        central.appendLittleEndian(UInt16(name.count))
        central.appendLittleEndian(UInt16(0))  // extra
        central.appendLittleEndian(UInt16(0))  // comment
        central.appendLittleEndian(UInt16(0))  // disk
        central.appendLittleEndian(UInt16(0))  // internal attributes
        central.appendLittleEndian(UInt32(0o100644) << 16)  // external: regular file, rw-r--r--
        central.appendLittleEndian(offset)
        central.append(name)
        centralDirectory.append(central)
        entryCount += 1
    }

    /// The finished archive.
    func archive() -> Data {
        var result = data
        let directoryOffset = UInt32(result.count)
        result.append(centralDirectory)
        result.appendLittleEndian(UInt32(0x0605_4b50))
        result.appendLittleEndian(UInt16(0))
        result.appendLittleEndian(UInt16(0))
        result.appendLittleEndian(UInt16(entryCount))
        result.appendLittleEndian(UInt16(entryCount))
        result.appendLittleEndian(UInt32(centralDirectory.count))
        result.appendLittleEndian(directoryOffset)
        result.appendLittleEndian(UInt16(0))
        return result
    }
}

/// CRC-32 (IEEE 802.3), as ZIP requires.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        return crc
    }

    static func checksum(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

extension Data {
    fileprivate mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
