import NIOCore
import NIOEmbedded

@testable import Balancer

/// A client connection's full handler chain on an EmbeddedChannel: bytes in, bytes out, no sockets.
///
/// Its backend points at a port nothing listens on; tests using it only exercise requests the
/// balancer answers itself (rejections, stats, timeouts).
struct EmbeddedClientPipeline {
    let channel: EmbeddedChannel
    let runtime: BalancerRuntime

    init(mutate: (inout BalancerConfiguration) -> Void = { _ in }) throws {
        var options = QuickModeOptions(listen: "127.0.0.1:0", backends: ["127.0.0.1:9"])
        options.noChecks = true
        options.statsPath = "/stats"
        var configuration = try options.makeConfiguration()
        mutate(&configuration)
        let addresses = try configuration.resolveServerAddresses(source: "test")
        let snapshot = RuntimeSnapshot.build(configuration, resolvedAddresses: addresses, previous: nil)
        channel = EmbeddedChannel()
        runtime = BalancerRuntime(snapshot: snapshot, eventLoops: [channel.embeddedEventLoop], accessLog: nil)
        try ClientPipeline.configure(channel, bind: configuration.frontends[0].bind, runtime: runtime)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
    }

    /// Sends raw request bytes; a closed channel is fine (the balancer may close after an error).
    func send(_ text: String) {
        _ = try? channel.writeInbound(ByteBuffer(string: text))
    }

    /// Everything the balancer wrote so far, as text.
    func output() throws -> String {
        var text = ""
        while let data = try channel.readOutbound(as: IOData.self) {
            switch data {
            case .byteBuffer(let buffer): text += String(buffer: buffer)
            case .fileRegion: break
            }
        }
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
            text += String(buffer: buffer)
        }
        return text
    }

    var isOpen: Bool { channel.isActive }
}
