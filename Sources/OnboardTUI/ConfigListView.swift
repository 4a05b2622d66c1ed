import OnboardCore

/// Step 1: the filter line, a table of auth configs with the highlighted row, and a count.
enum ConfigListView {
    /// Locked to an invite's config: only the wait for it, or why it cannot be had; never the
    /// project's other configs.
    static func drawLocked(_ list: Wizard.ConfigList, spinner: String, into canvas: inout Canvas, area: Rect, glyphs: Glyphs) {
        _ = LoadableView.value(
            list.configs.isFailed ? list.configs : .loading, loading: "Opening the auth config of your invite",
            failed: "Could not open the auth config of your invite", spinner: spinner, into: &canvas, x: area.x, y: area.y, width: area.width,
            glyphs: glyphs)
    }

    static func draw(_ list: Wizard.ConfigList, spinner: String, into canvas: inout Canvas, area: Rect, glyphs: Glyphs) {
        var y = area.y
        let labelWidth = canvas.put("Filter ", x: area.x, y: y, role: .label)
        let filterX = area.x + labelWidth
        if list.filter.text.isEmpty {
            canvas.put("type to narrow by name, toolkit, scheme or id", x: filterX, y: y, role: .placeholder)
            canvas.cursor = (filterX, y)
        } else {
            canvas.put(list.filter.text, x: filterX, y: y, role: .inputFocused, limit: area.width - labelWidth)
            let before = String(list.filter.text.prefix(list.filter.cursor))
            canvas.cursor = (min(area.x + area.width - 1, filterX + DisplayWidth.of(before)), y)
        }
        y += 2
        guard
            LoadableView.value(
                list.configs, loading: "Loading auth configs", failed: "Could not load auth configs", spinner: spinner,
                into: &canvas, x: area.x, y: y, width: area.width, glyphs: glyphs
            ) != nil
        else { return }
        if let notice = list.notice {
            canvas.put(notice, x: area.x, y: y - 1, role: .warning, limit: area.width)
        }
        let matching = list.visibleCount
        let columns = Columns(width: area.width)
        canvas.put(columns.line(["NAME", "TOOLKIT", "SCHEME", "STATUS", "ACCOUNTS"]), x: area.x + 2, y: y, role: .muted)
        y += 1
        let tableHeight = area.maxY - y - 2
        // Keys named in prose come from the key map, as the key bar's do.
        let keys = list.keyMap(locked: false)  // a locked list is drawn by drawLocked
        let reload = keys.key(.configList(.reload)) ?? ""
        if matching == 0 {
            let total = list.configs.value?.count ?? 0
            let clear = keys.key(.configList(.clearFilter), startingSentence: true) ?? ""
            let message =
                total == 0
                ? "This project has no enabled auth configs. Create one in the dashboard, then press \(reload)."
                : "No auth config matches \u{201C}\(list.filter.text)\u{201D}. \(clear) clears the filter."
            WizardView.wrap(message, into: &canvas, x: area.x, y: y, width: area.width, maxRows: 3, role: .muted)
        }
        let first = max(0, min(list.highlighted - tableHeight + 1, matching - tableHeight))
        for (offset, config) in list.visibleRows(first..<first + max(0, tableHeight)).enumerated() {
            let index = first + offset
            let isSelected = index == list.highlighted
            let marker = isSelected ? glyphs.pointer : " "
            let cells = [
                config.name, config.toolkitSlug, config.authScheme?.rawValue ?? "?", config.isEnabled ? "enabled" : "disabled",
                String(config.connectionCount),
            ]
            canvas.put(marker, x: area.x, y: y, role: .accent)
            let role: StyleRole = isSelected ? .selected : (config.isEnabled ? .text : .muted)
            canvas.put(columns.line(cells, ellipsis: glyphs.ellipsis), x: area.x + 2, y: y, role: role, limit: area.width - 2)
            if isSelected { canvas.paint(role: .selected, x: area.x + 2, y: y, width: area.width - 2) }
            y += 1
        }
        let footerY = area.maxY - 1
        let loaded = list.configs.value?.count ?? 0
        var footer = "\(matching) of \(loaded) auth configs"
        if list.hasMore { footer += " loaded, \(list.totalItems.map(String.init) ?? "more") in all" }
        if list.showDisabled { footer += " (disabled shown)" }
        if list.pendingCursor != nil { footer += " \(spinner) loading more" }
        canvas.put(footer, x: area.x, y: footerY, role: .muted)
        if let failure = list.pageFailure {
            canvas.put(
                " \(glyphs.dot) more did not load: \(failure.message) (\(reload) retries)", x: area.x + DisplayWidth.of(footer), y: footerY, role: .error)
        }
    }

    /// Fixed column layout for the table: name gets what the others leave.
    struct Columns {
        let widths: [Int]
        init(width: Int) {
            let toolkit = 14, scheme = 14, status = 8, accounts = 8
            let name = max(10, width - 2 - toolkit - scheme - status - accounts - 4)
            widths = [name, toolkit, scheme, status, accounts]
        }

        func line(_ cells: [String], ellipsis: String = "…") -> String {
            zip(cells, widths).map { cell, width in
                let clipped = DisplayWidth.truncate(TerminalText.sanitized(cell), to: width, ellipsis: ellipsis)
                return clipped + String(repeating: " ", count: max(0, width - DisplayWidth.of(clipped)))
            }.joined(separator: " ")
        }
    }
}
