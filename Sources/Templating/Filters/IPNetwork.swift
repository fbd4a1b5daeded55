import Foundation

/// An IP address with a prefix length (netaddr's `IPNetwork`), IPv4 or IPv6.
struct IPNetwork: Equatable {
    var version: Int
    /// The address as given (not masked).
    var address: UInt128
    var prefix: Int

    var bits: Int { version == 4 ? 32 : 128 }
    var allOnes: UInt128 { version == 4 ? 0xFFFF_FFFF : UInt128.max }
    var netmask: UInt128 { prefix == 0 ? 0 : (allOnes << UInt128(bits - prefix)) & allOnes }
    var hostmask: UInt128 { allOnes ^ netmask }
    var network: UInt128 { address & netmask }
    var broadcast: UInt128 { network | hostmask }
    var size: UInt128 { prefix == 0 && version == 6 ? UInt128.max : hostmask + 1 }

    /// Parses `a.b.c.d`, `a.b.c.d/nn`, `a.b.c.d/m.m.m.m`, IPv6 with optional `/nn`, and `[v6]`.
    static func parse(_ text: String) -> IPNetwork? {
        var body = Substring(text)
        if body.hasPrefix("["), let close = body.firstIndex(of: "]") {
            body = body[body.index(after: body.startIndex)..<close] + body[body.index(after: close)...]
        }
        var prefixText: Substring?
        if let slash = body.firstIndex(of: "/") {
            prefixText = body[body.index(after: slash)...]
            body = body[..<slash]
        }
        if let v4 = parseV4(body) {
            var prefix = 32
            if let prefixText {
                if let number = Int(prefixText), (0...32).contains(number) {
                    prefix = number
                } else if let mask = parseV4(prefixText), let length = maskLength(mask, bits: 32) {
                    prefix = length
                } else {
                    return nil
                }
            }
            return IPNetwork(version: 4, address: v4, prefix: prefix)
        }
        if body.contains(":"), let v6 = parseV6(body) {
            var prefix = 128
            if let prefixText {
                guard let number = Int(prefixText), (0...128).contains(number) else { return nil }
                prefix = number
            }
            return IPNetwork(version: 6, address: v6, prefix: prefix)
        }
        return nil
    }

    private static func maskLength(_ mask: UInt128, bits: Int) -> Int? {
        let inverted = ~mask & ((1 << UInt128(bits)) - 1)
        guard (inverted & (inverted + 1)) == 0 else { return nil }
        return bits - (inverted == 0 ? 0 : (UInt128.bitWidth - inverted.leadingZeroBitCount))
    }

    static func parseV4(_ text: Substring) -> UInt128? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt128 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt128(octet)
        }
        return value
    }

    static func parseV6(_ text: Substring) -> UInt128? {
        var text = text
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt128]? {
            if part.isEmpty { return [] }
            var result: [UInt128] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let v4 = parseV4(piece) {
                    result.append(v4 >> 16)
                    result.append(v4 & 0xFFFF)
                    continue
                }
                guard (1...4).contains(piece.count), let group = UInt16(piece, radix: 16) else { return nil }
                result.append(UInt128(group))
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.reduce(0) { $0 << 16 | $1 }
    }

    func format(_ value: UInt128) -> String {
        if version == 4 {
            return (0..<4).map { String((value >> UInt128(24 - $0 * 8)) & 0xFF) }.joined(separator: ".")
        }
        let groups = (0..<8).map { Int((value >> UInt128(112 - $0 * 16)) & 0xFFFF) }
        // RFC 5952: compress the longest run (length >= 2) of zero groups.
        var bestStart = -1, bestLength = 0, runStart = -1
        for index in 0...8 {
            if index < 8 && groups[index] == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                if index - runStart > bestLength { (bestStart, bestLength) = (runStart, index - runStart) }
                runStart = -1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return hex.joined(separator: ":") }
        let head = hex[..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }

    var addressString: String { format(address) }
    var cidrString: String { "\(format(network))/\(prefix)" }
    var withPrefix: String { "\(format(address))/\(prefix)" }

    var isPrivate: Bool {
        if version == 4 {
            let ranges: [(UInt128, Int)] = [
                (0x0A00_0000, 8), (0xAC10_0000, 12), (0xC0A8_0000, 16), (0x6440_0000, 10), (0xA9FE_0000, 16), (0x7F00_0000, 8),
            ]
            return ranges.contains { (address >> UInt128(32 - $0.1)) == ($0.0 >> UInt128(32 - $0.1)) }
        }
        return (address >> 121) == (0xFC00 >> 9) || (address >> 118) == (0xFE80 >> 6)
    }
}
