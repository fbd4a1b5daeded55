import Testing

@testable import Balancer

@Suite struct ServerSelectionTests {
    typealias Candidate = ServerSelection.Candidate

    static func servers(_ weights: [Int], backup: Set<Int> = [], down: Set<Int> = [], active: [Int]? = nil,
                        maxconn: [Int?]? = nil, excluded: Set<Int> = []) -> [Candidate] {
        weights.indices.map { index in
            Candidate(
                weight: weights[index], backup: backup.contains(index), available: !down.contains(index),
                activeRequests: active?[index] ?? 0, maxConnections: maxconn?[index] ?? nil,
                excluded: excluded.contains(index))
        }
    }

    static func counts(_ selection: inout ServerSelection, _ candidates: [Candidate], picks: Int) -> [Int] {
        var counts = Array(repeating: 0, count: candidates.count)
        for key in 0..<picks {
            if case .server(let index) = selection.pick(candidates, hashKey: UInt64(key)) { counts[index] += 1 }
        }
        return counts
    }

    @Test func roundRobinIsExact() {
        var selection = ServerSelection(algorithm: .roundRobin, weights: [1, 1, 1, 1])
        let candidates = Self.servers([1, 1, 1, 1])
        var order: [ServerSelection.Outcome] = []
        for _ in 0..<8 { order.append(selection.pick(candidates, hashKey: 0)) }
        #expect(order == [.server(0), .server(1), .server(2), .server(3), .server(0), .server(1), .server(2), .server(3)])
        #expect(Self.counts(&selection, candidates, picks: 100) == [25, 25, 25, 25])
    }

    @Test func weightedRoundRobinKeepsProportionsAndInterleaves() {
        var selection = ServerSelection(algorithm: .roundRobin, weights: [3, 1])
        let candidates = Self.servers([3, 1])
        var order: [ServerSelection.Outcome] = []
        for _ in 0..<4 { order.append(selection.pick(candidates, hashKey: 0)) }
        #expect(order == [.server(0), .server(0), .server(1), .server(0)])
        #expect(Self.counts(&selection, candidates, picks: 400) == [300, 100])
    }

    @Test func roundRobinSkipsDownServersAndUsesBackupsOnlyWhenNeeded() {
        var selection = ServerSelection(algorithm: .roundRobin, weights: [1, 1, 1])
        #expect(Self.counts(&selection, Self.servers([1, 1, 1], down: [1]), picks: 10) == [5, 0, 5])
        #expect(Self.counts(&selection, Self.servers([1, 1, 1], backup: [2]), picks: 10) == [5, 5, 0])
        #expect(Self.counts(&selection, Self.servers([1, 1, 1], backup: [2], down: [0, 1]), picks: 10) == [0, 0, 10])
        #expect(selection.pick(Self.servers([1, 1], down: [0, 1]), hashKey: 0) == .noServer)
    }

    @Test func leastConnectionsPrefersTheIdlestServer() {
        var selection = ServerSelection(algorithm: .leastConnections, weights: [1, 1, 1])
        #expect(selection.pick(Self.servers([1, 1, 1], active: [4, 1, 3]), hashKey: 0) == .server(1))
        #expect(selection.pick(Self.servers([1, 1, 1], active: [2, 5, 2]), hashKey: 0) == .server(2))
        #expect(selection.pick(Self.servers([1, 1, 1], active: [2, 5, 2]), hashKey: 0) == .server(0))
        // Weight 2 counts half: 3/2 < 2/1.
        var weighted = ServerSelection(algorithm: .leastConnections, weights: [1, 2])
        #expect(weighted.pick(Self.servers([1, 2], active: [2, 3]), hashKey: 0) == .server(1))
    }

    @Test func sourceHashIsStableAndMovesFewKeysWhenAServerGoesDown() {
        var selection = ServerSelection(algorithm: .source, weights: [1, 1, 1, 1])
        let all = Self.servers([1, 1, 1, 1])
        let before = (0..<1000).map { selection.pick(all, hashKey: UInt64($0)) }
        let again = (0..<1000).map { selection.pick(all, hashKey: UInt64($0)) }
        #expect(before == again)
        let spread = Set(before)
        #expect(spread.count == 4)
        let withoutTwo = Self.servers([1, 1, 1, 1], down: [2])
        let after = (0..<1000).map { selection.pick(withoutTwo, hashKey: UInt64($0)) }
        for (old, new) in zip(before, after) where old != .server(2) {
            #expect(old == new)
        }
        #expect(!after.contains(.server(2)))
    }

    @Test func firstFillsServersInOrderUpToMaxconn() {
        var selection = ServerSelection(algorithm: .first, weights: [1, 1, 1])
        #expect(selection.pick(Self.servers([1, 1, 1], active: [0, 0, 0], maxconn: [2, 2, 2]), hashKey: 0) == .server(0))
        #expect(selection.pick(Self.servers([1, 1, 1], active: [2, 0, 0], maxconn: [2, 2, 2]), hashKey: 0) == .server(1))
        #expect(selection.pick(Self.servers([1, 1, 1], active: [2, 2, 2], maxconn: [2, 2, 2]), hashKey: 0) == .allBusy)
    }

    @Test func redispatchAvoidsTriedServersUnlessNothingElseIsLeft() {
        var selection = ServerSelection(algorithm: .roundRobin, weights: [1, 1])
        #expect(Self.counts(&selection, Self.servers([1, 1], excluded: [0]), picks: 4) == [0, 4])
        #expect(Self.counts(&selection, Self.servers([1, 1], down: [1], excluded: [0]), picks: 2) == [2, 0])
    }
}
