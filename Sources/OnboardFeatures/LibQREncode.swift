import Foundation
import OnboardTUI
import Synchronization

/// QR codes from libqrencode (Debian's libqrencode4), loaded when first needed with `dlopen`:
/// onboard builds, links and runs without it (a link is then shown as text only), and the
/// self-contained release binary stays self-contained.
package enum LibQREncode {
    /// `QRcode` from qrencode.h: `{ int version; int width; unsigned char *data; }`.
    private struct QRcode {
        var version: Int32
        var width: Int32
        var data: UnsafeMutablePointer<UInt8>?
    }

    private typealias EncodeString = @convention(c) (UnsafePointer<CChar>, Int32, Int32, Int32, Int32) -> UnsafeMutableRawPointer?
    private typealias Free = @convention(c) (UnsafeMutableRawPointer?) -> Void

    private struct Library: @unchecked Sendable {
        // @unchecked: two C function pointers, set once and only called.
        let encode: EncodeString
        let free: Free
    }

    /// The library's two functions, or nil when it is not installed.
    private static let library: Library? = {
        for name in ["libqrencode.so.4", "libqrencode.so"] {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            guard let encode = dlsym(handle, "QRcode_encodeString"), let free = dlsym(handle, "QRcode_free") else { continue }
            return Library(encode: unsafeBitCast(encode, to: EncodeString.self), free: unsafeBitCast(free, to: Free.self))
        }
        return nil
    }()

    /// Whether codes can be made on this system.
    package static var isAvailable: Bool { library != nil }

    private static let cache = Mutex<[String: QRMatrix]>([:])

    /// The QR code of `text` (byte mode, error correction M), or nil without the library.
    package static func encode(_ text: String) -> QRMatrix? {
        if let known = cache.withLock({ $0[text] }) { return known }
        guard let library, !text.isEmpty else { return nil }
        // QR_ECLEVEL_M = 1, QR_MODE_8 = 2, case sensitive; version 0 picks the smallest.
        guard let raw = text.withCString({ library.encode($0, 0, 1, 2, 1) }) else { return nil }
        defer { library.free(raw) }
        let code = raw.assumingMemoryBound(to: QRcode.self).pointee
        let size = Int(code.width)
        guard size > 0, let data = code.data else { return nil }
        let modules = (0..<(size * size)).map { data[$0] & 1 == 1 }
        guard let matrix = QRMatrix(size: size, modules: modules) else { return nil }
        cache.withLock { $0[text] = matrix }
        return matrix
    }

    /// The encoder the front ends are given.
    package static let encoder = QRCodeEncoder { encode($0) }
}
