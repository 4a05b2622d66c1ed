import OnboardCore

/// The CSV / JSON Lines import parser and the file check, fed arbitrary text in both formats.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImportParsing(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let fields = [
        CredentialField(name: "api_key", displayName: "API Key", isRequired: true, isSecret: true),
        CredentialField(name: "region", displayName: "Region", isRequired: false, defaultValue: "us", isSecret: false),
        CredentialField(name: "key_json", displayName: "Key JSON", isRequired: false, isSecret: true, isMultiline: true),
    ]
    for name in ["users.csv", "users.jsonl", "users"] {
        let file = ImportFile.parse(text, fileName: name)
        _ = ImportCheck.problems(file, fields: fields)
        for row in file.rows { _ = ImportCheck.values(for: row, fields: fields) }
    }
    _ = try? SecretValues.parse(text)
    return 0
}
