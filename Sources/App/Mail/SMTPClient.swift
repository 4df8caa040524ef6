import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// Sends one message to an SMTP server (RFC 5321): greeting, EHLO, STARTTLS or TLS from the start, AUTH PLAIN or
/// LOGIN, one sender and one recipient, the data, QUIT. Every reply is awaited with a timeout; any reply other than
/// the expected one ends the conversation with an `SMTPClient.Failure` that names the step and the server's words.
///
/// The server owns the message once it answers the data with 250 (RFC 5321 §4.1.1.4): `accepted` runs at that moment,
/// before QUIT, so the caller records the delivery without waiting on a goodbye that may never come.
struct SMTPClient {
    let server: AppConfig.MailServer
    let eventLoopGroup: any EventLoopGroup
    /// The name this host gives itself in EHLO.
    var heloName = "jaga-stranas"
    var timeout: TimeAmount = .seconds(30)

    struct Failure: Error, CustomStringConvertible {
        let step: String
        let detail: String

        var description: String { "\(self.step): \(self.detail)" }
    }

    /// Delivers `message` (headers and body, CRLF line ends) from `sender` to `recipient`, and runs `accepted` as
    /// soon as the server has taken it. An error of `accepted` is thrown after the conversation ends politely.
    func send(
        from sender: String, to recipient: String, message: String,
        accepted: @Sendable () async throws -> Void = {}
    ) async throws {
        let tls = try self.server.security == .none ? nil : self.tlsContext()
        let replies = SMTPReplyStream()
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: self.eventLoopGroup)
                .connectTimeout(self.timeout)
                .channelInitializer { [security = self.server.security, host = self.server.host] channel in
                    channel.eventLoop.makeCompletedFuture {
                        if security == .tls, let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(host)))
                        }
                        try channel.pipeline.syncOperations.addHandler(SMTPReplyHandler(stream: replies))
                    }
                }
                .connect(host: self.server.host, port: self.server.port).get()
        } catch {
            throw Failure(step: "connect to \(self.server.host):\(self.server.port)", detail: "\(error)")
        }
        let conversation = Conversation(channel: channel, replies: replies, timeout: self.timeout)
        do {
            try await conversation.expect(220, step: "greeting")
            var capabilities = try await conversation.command("EHLO \(self.heloName)", expect: 250)
            if self.server.security == .starttls {
                guard capabilities.contains(where: { $0.uppercased() == "STARTTLS" }) else {
                    throw Failure(step: "STARTTLS", detail: "the server does not offer STARTTLS")
                }
                _ = try await conversation.command("STARTTLS", expect: 220)
                guard let tls else { throw Failure(step: "STARTTLS", detail: "no TLS context") }
                let host = Self.sniName(self.server.host)
                try await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: tls, serverHostname: host), position: .first)
                }.get()
                capabilities = try await conversation.command("EHLO \(self.heloName)", expect: 250)
            }
            if let username = self.server.username, let password = self.server.password {
                try await self.authenticate(
                    username: username, password: password, capabilities: capabilities, conversation)
            }
            _ = try await conversation.command("MAIL FROM:<\(sender)>", expect: 250)
            _ = try await conversation.command("RCPT TO:<\(recipient)>", expect: 250, 251)
            _ = try await conversation.command("DATA", expect: 354)
            _ = try await conversation.command(Self.dotStuffed(message) + "\r\n.", expect: 250, step: "message")
        } catch {
            try? await channel.close().get()
            throw error
        }
        let recorded: Result<Void, any Error>
        do {
            try await accepted()
            recorded = .success(())
        } catch {
            recorded = .failure(error)
        }
        _ = try? await conversation.command("QUIT", expect: 221)
        try? await channel.close().get()
        try recorded.get()
    }

    private func authenticate(
        username: String, password: String, capabilities: [String], _ conversation: Conversation
    ) async throws {
        let mechanisms =
            capabilities.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased()
            .split(separator: " ").dropFirst().map(String.init) ?? []
        if mechanisms.contains("PLAIN") || !mechanisms.contains("LOGIN") {
            let token = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
            _ = try await conversation.command("AUTH PLAIN \(token)", expect: 235, step: "AUTH PLAIN")
        } else {
            _ = try await conversation.command("AUTH LOGIN", expect: 334)
            _ = try await conversation.command(
                Data(username.utf8).base64EncodedString(), expect: 334, step: "AUTH LOGIN")
            _ = try await conversation.command(
                Data(password.utf8).base64EncodedString(), expect: 235, step: "AUTH LOGIN")
        }
    }

    private func tlsContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let file = self.server.trustedCAFile { configuration.trustRoots = .file(file) }
        return try NIOSSLContext(configuration: configuration)
    }

    /// Server Name Indication takes a host name, never an IP address.
    private static func sniName(_ host: String) -> String? {
        AppConfig.isIPAddress(host) ? nil : host
    }

    /// A line that starts with "." gets a second one, so that it is not read as the end of the data; line ends become
    /// CRLF.
    static func dotStuffed(_ message: String) -> String {
        message.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
    }

    /// One exchange at a time over the channel.
    private struct Conversation {
        let channel: any Channel
        let replies: SMTPReplyStream
        let timeout: TimeAmount

        func expect(_ codes: Int..., step: String) async throws {
            let reply = try await self.replies.next(timeout: self.timeout, on: self.channel.eventLoop)
            guard codes.contains(reply.code) else {
                throw Failure(step: step, detail: "\(reply.code) \(reply.lines.joined(separator: " "))")
            }
        }

        /// Sends one command and returns the reply's lines (for EHLO, the capabilities).
        func command(_ line: String, expect codes: Int..., step: String? = nil) async throws -> [String] {
            try await self.channel.writeAndFlush(ByteBuffer(string: line + "\r\n")).get()
            let reply = try await self.replies.next(timeout: self.timeout, on: self.channel.eventLoop)
            guard codes.contains(reply.code) else {
                let named = step ?? String(line.prefix { $0 != " " && $0 != ":" })
                throw Failure(step: named, detail: "\(reply.code) \(reply.lines.joined(separator: " "))")
            }
            return reply.lines
        }
    }
}

/// A complete SMTP reply: its code and the text of each line.
struct SMTPReply: Sendable {
    let code: Int
    let lines: [String]
}

/// Replies as they arrive, handed to whoever waits for the next one.
final class SMTPReplyStream: Sendable {
    private struct State {
        var ready: [SMTPReply] = []
        var waiting: CheckedContinuation<SMTPReply, any Error>?
        var ended: (any Error)?
    }

    private let state = NIOLockedValueBox(State())

    func deliver(_ reply: SMTPReply) {
        let waiter: CheckedContinuation<SMTPReply, any Error>? = self.state.withLockedValue { state in
            if let waiting = state.waiting {
                state.waiting = nil
                return waiting
            }
            state.ready.append(reply)
            return nil
        }
        waiter?.resume(returning: reply)
    }

    func end(_ error: any Error) {
        let waiter: CheckedContinuation<SMTPReply, any Error>? = self.state.withLockedValue { state in
            if state.ended == nil { state.ended = error }
            defer { state.waiting = nil }
            return state.waiting
        }
        waiter?.resume(throwing: error)
    }

    func next(timeout: TimeAmount, on eventLoop: any EventLoop) async throws -> SMTPReply {
        let timer = eventLoop.scheduleTask(in: timeout) {
            self.end(SMTPClient.Failure(step: "reply", detail: "no answer from the server in time"))
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let outcome: Result<SMTPReply, any Error>? = self.state.withLockedValue { state in
                if !state.ready.isEmpty { return .success(state.ready.removeFirst()) }
                if let ended = state.ended { return .failure(ended) }
                state.waiting = continuation
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }
}

/// Reads the server's bytes into replies: "250-..." lines continue a reply, "250 ..." ends it.
final class SMTPReplyHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let stream: SMTPReplyStream
    private let pending = NIOLockedValueBox((bytes: [UInt8](), lines: [String]()))

    init(stream: SMTPReplyStream) {
        self.stream = stream
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = self.unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        // Bytes, not Characters: in a Swift String "\r\n" is one Character and never equals "\n".
        let replies: [SMTPReply] = self.pending.withLockedValue { pending in
            pending.bytes += bytes
            var complete: [SMTPReply] = []
            while let end = pending.bytes.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(pending.bytes[..<end])
                pending.bytes.removeSubrange(...end)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                let text = String(decoding: line, as: UTF8.self)
                guard text.count >= 3, let code = Int(text.prefix(3)) else { continue }
                let rest = text.dropFirst(3)
                pending.lines.append(String(rest.dropFirst()))
                if rest.first != "-" {
                    complete.append(SMTPReply(code: code, lines: pending.lines))
                    pending.lines = []
                }
            }
            return complete
        }
        replies.forEach(self.stream.deliver)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.stream.end(SMTPClient.Failure(step: "connection", detail: "the server closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.stream.end(SMTPClient.Failure(step: "connection", detail: "\(error)"))
        context.close(promise: nil)
    }
}
