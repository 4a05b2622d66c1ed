// Appends events to an audit trail as fast as it can, for the test of several processes
// appending at once: `audit-stress PATH COUNT LABEL`.
import Foundation
import OnboardStore

let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: audit-stress PATH COUNT LABEL\n".utf8))
    exit(2)
}
let log = try AuditLog(path: arguments[1])
for index in 0..<count {
    try log.append(
        AuditEvent(.connectionCreated, actor: .init(user: arguments[3]), userId: "\(arguments[3])-\(index)", accountId: "ca_\(index)", version: "test"))
}
