import Synchronization

/// Runs one piece of work per host as child tasks, at most `limit` at a time (`--forks`,
/// `throttle`), and returns the results in host order.
enum HostFanOut {
    static func run<Result: Sendable>(
        _ hosts: [String], limit: Int, _ work: @escaping @Sendable (String) async -> Result
    ) async -> [(String, Result)] {
        if hosts.count == 1, let only = hosts.first {
            // The common single-host case skips the task group entirely.
            return [(only, await work(only))]
        }
        var results: [Int: Result] = [:]
        await withTaskGroup(of: (Int, Result).self) { group in
            var next = 0
            let width = max(1, min(limit, hosts.count))
            while next < width {
                let index = next
                group.addTask { (index, await work(hosts[index])) }
                next += 1
            }
            while let (index, result) = await group.next() {
                results[index] = result
                if next < hosts.count {
                    let upcoming = next
                    group.addTask { (upcoming, await work(hosts[upcoming])) }
                    next += 1
                }
            }
        }
        return hosts.indices.compactMap { index in results[index].map { (hosts[index], $0) } }
    }
}

/// Hands out task ids unique within the run.
final class TaskIdentifiers: Sendable {
    private let counter = Atomic<Int>(0)

    func next() -> Int {
        counter.wrappingAdd(1, ordering: .relaxed).newValue
    }
}
