import ComposioAPI
import Foundation
import Hummingbird

/// Cursor paging as the service does it: `limit` and an opaque `cursor` (base64 of the offset).
struct Paging: Sendable {
    var offset: Int
    var limit: Int

    init(limit limitText: Substring?, cursor: Substring?, defaultLimit: Int, maximumLimit: Int) throws {
        if let text = limitText {
            guard let value = Int(text), value > 0 else {
                throw SandboxError.badRequest("limit must be a positive whole number", slug: "Request_InvalidLimit")
            }
            limit = min(value, maximumLimit)
        } else {
            limit = defaultLimit
        }
        if let cursor, !cursor.isEmpty {
            guard let offset = Self.offset(fromCursor: String(cursor)) else {
                throw SandboxError.badRequest(
                    "cursor is not one this server issued", slug: "Request_InvalidCursor", fix: "Pass next_cursor from the previous page unchanged.")
            }
            self.offset = offset
        } else {
            offset = 0
        }
    }

    /// The list envelope for `items` taken at this offset from `total`.
    func page<Item>(_ items: [Item], total: Int) -> WirePage<Item> {
        let next = offset + items.count < total && !items.isEmpty ? Self.cursor(offset: offset + items.count) : nil
        return WirePage(
            items: items,
            nextCursor: next,
            totalPages: max(1, (total + limit - 1) / limit),
            currentPage: offset / limit + 1,
            totalItems: total
        )
    }

    static func cursor(offset: Int) -> String {
        Data("offset:\(offset)".utf8).base64EncodedString()
    }

    static func offset(fromCursor cursor: String) -> Int? {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8),
            text.hasPrefix("offset:"), let value = Int(text.dropFirst("offset:".count)), value >= 0
        else { return nil }
        return value
    }
}
