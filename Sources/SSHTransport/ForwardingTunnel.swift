import CLibSSH
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A jump-host path: a session to the bastion, a `direct-tcpip` channel from it to the target, and
/// a socketpair whose one end the target's session uses as its socket. A thread of its own owns the
/// bastion session (libssh sessions are single-threaded) and copies bytes both ways.
final class ForwardingTunnel: Sendable {
    /// The end handed to the target's libssh session, which closes it on disconnect.
    let sessionSocket: Int32
    private let stopRequested = Atomic<Bool>(false)

    private init(sessionSocket: Int32) {
        self.sessionSocket = sessionSocket
    }

    /// Connects to `hop` (itself through `earlierHops`) and opens a channel to `target`.
    static func open(
        to target: SSHEndpoint, via hop: SSHEndpoint, earlierHops: [SSHEndpoint], options: SSHConnectionOptions
    ) throws(SessionFailure) -> ForwardingTunnel {
        var sockets: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &sockets) == 0 else {
            throw SessionFailure(
                .io, "cannot create a socket pair for the jump host: \(String(cString: strerror(errno)))")
        }
        let tunnel = ForwardingTunnel(sessionSocket: sockets[0])
        let pumpSocket = sockets[1]
        let outcome = SetupOutcome()
        // The bastion gets the same keys and host key checking, but never the target's password.
        var hopOptions = options
        hopOptions.password = nil
        let ready = DispatchSemaphore(value: 0)
        let thread = Thread { [hopOptions] in
            var channel: OpaquePointer?
            var bastion: LibSSHSession?
            do throws(SessionFailure) {
                let session = try LibSSHSession.open(hop, through: earlierHops, options: hopOptions)
                bastion = session
                channel = try session.openForward(to: target, via: hop)
                outcome.result.withLock { $0 = .success(()) }
            } catch {
                outcome.result.withLock { $0 = .failure(error) }
            }
            ready.signal()
            if let channel, let bastion {
                TunnelPump(bastion: bastion, channel: channel, socket: pumpSocket, tunnel: tunnel).run()
                ssh_channel_close(channel)
                ssh_channel_free(channel)
            }
            close(pumpSocket)
            // `bastion` goes out of scope here, on its own thread, which disconnects it.
            _ = bastion
        }
        thread.name = "ssh-jump:\(hop)"
        thread.stackSize = 1 << 20
        thread.start()
        ready.wait()
        switch outcome.result.withLock({ $0 }) {
        case .success?:
            return tunnel
        case .failure(let failure)?:
            close(sockets[0])
            throw failure
        case nil:
            close(sockets[0])
            throw SessionFailure(.io, "the jump host thread ended without a result")
        }
    }

    /// Asks the pump thread to stop and disconnect from the bastion.
    func stop() {
        stopRequested.store(true, ordering: .relaxed)
    }

    var isStopping: Bool { stopRequested.load(ordering: .relaxed) }
}

/// Hands the bastion thread's setup result to the thread waiting for it.
private final class SetupOutcome: Sendable {
    let result = Mutex<Result<Void, SessionFailure>?>(nil)
}

extension LibSSHSession {
    /// Opens a `direct-tcpip` channel from this (bastion) session to `target`.
    fileprivate func openForward(to target: SSHEndpoint, via hop: SSHEndpoint) throws(SessionFailure) -> OpaquePointer {
        guard let channel = ssh_channel_new(handle) else {
            throw SessionFailure(.unreachable, "cannot create a channel on jump host \(hop): \(libsshError(handle))")
        }
        if ssh_channel_open_forward(channel, target.host, Int32(target.port), "127.0.0.1", 22) != SSH_OK {
            let message = libsshError(handle)
            ssh_channel_free(channel)
            throw SessionFailure(
                .unreachable, "jump host \(hop) cannot reach \(target.host) port \(target.port): \(message)")
        }
        return channel
    }
}

/// Copies bytes between the socketpair and the channel until either side ends or the tunnel closes.
private struct TunnelPump {
    let bastion: LibSSHSession
    let channel: OpaquePointer
    let socket: Int32
    let tunnel: ForwardingTunnel

    func run() {
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
        var toChannel = Data()
        var toSocket = Data()
        var socketEnded = false
        var channelEnded = false
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !tunnel.isStopping {
            var progressed = false
            // Target session → bastion channel.
            if toChannel.isEmpty && !socketEnded {
                let count = buffer.withUnsafeMutableBytes { read(socket, $0.baseAddress, $0.count) }
                if count > 0 {
                    toChannel.append(contentsOf: buffer[0..<count])
                    progressed = true
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    socketEnded = true
                    ssh_channel_send_eof(channel)
                    progressed = true
                }
            }
            if !toChannel.isEmpty {
                let window = Int(ssh_channel_window_size(channel))
                if window > 0 {
                    let part = toChannel.prefix(window)
                    let written = part.withUnsafeBytes { ssh_channel_write(channel, $0.baseAddress, UInt32($0.count)) }
                    if written == SSH_ERROR { return }
                    toChannel.removeFirst(Int(written))
                    progressed = true
                }
            }
            // Bastion channel → target session.
            if toSocket.isEmpty && !channelEnded {
                let count = buffer.withUnsafeMutableBytes {
                    ssh_channel_read_nonblocking(channel, $0.baseAddress, UInt32($0.count), 0)
                }
                if count == SSH_ERROR { return }
                if count > 0 {
                    toSocket.append(contentsOf: buffer[0..<Int(count)])
                    progressed = true
                } else if ssh_channel_is_eof(channel) != 0 || ssh_channel_is_closed(channel) != 0 {
                    channelEnded = true
                    shutdown(socket, Int32(SHUT_WR))
                }
            }
            if !toSocket.isEmpty {
                let written = toSocket.withUnsafeBytes { write(socket, $0.baseAddress, $0.count) }
                if written > 0 {
                    toSocket.removeFirst(written)
                    progressed = true
                } else if written < 0 && errno != EAGAIN && errno != EINTR {
                    return
                }
            }
            if socketEnded && channelEnded { return }
            if !progressed {
                waitForEither(wantSocketWrite: !toSocket.isEmpty, wantSocketRead: toChannel.isEmpty && !socketEnded)
            }
        }
    }

    private func waitForEither(wantSocketWrite: Bool, wantSocketRead: Bool) {
        var events: Int16 = 0
        if wantSocketRead { events |= Int16(POLLIN) }
        if wantSocketWrite { events |= Int16(POLLOUT) }
        var descriptors = [
            pollfd(fd: socket, events: events, revents: 0),
            pollfd(fd: ssh_get_fd(bastion.handle), events: Int16(POLLIN), revents: 0),
        ]
        // The cap bounds how long a stop request or libssh-buffered data can wait unnoticed.
        _ = poll(&descriptors, 2, 200)
    }
}
