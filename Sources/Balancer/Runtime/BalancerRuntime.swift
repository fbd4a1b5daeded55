import NIOCore
import Synchronization

/// The balancer's shared state: the configuration snapshot in force, the event-loop workers and
/// the fan-out of health events to them.
public final class BalancerRuntime: Sendable {
    private let current: Mutex<RuntimeSnapshot>
    /// Bumped by every reload, so connections re-read the snapshot only when it changed.
    let generation = Atomic<Int>(0)
    /// One worker per event loop.
    let workers: [ObjectIdentifier: ProxyWorker]
    /// Where request lines go, if anywhere.
    let accessLog: AccessLog?
    /// Set by SIGTERM: responses close their connections.
    let draining = Atomic<Bool>(false)
    /// Process start, wall-clock seconds.
    public let startedAt = wallClockSeconds()

    init(snapshot: RuntimeSnapshot, eventLoops: [any EventLoop], accessLog: AccessLog?) {
        self.current = Mutex(snapshot)
        var workers: [ObjectIdentifier: ProxyWorker] = [:]
        for (index, loop) in eventLoops.enumerated() {
            workers[ObjectIdentifier(loop)] = ProxyWorker(eventLoop: loop, index: index)
        }
        self.workers = workers
        self.accessLog = accessLog
    }

    /// The configuration snapshot in force.
    public var snapshot: RuntimeSnapshot {
        current.withLock { $0 }
    }

    /// Installs a new snapshot; returns the previous one.
    @discardableResult
    func install(_ snapshot: RuntimeSnapshot) -> RuntimeSnapshot {
        let previous = current.withLock { state in
            let previous = state
            state = snapshot
            return previous
        }
        generation.add(1, ordering: .releasing)
        return previous
    }

    /// The worker of `eventLoop`.
    func worker(for eventLoop: any EventLoop) -> ProxyWorker? {
        workers[ObjectIdentifier(eventLoop)]
    }

    /// A server was marked DOWN: every loop cuts its connections to it so that requests waiting on
    /// it are retried elsewhere now instead of hanging until `timeout server`.
    func serverWentDown(_ server: ServerRuntime) {
        for worker in workers.values {
            worker.eventLoop.execute {
                worker.pool.value.abortAll(to: server)
            }
        }
    }

    /// A server came back UP: queued requests of its backend may proceed.
    func serverCameUp(_ server: ServerRuntime) {
        snapshot.backends[server.backendName]?.dispatchQueued()
    }

    /// Records a failed upstream attempt against the server's passive health.
    func recordPassiveFailure(_ server: ServerRuntime, failure: UpstreamFailure) {
        if server.recordPassiveFailure(failure.summary, now: .now()) {
            serverWentDown(server)
        }
    }
}
