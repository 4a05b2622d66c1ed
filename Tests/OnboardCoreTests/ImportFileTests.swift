import Foundation
import OnboardCore
import Testing

@Suite("Import files and secret values")
struct ImportFileTests {
    static let fields = [
        CredentialField(name: "subdomain", displayName: "Subdomain", isRequired: true, isSecret: false),
        CredentialField(name: "api_key", displayName: "API Key", isRequired: true, isSecret: true),
        CredentialField(name: "region", displayName: "Region", isRequired: false, defaultValue: "us", isSecret: false),
        CredentialField(name: "credentials_json", displayName: "Credentials", isRequired: false, isSecret: true, isMultiline: true),
    ]

    @Test("CSV: quoted commas, doubled quotes, a line break inside quotes, CRLF, a BOM and blank lines; rows numbered as a spreadsheet does")
    func csv() {
        let text = "\u{FEFF}user_id,subdomain,api_key\r\nalice,acme,\"k,1\"\r\n\r\nbob,\"be\"\"ta\",\"line1\nline2\"\ncarol,c,k3"
        let file = ImportFile.parse(text, fileName: "users.csv")
        #expect(file.format == .csv)
        #expect(file.problems.isEmpty)
        #expect(file.columns == ["subdomain", "api_key"])
        #expect(file.rows.map(\.number) == [2, 4, 6])
        #expect(file.rows.map(\.userId) == ["alice", "bob", "carol"])
        #expect(file.rows[0].values["api_key"] == Secret("k,1"))
        #expect(file.rows[1].values["subdomain"] == Secret("be\"ta"))
        #expect(file.rows[1].values["api_key"] == Secret("line1\nline2"))
    }

    @Test("CSV problems: a short row, an unclosed quote, a header without user_id or with a repeated name")
    func csvProblems() {
        let short = ImportFile.parse("user_id,api_key\nalice\n\"bob,k", fileName: "x.csv")
        #expect(
            short.problems.map(\.description) == [
                "row 2: has 1 values but the header has 2 columns", "row 3: a quoted value is never closed; check the quotes from here on",
            ])
        let repeated = ImportFile.parse("user_id,api_key,api_key\n", fileName: "x.csv")
        #expect(repeated.problems.map(\.description) == ["row 1: column 3 of the header repeats column 2"])
        // A file saved without its header: the first row is data, so nothing of it is quoted
        // or taken for a column, and the missing header is the one thing said.
        let headerless = ImportFile.parse("alice,sk_live_SECRET\nbob,sk_live_OTHER\n", fileName: "x.csv")
        #expect(
            headerless.problems.map(\.description) == [
                "row 1: the first line has no user_id column, so the header is missing; add one such as user_id,api_key as the first line"
            ])
        #expect(headerless.columns.isEmpty)
        let checked = ImportCheck.problems(headerless, fields: Self.fields).map(\.description).joined(separator: "\n")
        #expect(!checked.contains("SECRET") && !checked.contains("OTHER"))
        #expect(ImportFile.parse("", fileName: "x.csv").problems.count == 1)
    }

    @Test("JSON Lines: strings, numbers, nulls and an embedded document; a malformed line is a problem, not a crash")
    func jsonLines() {
        let text = """
            {"user_id": "alice", "api_key": "k1", "port": 8080, "region": null}
            not json
            {"user_id": "bob", "credentials_json": {"type": "service_account", "id": 1}}
            [1, 2]
            {"user_id": ["x"]}
            """
        let file = ImportFile.parse(text, fileName: "users.data")
        #expect(file.format == .jsonLines)
        #expect(file.rows.map(\.number) == [1, 3])
        #expect(file.rows[0].values["port"] == Secret("8080"))
        #expect(file.rows[0].values["region"] == nil)
        #expect(file.rows[1].values["credentials_json"] == Secret(#"{"id":1,"type":"service_account"}"#))
        #expect(file.problems.map(\.row) == [2, 4, 5])
        #expect(file.columns == ["api_key", "port", "region", "credentials_json"])
    }

    @Test("the check reports every problem at once, by row, naming fields and never values (a blank cell is missing)")
    func checkReportsAll() {
        let text = """
            user_id,subdomain,api_key,colour,credentials_json
            alice,acme,SECRET-ONE,red,
            ,acme,SECRET-TWO,,
            alice,acme,SECRET-THREE,,
            dave,,,,
            erin,acme,SECRET-FOUR,,{not json
            frank,acme,"   ",,
            """
        let file = ImportFile.parse(text, fileName: "users.csv")
        let problems = ImportCheck.problems(file, fields: Self.fields).map(\.description)
        #expect(
            problems == [
                "column 4 of the header is not a field of this auth config (its fields: subdomain, api_key, region, credentials_json)",
                "row 3: user_id: Enter a user id: any string that identifies this user in your system.",
                "row 4: the same user_id as row 2; each user is imported once",
                "row 5: missing subdomain, api_key",
                "row 6: credentials_json is not valid JSON",
                "row 7: missing api_key",
            ])
        #expect(!problems.joined().contains("SECRET"))
        #expect(!problems.joined().contains("not json"))
    }

    @Test("a clean file has no problems, and the values sent trim, and fill defaults for blank cells")
    func valuesWithDefaults() throws {
        let file = ImportFile.parse("user_id,subdomain,api_key,region\nalice, acme ,k1,  \n", fileName: "users.csv")
        #expect(ImportCheck.problems(file, fields: Self.fields).isEmpty)
        let values = ImportCheck.values(for: try #require(file.rows.first), fields: Self.fields)
        #expect(values == ["subdomain": Secret("acme"), "api_key": Secret("k1"), "region": Secret("us")])
        let empty = ImportFile.parse("user_id,api_key\n", fileName: "users.csv")
        #expect(ImportCheck.problems(empty, fields: Self.fields).map(\.description) == ["the file has no rows to import"])
    }

    @Test("secret values: NAME=VALUE lines with comments, or a JSON object; errors name lines, never values")
    func secretValues() throws {
        let lines = try SecretValues.parse("# keys\napi_key = sk-1=2 \n\nsubdomain=acme\r\n")
        #expect(lines == ["api_key": Secret("sk-1=2"), "subdomain": Secret("acme")])
        let json = try SecretValues.parse(#"{"api_key": "sk-9", "port": 443, "skip": null}"#)
        #expect(json == ["api_key": Secret("sk-9"), "port": Secret("443")])
        #expect(throws: SecretValuesError("line 2 is not NAME=VALUE (nor is the input a JSON object)")) {
            try SecretValues.parse("a=1\nSECRET-VALUE\n")
        }
        #expect(throws: SecretValuesError("line 2 repeats the name on line 1")) { try SecretValues.parse("a=1\na=2") }
        // A base64 key piped without NAME= ends in =: what stands before it is the secret, and
        // it is reported by its line only.
        let entries = try SecretValues.parseEntries("c2stbGl2ZS1TRUNSRVQ=\n")
        #expect(entries.map(\.place) == ["line 1"])
        let keyed = try SecretValues.parseEntries(#"{"b": "2", "a": "1"}"#)
        #expect(keyed.map(\.place) == ["key 1 of the JSON object (keys in sorted order)", "key 2 of the JSON object (keys in sorted order)"])
        #expect(throws: SecretValuesError("the input starts with { but is not a JSON object; check its quotes and commas")) {
            try SecretValues.parse("{\"a\": SECRET}")
        }
    }
}

@Suite("Auth config filtering")
struct AuthConfigFilterTests {
    @Test("the filter matches name, toolkit, id or scheme, case-insensitively, and multi-byte text")
    func matching() {
        var config = AuthConfigSummary(id: "ac_XyZ9", name: "Zürich Tickets", toolkitSlug: "freshdesk", authScheme: .apiKey)
        for filter in ["zür", "ZÜRICH", "fresh", "xyz9", "api_k", " tickets ", ""] {
            #expect(config.matches(filter: filter), "\(filter)")
        }
        for filter in ["zurich", "basic", "ticketsx", "desk_"] {
            #expect(!config.matches(filter: filter), "\(filter)")
        }
        config.name = "Renamed"
        #expect(config.matches(filter: "renamed"))
        #expect(!config.matches(filter: "zür"))
    }
}
