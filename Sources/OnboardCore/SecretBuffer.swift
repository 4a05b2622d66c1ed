/// The bytes a masked input holds while a person types: one allocation that is overwritten with
/// zeros when the field is cleared, when it grows (the old allocation), when a character is
/// deleted (the freed bytes) and when the last copy is released.
///
/// Copy-on-write: ``SecretInput`` is a value inside the wizard's state, so a copy that is
/// edited gets its own buffer first and the two never share a write.
final class SecretBuffer: @unchecked Sendable {
    // @unchecked: mutated only through a reference that isKnownUniquelyReferenced vouched for.
    private var storage: UnsafeMutableBufferPointer<UInt8>
    private(set) var count: Int

    init(_ bytes: some Collection<UInt8> = []) {
        storage = .allocate(capacity: max(64, bytes.count))
        storage.initialize(repeating: 0)
        count = 0
        append(bytes)
    }

    deinit {
        storage.update(repeating: 0)
        storage.deallocate()
    }

    /// The bytes as they are now.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: storage[0..<count]) }

    /// A buffer of its own with the same bytes.
    func copy() -> SecretBuffer { SecretBuffer(bytes) }

    func append(_ more: some Collection<UInt8>) {
        if count + more.count > storage.count {
            let grown = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(storage.count * 2, count + more.count))
            grown.initialize(repeating: 0)
            _ = grown.update(fromContentsOf: storage[0..<count])
            storage.update(repeating: 0)
            storage.deallocate()
            storage = grown
        }
        for byte in more {
            storage[count] = byte
            count += 1
        }
    }

    /// Drops the last `n` bytes, zeroing them.
    func removeLast(_ n: Int) {
        let kept = max(0, count - n)
        for index in kept..<count { storage[index] = 0 }
        count = kept
    }

    /// Zeroes everything.
    func clear() {
        storage.update(repeating: 0)
        count = 0
    }
}
