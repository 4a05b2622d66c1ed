import Foundation
import Hummingbird
import OnboardCore

/// The hosted connect page: plain HTML, every dynamic string escaped, no scripts.
enum LinkPage {
    static func response(for record: ConnectedAccountRecord, fields: [SeedCatalog.Field], problem: String?, now: Date) -> Response {
        let toolkit = SeedCatalog.toolkit(slug: record.toolkitSlug)?.name ?? record.toolkitSlug
        var body = "<h1>Connect \(escape(toolkit))</h1>\n<p>For user <code>\(escape(record.userId))</code> (\(escape(record.id))).</p>\n"
        let status = ConnectionStatus(rawValue: record.status)
        var code: HTTPResponse.Status = .ok
        switch status {
        case .initiated:
            let minutes = max(0, Int(((record.expiresAt ?? now).timeIntervalSince(now) / 60).rounded(.up)))
            body += "<p>This link expires in about \(minutes) minute\(minutes == 1 ? "" : "s").</p>\n"
            if let problem { body += "<p class=\"problem\">\(escape(problem))</p>\n" }
            body += "<form method=\"post\">\n"
            for field in fields {
                let kind = field.isSecret ? "password" : "text"
                let value = field.isSecret ? "" : escape(field.defaultValue ?? "")
                body +=
                    "<label>\(escape(field.displayName))\(field.required ? " *" : "")<br><input type=\"\(kind)\" name=\"\(escape(field.name))\" value=\"\(value)\" autocomplete=\"off\"></label><br><small>\(escape(field.description))</small><br>\n"
            }
            body += "<button name=\"decision\" value=\"approve\">Approve</button> <button name=\"decision\" value=\"deny\">Deny</button>\n</form>\n"
        case .active:
            body += "<p>Connected. You can close this page.</p>\n"
        case .expired:
            code = .gone
            body += "<p>This link has expired. Ask for a new one.</p>\n"
        default:
            body += "<p>Not connected (\(escape(record.status))). You can close this page.</p>\n"
        }
        let html = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Connect \(escape(toolkit))</title></head><body>\n\(body)</body></html>\n"
        return Response(
            status: code,
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
