/// The contract's cursor-paginated list envelope.
package struct WirePage<Item: Codable & Sendable>: Codable, Sendable {
    package var items: [Item]
    package var nextCursor: String?
    package var totalPages: Int?
    package var currentPage: Int?
    package var totalItems: Int?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
        case totalPages = "total_pages"
        case currentPage = "current_page"
        case totalItems = "total_items"
    }

    package init(items: [Item], nextCursor: String?, totalPages: Int, currentPage: Int, totalItems: Int) {
        self.items = items
        self.nextCursor = nextCursor
        self.totalPages = totalPages
        self.currentPage = currentPage
        self.totalItems = totalItems
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        // Required by the contract even when there is no next page: an explicit null.
        try container.encode(nextCursor, forKey: .nextCursor)
        try container.encode(totalPages, forKey: .totalPages)
        try container.encode(currentPage, forKey: .currentPage)
        try container.encode(totalItems, forKey: .totalItems)
    }
}
