import NIOCore
import NIOPosix

/// Outcome of a load run.
struct LoadResult: Sendable {
    var succeeded = 0
    /// Requests without a response (connection closed or refused) plus non-2xx responses.
    var failed = 0
    var statuses: [Int: Int] = [:]
    var perBackend: [String: Int] = [:]
    var failures: [String] = []

    mutating func merge(_ other: LoadResult) {
        succeeded += other.succeeded
        failed += other.failed
        statuses.merge(other.statuses, uniquingKeysWith: +)
        perBackend.merge(other.perBackend, uniquingKeysWith: +)
        failures += other.failures.prefix(5)
    }
}

/// Keeps `connections` keep-alive clients busy with GETs until `duration` passes or `stop` is set.
enum LoadGenerator {
    static func run(port: Int, connections: Int, duration: Duration, path: String = "/") async -> LoadResult {
        let deadline = ContinuousClock.now + duration
        return await withTaskGroup(of: LoadResult.self) { group in
            for _ in 0..<connections {
                group.addTask { await runClient(port: port, until: deadline, path: path) }
            }
            var total = LoadResult()
            for await result in group { total.merge(result) }
            return total
        }
    }

    private static func runClient(port: Int, until deadline: ContinuousClock.Instant, path: String) async -> LoadResult {
        var result = LoadResult()
        var client: HTTPTestClient?
        while ContinuousClock.now < deadline {
            do {
                if client == nil || client?.isActive == false {
                    client = try await HTTPTestClient.connect(port: port)
                }
                guard let connection = client else { continue }
                let response = try await connection.request(.GET, path)
                result.statuses[response.status, default: 0] += 1
                if (200..<300).contains(response.status) {
                    result.succeeded += 1
                    result.perBackend[response.backendName, default: 0] += 1
                } else {
                    result.failed += 1
                    result.failures.append("status \(response.status): \(response.body)")
                }
            } catch {
                result.failed += 1
                result.failures.append("\(error)")
                await client?.close()
                client = nil
            }
        }
        await client?.close()
        return result
    }
}
