import CZMQ
import Foundation

/// A thin owner of one libzmq socket: bind, send and receive multipart messages, poll.
/// Each socket is used by one thread at a time (the iopub socket is guarded by `Publisher`).
final class ZMQSocket: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    let name: String
    /// The largest message accepted, all frames together.
    let maxMessageBytes: Int

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// - Parameter maxMessageBytes: libzmq disconnects a peer that sends a larger frame before
    ///   reading it (`ZMQ_MAXMSGSIZE`); `receive` drops a message whose frames add up to more.
    init(context: UnsafeMutableRawPointer, type: Int32, name: String, maxMessageBytes: Int) throws {
        guard let handle = zmq_socket(context, type) else {
            throw Failure(description: "cannot create the \(name) socket: \(ZMQSocket.lastError)")
        }
        self.handle = handle
        self.name = name
        self.maxMessageBytes = maxMessageBytes
        var linger: Int32 = 1000
        zmq_setsockopt(handle, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
        var limit = Int64(maxMessageBytes)
        guard zmq_setsockopt(handle, ZMQ_MAXMSGSIZE, &limit, MemoryLayout<Int64>.size) == 0 else {
            zmq_close(handle)
            throw Failure(description: "cannot limit the \(name) socket's message size: \(ZMQSocket.lastError)")
        }
    }

    func bind(_ endpoint: String) throws {
        guard zmq_bind(handle, endpoint) == 0 else {
            throw Failure(description: "cannot bind the \(name) channel to \(endpoint): \(ZMQSocket.lastError)")
        }
    }

    func close() { zmq_close(handle) }

    static var lastError: String { String(cString: zmq_strerror(zmq_errno())) }

    /// All frames of the next message; nil when the context is shutting down; no frames at all when
    /// the message was larger than `maxMessageBytes` (its frames are read and dropped, never copied).
    func receive() -> [[UInt8]]? {
        var frames: [[UInt8]] = []
        var total = 0
        while true {
            var message = zmq_msg_t()
            zmq_msg_init(&message)
            defer { zmq_msg_close(&message) }
            var result: Int32
            repeat { result = zmq_msg_recv(&message, handle, 0) } while result < 0 && zmq_errno() == EINTR
            guard result >= 0 else { return nil }
            let size = zmq_msg_size(&message)
            total += size
            if total > maxMessageBytes {
                frames = []
            } else if size > 0, let data = zmq_msg_data(&message) {
                frames.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
            } else {
                frames.append([])
            }
            if zmq_msg_more(&message) == 0 { return frames }
        }
    }

    @discardableResult
    func send(_ frames: [[UInt8]]) -> Bool {
        for (index, frame) in frames.enumerated() {
            let flags: Int32 = index == frames.count - 1 ? 0 : ZMQ_SNDMORE
            let result = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
            if result < 0 { return false }
        }
        return true
    }

    /// Whether a message is waiting, waiting at most `milliseconds`.
    func poll(milliseconds: Int) -> Bool {
        var item = zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        let result = zmq_poll(&item, 1, milliseconds)
        return result > 0 && (item.revents & Int16(ZMQ_POLLIN)) != 0
    }
}
