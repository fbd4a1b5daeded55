/// The per-backend balancing state: which server gets the next request.
///
/// A value type driven under the backend's lock, so every algorithm can be tested without I/O.
struct ServerSelection: Sendable {
    /// What the selection needs to know about one server right now.
    struct Candidate: Sendable {
        var weight: Int
        var backup: Bool
        var available: Bool
        var activeRequests: Int
        var maxConnections: Int?
        var excluded: Bool

        var hasFreeSlot: Bool { maxConnections.map { activeRequests < $0 } ?? true }
    }

    /// The outcome of one pick.
    enum Outcome: Hashable, Sendable {
        /// Send the request to the server at this index.
        case server(Int)
        /// Servers are up but every one is at its maxconn: queue the request.
        case allBusy
        /// No server is available at all.
        case noServer
    }

    let algorithm: BalancingAlgorithm
    private var currentWeights: [Int]
    private var leastConnectionsCursor = 0
    private let ring: ConsistentHashRing

    init(algorithm: BalancingAlgorithm, weights: [Int]) {
        self.algorithm = algorithm
        self.currentWeights = Array(repeating: 0, count: weights.count)
        self.ring = ConsistentHashRing(weights: weights)
    }

    /// Picks a server for a request whose client hashes to `hashKey`.
    ///
    /// Backup servers are used only when no regular server is available. Excluded servers
    /// (already tried by this request) are avoided unless they are the only ones left.
    mutating func pick(_ candidates: [Candidate], hashKey: UInt64) -> Outcome {
        candidates.withUnsafeBufferPointer { pick($0, hashKey: hashKey) }
    }

    /// `pick(_:hashKey:)` over candidates the caller laid out (on the stack): no allocation.
    mutating func pick(_ candidates: UnsafeBufferPointer<Candidate>, hashKey: UInt64) -> Outcome {
        let regularUp = candidates.contains { !$0.backup && $0.available && $0.weight > 0 }
        func usable(_ candidate: Candidate) -> Bool {
            (regularUp ? !candidate.backup : candidate.backup) && candidate.available && candidate.weight > 0
        }
        guard candidates.contains(where: usable) else { return .noServer }

        // Every fresh server is busy or was already tried: fall back to the tried ones.
        let avoidExcluded = candidates.contains { usable($0) && !$0.excluded && $0.hasFreeSlot }
        guard avoidExcluded || candidates.contains(where: { usable($0) && $0.hasFreeSlot }) else { return .allBusy }
        let eligible = { (index: Int) -> Bool in
            let candidate = candidates[index]
            return usable(candidate) && candidate.hasFreeSlot && !(avoidExcluded && candidate.excluded)
        }

        switch algorithm {
        case .roundRobin:
            return .server(pickRoundRobin(candidates, eligible: eligible))
        case .leastConnections:
            return .server(pickLeastConnections(candidates, eligible: eligible))
        case .source:
            return .server(ring.lookup(hashKey, accept: eligible) ?? firstEligible(candidates.count, eligible))
        case .first:
            return .server(firstEligible(candidates.count, eligible))
        }
    }

    /// nginx's smooth weighted round robin: exact proportions, interleaved, no bursts.
    private mutating func pickRoundRobin(_ candidates: UnsafeBufferPointer<Candidate>, eligible: (Int) -> Bool) -> Int {
        var total = 0
        var best = -1
        for index in candidates.indices where eligible(index) {
            currentWeights[index] += candidates[index].weight
            total += candidates[index].weight
            if best < 0 || currentWeights[index] > currentWeights[best] { best = index }
        }
        currentWeights[best] -= total
        return best
    }

    /// Fewest in-flight requests relative to weight; ties go round-robin so idle servers share load.
    private mutating func pickLeastConnections(_ candidates: UnsafeBufferPointer<Candidate>, eligible: (Int) -> Bool)
        -> Int
    {
        var best = -1
        let count = candidates.count
        for offset in 0..<count {
            let index = (leastConnectionsCursor + offset) % count
            guard eligible(index) else { continue }
            if best < 0 {
                best = index
                continue
            }
            // Compare active/weight without division: a.active * b.weight < b.active * a.weight.
            let lhs = candidates[index].activeRequests * candidates[best].weight
            let rhs = candidates[best].activeRequests * candidates[index].weight
            if lhs < rhs { best = index }
        }
        leastConnectionsCursor = (best + 1) % count
        return best
    }

    private func firstEligible(_ count: Int, _ eligible: (Int) -> Bool) -> Int {
        (0..<count).first(where: eligible) ?? 0
    }
}

/// A consistent-hash ring: each server owns points proportional to its weight, so adding or
/// removing a server only moves the keys that hashed next to its points.
struct ConsistentHashRing: Sendable {
    private var points: [(hash: UInt64, server: Int)] = []
    static let pointsPerWeight = 64

    init(weights: [Int]) {
        for (server, weight) in weights.enumerated() where weight > 0 {
            for replica in 0..<(weight * Self.pointsPerWeight) {
                points.append((Self.hash(UInt64(server) << 32 | UInt64(replica)), server))
            }
        }
        points.sort { $0.hash < $1.hash }
    }

    /// The first server clockwise from `key` that `accept`s, or nil.
    func lookup(_ key: UInt64, accept: (Int) -> Bool) -> Int? {
        guard !points.isEmpty else { return nil }
        let hashed = Self.hash(key)
        var low = 0
        var high = points.count
        while low < high {
            let mid = (low + high) / 2
            if points[mid].hash < hashed { low = mid + 1 } else { high = mid }
        }
        for step in 0..<points.count {
            let server = points[(low + step) % points.count].server
            if accept(server) { return server }
        }
        return nil
    }

    /// SplitMix64 finaliser: spreads nearby inputs (consecutive IPs, replica numbers) over the ring.
    static func hash(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
