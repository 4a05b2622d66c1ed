import Foundation
import OnboardProcess
import Testing

/// A session's program on its own pty: the terminal, the size, the environment and the
/// descriptors it gets, and nothing more.
@Suite("Session programs on a pty")
struct SessionChildTests {
    /// Everything the program writes, until it ends (EIO on the master once the slave is gone).
    func output(of child: SessionChild) -> String {
        var text = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(child.master, &buffer, buffer.count)
            if count <= 0 { break }
            text.append(contentsOf: buffer[..<count])
        }
        close(child.master)
        return String(decoding: text, as: UTF8.self)
    }

    func waitForExit(_ child: SessionChild) -> Int32? {
        for _ in 0..<200 {
            if let status = child.exitStatus() { return status }
            usleep(20_000)
        }
        return nil
    }

    @Test("the pty is its controlling terminal, with the size asked for and exactly the environment given")
    func terminalAndEnvironment() throws {
        let child = try SessionChild.start(
            executable: "/bin/sh", arguments: ["sh", "-c", "stty size; tty; echo \"[$FOO][$HOME][$COMPOSIO_API_KEY]\"; ps -o tty= -p $$"],
            environment: ["FOO": "bar", "PATH": "/usr/bin:/bin"], columns: 100, rows: 30)
        let text = output(of: child)
        #expect(text.contains("30 100"))
        #expect(text.contains("/dev/pts/"))
        #expect(text.contains("[bar][][]"))
        #expect(waitForExit(child) == 0)
    }

    @Test("0x0 means 80x24; 65535x65535 is held to 512x256; a resize reaches the program")
    func sizes() throws {
        for (asked, expected) in [((0, 0), "24 80"), ((65535, 65535), "256 512")] {
            let child = try SessionChild.start(
                executable: "/bin/sh", arguments: ["sh", "-c", "stty size"], environment: ["PATH": "/usr/bin:/bin"], columns: asked.0, rows: asked.1)
            #expect(output(of: child).contains(expected))
            _ = waitForExit(child)
        }
        let child = try SessionChild.start(
            executable: "/bin/sh", arguments: ["sh", "-c", "trap 'stty size; exit 0' WINCH; while :; do sleep 0.05; done"],
            environment: ["PATH": "/usr/bin:/bin"], columns: 80, rows: 24)
        usleep(300_000)
        child.resize(columns: 132, rows: 43)
        #expect(output(of: child).contains("43 132"))
        #expect(waitForExit(child) == 0)
    }

    @Test("a passed descriptor arrives as 3 and no other of this process does; a hangup ends the program")
    func descriptors() throws {
        let key = try DescriptorHandOff.pipe(holding: Array("ak_handed".utf8))
        let leaked = open("/dev/null", O_RDONLY)  // opened without close-on-exec: still must not arrive
        defer { close(leaked) }
        let child = try SessionChild.start(
            executable: "/bin/sh", arguments: ["sh", "-c", "cat <&3; echo; ls /proc/$$/fd | sort -n | tr '\\n' ' '"],
            environment: ["PATH": "/usr/bin:/bin"], columns: 80, rows: 24, passing: [key])
        close(key)
        let text = output(of: child)
        #expect(text.contains("ak_handed"))
        // 0-2 the pty, 3 the key (and ls's own directory descriptor, a higher number, is gone by now).
        let descriptors = text.split(whereSeparator: { $0 == " " || $0.isNewline }).compactMap { Int($0) }
        #expect(descriptors.prefix(4) == [0, 1, 2, 3], "\(text.debugDescription)")
        #expect(descriptors.count <= 5)
        #expect(waitForExit(child) == 0)

        let sleeper = try SessionChild.start(
            executable: "/bin/sleep", arguments: ["sleep", "60"], environment: [:], columns: 80, rows: 24)
        sleeper.signal(SIGHUP)
        #expect(waitForExit(sleeper) == 128 + SIGHUP)
        close(sleeper.master)
    }
}
