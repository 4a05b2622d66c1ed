import Foundation
import OnboardCore
import OnboardTUI
import Testing

@testable import OnboardFeatures
@testable import OnboardLive

#if canImport(Glibc)
    import Glibc
#endif

/// The hosted link's QR code: drawn from libqrencode's matrix in half blocks, dark on light
/// with a quiet zone, only where the window has room; read back by a real decoder.
@Suite("QR code of the hosted link", .serialized)
struct QRCodeTests {
    static let url = "http://127.0.0.1:46697/link/lt_GC3ZDHe17tpz0QhvfkFfTbRC"

    static func connecting() -> Wizard.State {
        let config = AuthConfigSummary(id: "ac_github", name: "GitHub", toolkitSlug: "github", authScheme: .oauth2)
        let list = Wizard.ConfigList(configs: .loaded([config]))
        let form = Wizard.Credentials(config: config, userId: "default", list: list, entries: .loaded([]))
        let review = Wizard.Review(form: form, existing: .loaded([]))
        let link = HostedLink(connectedAccountId: "ca_link", redirectURL: url, expiresAt: nil)
        let account = ConnectedAccount(id: "ca_link", status: .initiated, toolkitSlug: "github", authConfigId: "ac_github", redirectURL: url)
        return Wizard.State(step: .connecting(Wizard.Connecting(review: review, account: account, link: link)))
    }

    /// The canvas's QR cells as a grayscale image (PGM), each module `scale` pixels wide.
    static func image(_ canvas: Canvas, scale: Int = 6) -> Data? {
        var cells: [(x: Int, y: Int, text: String)] = []
        for y in 0..<canvas.height {
            for x in 0..<canvas.width where canvas[x, y].role == .qrCode { cells.append((x, y, canvas[x, y].text)) }
        }
        guard let minX = cells.map(\.x).min(), let maxX = cells.map(\.x).max(), let minY = cells.map(\.y).min(), let maxY = cells.map(\.y).max()
        else { return nil }
        let width = (maxX - minX + 1) * scale
        let height = (maxY - minY + 1) * 2 * scale
        var pixels = [UInt8](repeating: 255, count: width * height)
        for cell in cells {
            let (top, bottom): (Bool, Bool) =
                switch cell.text {
                case "\u{2588}": (true, true)
                case "\u{2580}": (true, false)
                case "\u{2584}": (false, true)
                default: (false, false)
                }
            for (half, dark) in [(0, top), (1, bottom)] where dark {
                for dy in 0..<scale {
                    for dx in 0..<scale {
                        pixels[((cell.y - minY) * 2 * scale + half * scale + dy) * width + (cell.x - minX) * scale + dx] = 0
                    }
                }
            }
        }
        return Data("P5\n\(width) \(height)\n255\n".utf8) + Data(pixels)
    }

    static func decode(_ image: Data) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onboard-qr-\(UUID().uuidString).pgm").path
        try image.write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let output = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zbarimg")
        process.arguments = ["--quiet", "--raw", path]
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("libqrencode is installed, and the drawn code decodes back to the link")
    func drawnCodeDecodes() throws {
        #expect(LibQREncode.isAvailable, "libqrencode4 is not installed (apt-get install libqrencode-dev)")
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/zbarimg"), "zbarimg is not installed (apt-get install zbar-tools)")
        let context = ScreenContext(backendLabel: "embedded sandbox", glyphs: .unicode, qrCode: LibQREncode.encoder)
        let canvas = WizardView.render(Self.connecting(), context: context, width: 110, height: 45)
        let image = try #require(Self.image(canvas), "no QR code was drawn at 110x45")
        let drawnRows = (0..<canvas.height).filter { y in (0..<canvas.width).contains { canvas[$0, y].role == .qrCode } }.count
        #expect(drawnRows == LibQREncode.encode(Self.url)?.drawnSize.height, "every row, quiet zone included")
        #expect(try Self.decode(image) == Self.url)
        // The URL stays as text too, for copying.
        #expect((0..<canvas.height).contains { y in (0..<canvas.width).map { canvas[$0, y].text }.joined().contains("lt_GC3ZDHe17tpz0QhvfkFfTbRC") })
    }

    @Test("no room, ASCII glyphs or no encoder: no code, and never a cut one")
    func onlyWhenItFits() {
        let encoder = LibQREncode.encoder
        for (width, height) in [(80, 24), (100, 30), (60, 18)] {
            let canvas = WizardView.render(
                Self.connecting(), context: ScreenContext(backendLabel: "x", glyphs: .unicode, qrCode: encoder), width: width, height: height)
            #expect(Self.image(canvas) == nil, "\(width)x\(height) has no room")
        }
        let ascii = WizardView.render(Self.connecting(), context: ScreenContext(backendLabel: "x", glyphs: .ascii, qrCode: encoder), width: 110, height: 45)
        #expect(Self.image(ascii) == nil)
        let none = WizardView.render(Self.connecting(), context: ScreenContext(backendLabel: "x", glyphs: .unicode), width: 110, height: 45)
        #expect(Self.image(none) == nil)
    }

    @Test("the matrix draws with a four-module quiet zone in half blocks")
    func halfBlocks() throws {
        let matrix = try #require(QRMatrix(size: 2, modules: [true, false, false, true]))
        #expect(matrix.drawnSize == (10, 5))
        let rows = matrix.rows
        #expect(rows.count == 5)
        let light = "\u{00A0}"
        #expect(rows[2] == String(repeating: light, count: 4) + "\u{2580}\u{2584}" + String(repeating: light, count: 4))
        #expect(rows.allSatisfy { $0.count == 10 })
    }
}
