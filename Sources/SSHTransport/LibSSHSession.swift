import CLibSSH
import Foundation
import ModuleAPI

/// One connected, authenticated libssh session. Blocking, and confined to the thread that made it.
final class LibSSHSession {
    let handle: OpaquePointer
    let endpoint: SSHEndpoint
    /// The bastion path this session's socket runs over; kept alive as long as the session.
    private let tunnel: ForwardingTunnel?
    /// Opened on the first transfer and reused for the session's life.
    var sftp: sftp_session?

    private init(handle: OpaquePointer, endpoint: SSHEndpoint, tunnel: ForwardingTunnel?) {
        self.handle = handle
        self.endpoint = endpoint
        self.tunnel = tunnel
    }

    deinit {
        if let sftp { sftp_free(sftp) }
        ssh_disconnect(handle)
        ssh_free(handle)
        tunnel?.stop()
    }

    /// Whether the TCP connection is still up as far as libssh knows.
    var isConnected: Bool { ssh_is_connected(handle) != 0 }

    /// Connects to `endpoint` (through `jumpHosts`, first hop first), verifies its host key and logs in.
    static func open(
        _ endpoint: SSHEndpoint, through jumpHosts: [SSHEndpoint], options: SSHConnectionOptions
    ) throws(SessionFailure) -> LibSSHSession {
        var tunnel: ForwardingTunnel?
        if let lastHop = jumpHosts.last {
            tunnel = try ForwardingTunnel.open(
                to: endpoint, via: lastHop, earlierHops: Array(jumpHosts.dropLast()), options: options)
        }
        guard let handle = ssh_new() else {
            tunnel?.stop()
            throw SessionFailure(.io, "libssh could not allocate a session")
        }
        // From here on the session object owns the handle and the tunnel, and frees them on failure.
        let session = LibSSHSession(handle: handle, endpoint: endpoint, tunnel: tunnel)
        try session.configure(options: options)
        if ssh_connect(handle) != SSH_OK {
            let hop = jumpHosts.isEmpty ? "" : " through \(jumpHosts.map(\.description).joined(separator: ","))"
            throw SessionFailure(
                .unreachable, "cannot connect to \(endpoint.host) port \(endpoint.port)\(hop): \(libsshError(handle))")
        }
        try session.verifyHostKey(options: options)
        try session.authenticate(options: options)
        return session
    }

    private func configure(options: SSHConnectionOptions) throws(SessionFailure) {
        var port = UInt32(endpoint.port)
        // Never read ~/.ssh/config or /etc/ssh/ssh_config: inventory variables alone decide, as in Ansible.
        var processConfig = false
        var noDelay: Int32 = 1
        var timeout = Int(options.connectTimeout.rounded(.up))
        var status = ssh_options_set(handle, SSH_OPTIONS_HOST, endpoint.host)
        status |= ssh_options_set(handle, SSH_OPTIONS_PORT, &port)
        status |= ssh_options_set(handle, SSH_OPTIONS_PROCESS_CONFIG, &processConfig)
        // Nagle plus delayed ACK costs ~35 ms per SFTP round trip; see shared/facts/swift-deps.md.
        status |= ssh_options_set(handle, SSH_OPTIONS_NODELAY, &noDelay)
        status |= ssh_options_set(handle, SSH_OPTIONS_TIMEOUT, &timeout)
        status |= ssh_options_set(handle, SSH_OPTIONS_KNOWNHOSTS, options.resolvedKnownHostsFile)
        status |= ssh_options_set(handle, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null")
        if let user = endpoint.user {
            status |= ssh_options_set(handle, SSH_OPTIONS_USER, user)
        }
        if let agentSocket = options.agentSocket {
            status |= ssh_options_set(handle, SSH_OPTIONS_IDENTITY_AGENT, expandingTilde(agentSocket))
        }
        if var socket = tunnel?.sessionSocket {
            status |= ssh_options_set(handle, SSH_OPTIONS_FD, &socket)
        }
        if status != SSH_OK {
            throw SessionFailure(.io, "invalid SSH options for \(endpoint): \(libsshError(handle))")
        }
    }

    /// Opens an exec/session channel. A failure here means nothing ran, so it is safe to retry.
    func openChannel() throws(SessionFailure) -> OpaquePointer {
        guard let channel = ssh_channel_new(handle) else {
            throw SessionFailure(.disconnected, "cannot create a channel: \(libsshError(handle))", safeToRetry: true)
        }
        if ssh_channel_open_session(channel) != SSH_OK {
            let message = libsshError(handle)
            ssh_channel_free(channel)
            throw SessionFailure(.disconnected, "cannot open a channel: \(message)", safeToRetry: true)
        }
        return channel
    }

    /// Sends an OpenSSH keepalive request so that idle NAT state survives and dead peers surface.
    func sendKeepalive() {
        if isConnected { _ = ssh_send_keepalive(handle) }
    }
}
