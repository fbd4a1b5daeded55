import Foundation

/// A dedicated thread that owns one non-thread-safe `Context` (a libssh session and what hangs off
/// it) and runs jobs against it one at a time, in submission order.
///
/// libssh sessions must be used from one thread at a time and their calls block, so they must stay
/// off Swift's cooperative pool (two threads on a two-core machine). Async callers suspend on a
/// continuation while the job runs here.
///
/// `@unchecked Sendable`: every mutable field is guarded by `condition`, and `context` is only
/// touched by the thread itself.
final class SessionThread<Context: AnyObject>: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [(Context) -> Void] = []
    private var stopping = false
    private let idleInterval: Double?

    /// Starts the thread. `makeContext` runs on the new thread; `onIdle` runs there whenever no job
    /// arrived for `idleInterval` seconds (keepalives); `onStop` runs there last (disconnect).
    init(
        name: String, idleInterval: Double? = nil, makeContext: @escaping @Sendable () -> Context,
        onIdle: @escaping @Sendable (Context) -> Void = { _ in },
        onStop: @escaping @Sendable (Context) -> Void = { _ in }
    ) {
        self.idleInterval = idleInterval
        let thread = Thread { [self] in
            let context = makeContext()
            while let job = nextJob(context: context, onIdle: onIdle) {
                job(context)
            }
            onStop(context)
        }
        thread.name = name
        // libssh's buffers live on the heap; the default 8 MiB stack per host is wasted with 50 forks.
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Runs `body` on the thread and returns its result. After `stop()`, returns `whenStopped`.
    func perform<T: Sendable>(
        _ body: @escaping @Sendable (Context) -> T, whenStopped: @autoclosure () -> T
    ) async -> T {
        let stopped = condition.withLock { stopping }
        if stopped { return whenStopped() }
        return await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            let accepted = condition.withLock { () -> Bool in
                if stopping { return false }
                jobs.append { context in continuation.resume(returning: body(context)) }
                condition.signal()
                return true
            }
            if !accepted { continuation.resume(returning: whenStopped()) }
        }
    }

    /// Lets queued jobs finish, then runs `onStop` and ends the thread. Does not wait.
    func stop() {
        condition.withLock {
            stopping = true
            condition.signal()
        }
    }

    /// Blocks the session thread until a job arrives (nil once stopping and drained).
    private func nextJob(context: Context, onIdle: (Context) -> Void) -> ((Context) -> Void)? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty {
            if stopping { return nil }
            if let idleInterval {
                if !condition.wait(until: Date(timeIntervalSinceNow: idleInterval)) && jobs.isEmpty && !stopping {
                    // Run the idle work unlocked so that submitters are never blocked behind the network.
                    condition.unlock()
                    onIdle(context)
                    condition.lock()
                }
            } else {
                condition.wait()
            }
        }
        return jobs.removeFirst()
    }
}
