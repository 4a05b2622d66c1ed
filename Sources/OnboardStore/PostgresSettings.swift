import Foundation
import OnboardCore
import OnboardFiles

/// Where a PostgreSQL store is and how to log in, from a URL as libpq reads it
/// (`postgres://USER@HOST:PORT/DATABASE?sslmode=require`, or `?host=/socket/dir`), with the
/// password never in the URL (it would be in argv or the environment of whatever runs onboard):
/// it comes from `ONBOARD_STORE_PASSWORD_FILE` (a 0600 file), `PGPASSWORD`, or `~/.pgpass`
/// (`PGPASSFILE`), as libpq looks for it.
package struct PostgresSettings: Sendable, Equatable {
    package enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// The socket file itself (`DIR/.s.PGSQL.PORT`).
        case socket(path: String)
    }

    /// libpq's sslmode, as far as it applies: `disable`; `prefer` and `require` encrypt without
    /// checking the certificate; `verify-full` checks it and the host name. Unset, a host that is
    /// not this machine gets `verify-full` (libpq's `prefer` would let anyone on the path read
    /// or answer for the store); a socket or loopback gets `prefer`.
    package enum TLSMode: String, Sendable, Equatable {
        case disable, prefer, require, verifyFull = "verify-full"
    }

    package var endpoint: Endpoint
    package var user: String
    package var database: String
    package var password: String?
    package var tls: TLSMode

    /// The URL without anything secret, for messages and logs.
    package var label: String {
        switch endpoint {
        case .tcp(let host, let port): "postgres://\(user)@\(host):\(port)/\(database)"
        case .socket(let path): "postgres://\(user)@/\(database) (socket \(path))"
        }
    }

    package static func parse(_ text: String, environment: [String: String]) throws(StoreError) -> PostgresSettings {
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme?.lowercased() ?? "") else {
            throw StoreError("The store \u{201C}\(Self.redacted(text))\u{201D} is not a postgres:// URL (postgres://USER@HOST:5432/DATABASE).")
        }
        if components.password != nil {
            throw StoreError(
                "The store URL holds a password, which would show in the process list. Remove it and put it in ONBOARD_STORE_PASSWORD_FILE (a 0600 file), PGPASSWORD or ~/.pgpass."
            )
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let user = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGUSER"] ?? AuditEvent.Actor.currentUser.user
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = path.isEmpty ? (environment["PGDATABASE"] ?? user) : path
        let port = components.port ?? Int(query["port"] ?? "") ?? 5432
        let endpoint: Endpoint
        if let directory = query["host"], directory.hasPrefix("/") {
            endpoint = .socket(path: "\(directory)/.s.PGSQL.\(port)")
        } else if let host = components.host, !host.isEmpty {
            endpoint = .tcp(host: host, port: port)
        } else {
            endpoint = .socket(path: "/var/run/postgresql/.s.PGSQL.\(port)")
        }
        let mode: TLSMode
        switch query["sslmode"] ?? "" {
        case "disable", "allow": mode = .disable
        case "": mode = endpoint.isThisMachine ? .prefer : .verifyFull
        case "prefer": mode = .prefer
        case "require": mode = .require
        case "verify-ca", "verify-full": mode = .verifyFull
        case let other: throw StoreError("sslmode=\(other) is not one onboard knows: use disable, prefer, require or verify-full.")
        }
        var settings = PostgresSettings(endpoint: endpoint, user: user, database: database, password: nil, tls: mode)
        settings.password = try password(for: settings, environment: environment)
        // A password goes to another machine only over TLS whose server was verified: without
        // it, whoever is on the path gets it (in clear or as MD5) and, with it, the store.
        if settings.password != nil, mode != .verifyFull, case .tcp(let host, _) = endpoint, !endpoint.isThisMachine {
            throw StoreError(
                "The store's password would go to \(host) without a verified server (sslmode=\(mode.rawValue)): anyone on the path could read it. Use sslmode=verify-full (the default for another machine), with the server's CA in the system's trust store."
            )
        }
        return settings
    }

    static func password(for settings: PostgresSettings, environment: [String: String]) throws(StoreError) -> String? {
        if let file = environment["ONBOARD_STORE_PASSWORD_FILE"], !file.isEmpty {
            do {
                let data = try SecureFile.readOwnerOnly(file, kind: "store password file", maximumBytes: 4096)
                return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw StoreError(error.description)
            }
        }
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let file = environment["PGPASSFILE"] ?? home + "/.pgpass"
        // As libpq: a .pgpass others can read is ignored.
        guard let data = try? SecureFile.readOwnerOnly(file, kind: "password file", maximumBytes: 1 << 20) else { return nil }
        let (host, port): (String, String) =
            switch settings.endpoint {
            case .tcp(let host, let port): (host, String(port))
            case .socket(let path): ("localhost", String(path.split(separator: ".").last ?? "5432"))
            }
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = pgpassFields(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [host, port, settings.database, settings.user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// A .pgpass line's five fields, `\:` and `\\` unescaped.
    static func pgpassFields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }

    /// `text` with any password in it replaced, for a message.
    static func redacted(_ text: String) -> String {
        text.replacingOccurrences(of: #"//([^:/@]*):[^@/]*@"#, with: "//$1:***@", options: .regularExpression)
    }
}

extension PostgresSettings.Endpoint {
    /// A socket, `localhost` or a loopback address: nothing crosses a network.
    package var isThisMachine: Bool {
        switch self {
        case .socket: return true
        case .tcp(let host, _): return isLoopback(host: host)
        }
    }
}

/// Why a store cannot be used, with what to do.
package struct StoreError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
