import Synchronization

/// The statistics bumped on every request (requests, responses by class), one set per event loop.
///
/// A loop only ever writes its own set, with a plain load and store (no locked instruction, no cache
/// line written by two cores); the statistics page adds the sets up. Loops are told apart by the
/// index of their worker.
final class RequestCounters: Sendable {
    private let slots: [Slot]

    /// One loop's counters, padded so that two loops' sets do not share a cache line.
    final class Slot: Sendable {
        fileprivate let requests = Atomic<Int>(0)
        fileprivate let informational = Atomic<Int>(0)
        fileprivate let success = Atomic<Int>(0)
        fileprivate let redirection = Atomic<Int>(0)
        fileprivate let clientError = Atomic<Int>(0)
        fileprivate let serverError = Atomic<Int>(0)
        private let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    }

    /// Creates the counters for `loops` event loops.
    init(loops: Int) {
        slots = (0..<max(1, loops)).map { _ in Slot() }
    }

    func countRequest(loop: Int) {
        Self.bump(slots[loop % slots.count].requests)
    }

    func countResponse(status: Int, loop: Int) {
        let slot = slots[loop % slots.count]
        switch status {
        case ..<200: Self.bump(slot.informational)
        case ..<300: Self.bump(slot.success)
        case ..<400: Self.bump(slot.redirection)
        case ..<500: Self.bump(slot.clientError)
        default: Self.bump(slot.serverError)
        }
    }

    /// Only the owning loop writes a slot, so load-then-store loses nothing and needs no lock prefix.
    private static func bump(_ counter: borrowing Atomic<Int>) {
        counter.store(counter.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
    }

    private func sum(_ field: (Slot) -> Int) -> Int {
        slots.reduce(0) { $0 + field($1) }
    }

    var requests: Int { sum { $0.requests.load(ordering: .relaxed) } }
    var informational: Int { sum { $0.informational.load(ordering: .relaxed) } }
    var success: Int { sum { $0.success.load(ordering: .relaxed) } }
    var redirection: Int { sum { $0.redirection.load(ordering: .relaxed) } }
    var clientError: Int { sum { $0.clientError.load(ordering: .relaxed) } }
    var serverError: Int { sum { $0.serverError.load(ordering: .relaxed) } }
}
