import NIOCore
import NIOHTTP1
import NIOPosix

/// A response as the tests see it.
struct TestResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: String

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The backend name nginx put in the body (`b2 /path` → `b2`).
    var backendName: String { String(body.split(separator: " ").first ?? "") }
}

/// A keep-alive HTTP/1.1 client over one connection; requests are sent one after another.
final class HTTPTestClient: Sendable {
    let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    static func connect(port: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws
        -> HTTPTestClient
    {
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector())
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return HTTPTestClient(channel: channel)
    }

    func request(
        _ method: HTTPMethod = .GET, _ path: String, headers: [(String, String)] = [], body: String? = nil
    ) async throws -> TestResponse {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "host", value: "localhost")
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        if let body { head.headers.add(name: "content-length", value: String(body.utf8.count)) }
        let promise = channel.eventLoop.makePromise(of: TestResponse.self)
        let envelope = RequestEnvelope(head: head, body: body, promise: promise)
        channel.writeAndFlush(envelope, promise: nil)
        return try await promise.futureResult.get()
    }

    var isActive: Bool { channel.isActive }

    func close() async {
        try? await channel.close()
    }
}

struct RequestEnvelope: Sendable {
    let head: HTTPRequestHead
    let body: String?
    let promise: EventLoopPromise<TestResponse>
}

struct ConnectionClosedBeforeResponse: Error {}

/// Sends requests and matches responses to them in order.
private final class ResponseCollector: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = RequestEnvelope
    typealias OutboundOut = HTTPClientRequestPart

    private var waiting: [EventLoopPromise<TestResponse>] = []
    private var current: TestResponse?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let envelope = Self.unwrapOutboundIn(data)
        waiting.append(envelope.promise)
        context.write(Self.wrapOutboundOut(.head(envelope.head)), promise: nil)
        if let body = envelope.body {
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        }
        context.write(Self.wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            current = TestResponse(status: Int(head.status.code), headers: head.headers.map { ($0.name, $0.value) }, body: "")
        case .body(let buffer):
            current?.body += String(buffer: buffer)
        case .end:
            if let response = current, !waiting.isEmpty {
                waiting.removeFirst().succeed(response)
            }
            current = nil
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll()
        context.close(promise: nil)
    }

    private func failAll() {
        let pending = waiting
        waiting = []
        for promise in pending { promise.fail(ConnectionClosedBeforeResponse()) }
    }
}
