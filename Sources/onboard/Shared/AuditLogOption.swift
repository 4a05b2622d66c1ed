import ArgumentParser

/// `--audit-log PATH`: where the audit trail is kept, for every command that writes or reads it.
struct AuditLogOption: ParsableArguments {
    @Option(name: .long, help: "Keep the audit trail here (default: ONBOARD_AUDIT_LOG, else $XDG_STATE_HOME/onboard/audit.jsonl).")
    var auditLog: String?
}
