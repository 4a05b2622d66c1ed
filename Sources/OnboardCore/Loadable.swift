/// A value that is fetched from the service: not asked for yet, on its way, here, or failed.
package enum Loadable<Value: Equatable & Sendable>: Equatable, Sendable {
    case idle
    case loading
    case loaded(Value)
    case failed(ServiceFailure)

    /// The value, when loaded.
    package var value: Value? {
        if case .loaded(let value) = self { return value }
        return nil
    }
}
