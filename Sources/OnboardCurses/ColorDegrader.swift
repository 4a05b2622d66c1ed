import OnboardTUI

/// Maps theme colours onto what the terminal has: 24-bit (a direct-colour terminfo such as
/// xterm-direct), 256, 16 or 8 colours, or none.
package enum ColorDegrader {
    /// Terminals with this many colours take RGB values directly.
    static let directColors = 1 << 24

    /// A curses colour number for `color` on a terminal with `available` colours; -1 is the
    /// terminal's default.
    package static func resolve(_ color: ThemeColor, available: Int) -> Int32 {
        if available >= directColors { return direct(color) }
        switch color {
        case .terminalDefault:
            return -1
        case .indexed(let index):
            if index < available { return Int32(index) }
            return resolve(rgbOf(index: index), available: available)
        case .rgb(let red, let green, let blue):
            if available >= 256 { return Int32(cubeIndex(red, green, blue)) }
            return Int32(nearestANSI(red, green, blue, count: available >= 16 ? 16 : 8))
        }
    }

    /// Direct colour: 0-7 are still the ANSI colours, anything else is sent as its RGB value.
    static func direct(_ color: ThemeColor) -> Int32 {
        switch color {
        case .terminalDefault: return -1
        case .indexed(let index) where index < 8: return Int32(index)
        case .indexed(let index): return packed(rgbOf(index: index))
        case .rgb(let red, let green, let blue): return packed((red, green, blue))
        }
    }

    static func packed(_ rgb: (UInt8, UInt8, UInt8)) -> Int32 {
        Int32(rgb.0) << 16 | Int32(rgb.1) << 8 | Int32(rgb.2)
    }

    static func resolve(_ rgb: (UInt8, UInt8, UInt8), available: Int) -> Int32 {
        resolve(.rgb(rgb.0, rgb.1, rgb.2), available: available)
    }

    /// xterm's 6x6x6 cube and grey ramp.
    static func cubeIndex(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> Int {
        if red == green && green == blue {
            if red < 8 { return 16 }
            if red > 248 { return 231 }
            return 232 + (Int(red) - 8) * 24 / 241
        }
        func level(_ value: UInt8) -> Int { value < 48 ? 0 : value < 115 ? 1 : (Int(value) - 35) / 40 }
        return 16 + 36 * level(red) + 6 * level(green) + level(blue)
    }

    /// The RGB an xterm shows for a palette index.
    static func rgbOf(index: Int) -> (UInt8, UInt8, UInt8) {
        if index < 16 { return ansi[index] }
        if index >= 232 {
            let grey = UInt8(8 + (index - 232) * 10)
            return (grey, grey, grey)
        }
        let cube = index - 16
        let steps: [UInt8] = [0, 95, 135, 175, 215, 255]
        return (steps[cube / 36], steps[(cube / 6) % 6], steps[cube % 6])
    }

    static let ansi: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static func nearestANSI(_ red: UInt8, _ green: UInt8, _ blue: UInt8, count: Int) -> Int {
        var best = 0
        var bestDistance = Int.max
        for index in 0..<count {
            let (r, g, b) = ansi[index]
            let distance = sq(Int(r) - Int(red)) + sq(Int(g) - Int(green)) + sq(Int(b) - Int(blue))
            if distance < bestDistance {
                best = index
                bestDistance = distance
            }
        }
        return best
    }

    private static func sq(_ value: Int) -> Int { value * value }
}
