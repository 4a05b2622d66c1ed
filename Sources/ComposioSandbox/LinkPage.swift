import Foundation
import Hummingbird
import OnboardCore

/// The hosted connect page, for every scheme: server-rendered HTML with a small stylesheet that
/// reads on a phone and at 200% zoom, no scripts, every dynamic string escaped, labels tied to
/// their inputs, each error beside its field, and a CSRF token in the form. A secret is never
/// written into the page, not even after a validation error.
enum LinkPage {
    /// One input of the form.
    struct Input {
        var field: SeedCatalog.Field
        /// What the input shows: a default or a value from `connection_data` (never a secret).
        var value: String
        /// A secret the link's creator already supplied: the person may leave it blank.
        var provided: Bool
        var error: String?
    }

    static func form(
        for record: ConnectedAccountRecord, inputs: [Input], csrf: String, now: Date, summary: String? = nil, notice: String? = nil
    ) -> Response {
        let toolkit = toolkitName(record)
        let minutes = max(1, Int(((record.expiresAt ?? now).timeIntervalSince(now) / 60).rounded(.up)))
        var body = """
            <h1>Connect \(escape(toolkit))</h1>
            <p class="lead">For user <strong>\(escape(record.userId))</strong>. This link works once and expires in about \(minutes) minute\(minutes == 1 ? "" : "s").</p>

            """
        if let summary { body += "<p class=\"summary\" role=\"alert\">\(escape(summary))</p>\n" }
        if let notice { body += "<p class=\"notice\" role=\"status\">\(escape(notice))</p>\n" }
        body += "<form method=\"post\" novalidate>\n<input type=\"hidden\" name=\"csrf\" value=\"\(escape(csrf))\">\n"
        for (index, input) in inputs.enumerated() {
            let field = input.field
            let id = "f\(index)"
            let described = ["h\(index)"] + (input.error == nil ? [] : ["e\(index)"])
            let marker = field.required && !input.provided ? " <span class=\"required\">(required)</span>" : ""
            body += "<div class=\"field\(input.error == nil ? "" : " invalid")\">\n"
            body += "<label for=\"\(id)\">\(escape(field.displayName))\(marker)</label>\n"
            let help = field.description + (input.provided ? " Already provided; leave blank to keep it." : "")
            body += "<p class=\"help\" id=\"h\(index)\">\(escape(help))</p>\n"
            body += "<input id=\"\(id)\" name=\"\(escape(field.name))\" type=\"\(field.isSecret ? "password" : "text")\""
            body += field.isSecret ? "" : " value=\"\(escape(input.value))\""
            body += " autocomplete=\"off\" autocapitalize=\"off\" spellcheck=\"false\" aria-describedby=\"\(described.joined(separator: " "))\""
            if field.required && !input.provided { body += " aria-required=\"true\"" }
            if input.error != nil { body += " aria-invalid=\"true\"" }
            body += ">\n"
            if let error = input.error { body += "<p class=\"error\" id=\"e\(index)\">\(escape(error))</p>\n" }
            body += "</div>\n"
        }
        body += """
            <div class="actions">
            <button type="submit" name="decision" value="approve" class="primary">Connect</button>
            <button type="submit" name="decision" value="deny" class="secondary">Cancel</button>
            </div>
            <p class="small">Stuck? <button type="submit" name="decision" value="help" class="link">Ask for help</button>: whoever sent you this link is told (nothing you typed goes with it).</p>
            </form>
            <p class="small">What you enter goes to the service that sent you this link. This page keeps nothing.</p>

            """
        return page(title: "Connect \(toolkit)", body: body, status: summary == nil ? .ok : .badRequest)
    }

    static func done(_ record: ConnectedAccountRecord) -> Response {
        let toolkit = toolkitName(record)
        return page(
            title: "Connected",
            body: """
                <h1 class="ok">Connected</h1>
                <p class="lead">\(escape(toolkit)) is connected for user <strong>\(escape(record.userId))</strong> (account <code>\(escape(record.id))</code>).</p>
                <p>You can close this page.</p>

                """, status: .ok)
    }

    /// The outcome, sending the person on to the caller's `callback_url` (a refresh, not a
    /// redirect of the form's post), with a link for browsers that do not follow it.
    static func onward(to target: String, connected: Bool) -> Response {
        let title = connected ? "Connected" : "Not connected"
        return page(
            title: title,
            body: """
                <h1\(connected ? " class=\"ok\"" : "")>\(title)</h1>
                <p class="lead">Taking you back to the app\u{2026}</p>
                <p><a href="\(escape(target))">Continue</a></p>

                """, status: .ok, head: "<meta http-equiv=\"refresh\" content=\"0;url=\(escape(target))\">\n")
    }

    /// Why the link cannot be used, in words, with the right status.
    static func message(_ title: String, _ text: String, status: HTTPResponse.Status) -> Response {
        page(title: title, body: "<h1>\(escape(title))</h1>\n<p class=\"lead\">\(escape(text))</p>\n", status: status)
    }

    static func toolkitName(_ record: ConnectedAccountRecord) -> String {
        SeedCatalog.toolkit(slug: record.toolkitSlug)?.name ?? record.toolkitSlug
    }

    /// Readable at any width (no fixed sizes; rem units follow zoom), a focus ring that shows on
    /// every control, and errors in text as well as colour.
    static let stylesheet = """
        *{box-sizing:border-box}
        body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1f;background:#f4f4f6}
        main{max-width:34rem;margin:0 auto;padding:1.5rem 1rem 3rem}
        h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 .75rem}
        h1.ok{color:#116b2f}
        .lead{margin:0 0 1.25rem}
        form{background:#fff;border:1px solid #d6d6de;border-radius:.75rem;padding:1.25rem}
        .field{margin:0 0 1.25rem}
        label{display:block;font-weight:600;margin:0 0 .25rem}
        .required{font-weight:400;color:#55555f}
        .help{margin:0 0 .4rem;color:#4a4a55;font-size:.9rem}
        input[type=text],input[type=password]{width:100%;font:inherit;padding:.7rem .75rem;border:1px solid #8a8a96;border-radius:.5rem;background:#fff;color:inherit}
        .invalid input{border:2px solid #b3261e}
        .error{margin:.35rem 0 0;color:#b3261e;font-weight:600}
        .error::before{content:"\\26A0\\FE0E  "}
        .summary{background:#fdecea;border:1px solid #b3261e;border-radius:.5rem;padding:.75rem;color:#7a1712}
        .notice{background:#e8f0fe;border:1px solid #1f4fd1;border-radius:.5rem;padding:.75rem;color:#17347f}
        button.link{background:none;border:none;padding:0;min-height:0;color:#1f4fd1;text-decoration:underline;font-weight:600}
        .actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.5rem}
        button{font:inherit;font-weight:600;padding:.7rem 1.4rem;border-radius:.5rem;cursor:pointer;min-height:2.75rem}
        .primary{background:#1f4fd1;color:#fff;border:2px solid #1f4fd1}
        .secondary{background:#fff;color:#1b1b1f;border:2px solid #8a8a96}
        :focus-visible{outline:3px solid #f2a900;outline-offset:2px}
        input:focus{outline:3px solid #f2a900;outline-offset:1px}
        .small{font-size:.85rem;color:#55555f}
        code{font-size:.9em;word-break:break-all}
        """

    static func page(title: String, body: String, status: HTTPResponse.Status, head: String = "") -> Response {
        let html = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            \(head)<style>\(stylesheet)</style>
            </head>
            <body>
            <main>
            \(body)</main>
            </body>
            </html>

            """
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html))
        )
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// `application/x-www-form-urlencoded` into a dictionary (last value wins).
    static func parseForm(_ body: String) -> [String: String] {
        var form: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            guard let name = parts.first, !name.isEmpty else { continue }
            form[name] = parts.count > 1 ? parts[1] : ""
        }
        return form
    }
}
