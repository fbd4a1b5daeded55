import NIOCore

/// An IPv4 or IPv6 network such as `127.0.0.0/8`, used for `forwardfor except`.
public struct CIDRBlock: Sendable, Equatable, CustomStringConvertible {
    /// Network address bytes (4 or 16).
    public let network: [UInt8]
    /// Prefix length in bits.
    public let prefixLength: Int

    /// Parses `a.b.c.d/n`, `x::y/n`, or a plain address (a host route).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let addressText = parts.first,
            let bytes = CIDRBlock.addressBytes(addressText)
        else { return nil }
        let maxLength = bytes.count * 8
        var length = maxLength
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...maxLength).contains(parsed) else { return nil }
            length = parsed
        }
        self.network = CIDRBlock.masked(bytes, prefixLength: length)
        self.prefixLength = length
    }

    /// Whether `address` lies inside this network. IPv4-mapped IPv6 addresses match IPv4 networks.
    public func contains(_ address: SocketAddress) -> Bool {
        guard var bytes = CIDRBlock.bytes(of: address) else { return false }
        if network.count == 4, bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }),
            bytes[10] == 0xff, bytes[11] == 0xff
        {
            bytes = Array(bytes[12...])
        }
        guard bytes.count == network.count else { return false }
        return CIDRBlock.masked(bytes, prefixLength: prefixLength) == network
    }

    /// The block in `address/prefix` notation.
    public var description: String {
        if network.count == 4 {
            return network.map(String.init).joined(separator: ".") + "/\(prefixLength)"
        }
        var groups: [String] = []
        for index in stride(from: 0, to: 16, by: 2) {
            groups.append(String(UInt16(network[index]) << 8 | UInt16(network[index + 1]), radix: 16))
        }
        return groups.joined(separator: ":") + "/\(prefixLength)"
    }

    private static func masked(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
        var result = bytes
        for index in result.indices {
            let bitsInByte = max(0, min(8, prefixLength - index * 8))
            let mask: UInt8 = bitsInByte == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - bitsInByte))
            result[index] &= mask
        }
        return result
    }

    private static func addressBytes(_ text: String) -> [UInt8]? {
        guard let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
        return bytes(of: address)
    }

    /// The raw address bytes of an IP socket address.
    static func bytes(of address: SocketAddress) -> [UInt8]? {
        switch address {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            return withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        case .unixDomainSocket:
            return nil
        }
    }
}
