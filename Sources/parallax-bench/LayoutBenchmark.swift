import ParallaxCore
import ParallaxUI

/// Timings for the layout's large-text paths, for a benchmark runner (tests never time anything).
enum LayoutBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        public var name: String
        public var megabytes: Double
        /// Constructing the layout and producing the first screen.
        public var firstScreen: Duration
        /// Finding the last line and producing the last screen.
        public var lastScreen: Duration
        /// Jumping to the middle and producing that screen.
        public var middleScreen: Duration

        public var description: String {
            func ms(_ d: Duration) -> String {
                let v = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
                return String(Int(v.rounded())) + "." + String(Int((v * 10).rounded()) % 10) + " ms"
            }
            return "\(name) (\(Int(megabytes.rounded())) MB): first screen \(ms(firstScreen)), "
                + "last screen \(ms(lastScreen)), middle screen \(ms(middleScreen))"
        }
    }

    /// Texts of about `megabytes` MB: paragraphs, one line with spaces, one line without spaces, one CJK line.
    public static func texts(megabytes: Int) -> [(String, TextBuffer)] {
        let size = megabytes * 1_000_000
        func repeated(_ unit: String) -> TextBuffer {
            let u = Array(unit.utf8)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(size + u.count)
            while bytes.count < size { bytes.append(contentsOf: u) }
            return TextBuffer(validUTF8: bytes)
        }
        let sentence = "The president repeatedly asked the secretary of state to find more ballots, a well-known claim. "
        return [
            ("paragraphs", repeated(String(repeating: sentence, count: 6) + "\n\n")),
            ("one line with spaces", repeated(sentence)),
            ("one line without spaces", repeated("x")),
            ("one line of CJK", repeated("中文文本没有空格但是可以换行")),
        ]
    }

    /// Runs the screen operations on each text: `rows` lines at `width` columns.
    public static func run(megabytes: Int = 50, width: Int = 60, rows: Int = 70) -> [Result] {
        texts(megabytes: megabytes).map { name, buffer in
            let clock = ContinuousClock()
            var sink = 0
            func screen(_ layout: TextLayout, from start: Int) {
                var x = start
                for _ in 0..<rows {
                    sink &+= layout.line(at: x).glyphs.count
                    guard let n = layout.lineStart(after: x) else { break }
                    x = n
                }
            }
            var layout: TextLayout?
            let first = clock.measure {
                let l = TextLayout(text: buffer, range: 0..<buffer.scalarCount, hidden: [], width: width)
                screen(l, from: l.firstLineStart)
                layout = l
            }
            let last = clock.measure {
                let l = layout!
                let top = l.move(l.lastLineStart(), by: -(rows - 1))
                screen(l, from: top)
            }
            let middle = clock.measure {
                let l = layout!
                screen(l, from: l.lineStart(containing: buffer.scalarCount / 2 + 12_345))
            }
            precondition(sink >= 0)
            return Result(
                name: name, megabytes: Double(buffer.bytes.count) / 1_000_000,
                firstScreen: first, lastScreen: last, middleScreen: middle)
        }
    }
}
