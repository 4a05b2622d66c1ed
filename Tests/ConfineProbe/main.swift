// Confines itself as a gateway session does, then tries to open each path it is given and says
// what the kernel answered: `confine-probe READABLE WRITABLE -- PATH...`, one line per path,
// `PATH ok` or `PATH errno-name`. The confinement tests read these lines.
import Foundation
import OnboardProcess

let arguments = CommandLine.arguments
guard let split = arguments.firstIndex(of: "--"), split >= 3 else {
    FileHandle.standardError.write(Data("usage: confine-probe READABLE WRITABLE -- PATH...\n".utf8))
    exit(2)
}
let confinement = SessionConfinement(readable: [arguments[1]], writable: [arguments[2]])
print("confinement \(confinement.apply())")
print("no_new_privs \(SessionConfinement.hasNoNewPrivileges)")
for path in arguments[(split + 1)...] {
    // Write to the writable one; read anything else; O_CREAT where the path does not exist.
    let flags = path == arguments[2] ? O_WRONLY : (access(path, F_OK) == 0 ? O_RDONLY : O_WRONLY | O_CREAT)
    let descriptor = open(path, flags | O_CLOEXEC, 0o600)
    if descriptor >= 0 {
        close(descriptor)
        print("\(path) ok")
    } else {
        print("\(path) \(errno == EACCES ? "EACCES" : errno == ENOENT ? "ENOENT" : "errno \(errno)")")
    }
}
