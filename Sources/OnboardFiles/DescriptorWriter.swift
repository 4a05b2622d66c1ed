import Foundation

/// Writes text to a file descriptor with `write(2)`, whole, retrying short writes and EINTR.
///
/// Foundation's `FileHandle.write(_:)` traps when the other end has gone (a closed pipe:
/// `onboard audit | head -1`, or a parent that stopped reading a server's log): output that
/// cannot be delivered is dropped instead, and the program goes on to its own end.
package enum DescriptorWriter {
    /// Returns false when the descriptor no longer takes bytes.
    @discardableResult
    package static func write(_ text: String, to descriptor: Int32) -> Bool {
        write(Data(text.utf8), to: descriptor)
    }

    /// Writes `data` whole; false (with `errno` set) when the descriptor no longer takes bytes.
    @discardableResult
    package static func write(_ data: Data, to descriptor: Int32) -> Bool {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    return false
                }
                offset += count
            }
            return true
        }
    }
}
