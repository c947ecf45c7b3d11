/// Where panes, headers and the status line sit for a terminal size.
public struct Geometry: Equatable, Sendable {
    public static let minWidth = 20
    public static let minHeight = 6
    public static let minPaneWidth = 20
    public static let preferredPaneWidth = 60

    public struct PaneRect: Equatable, Sendable {
        public var pane: Int
        public var x: Int
        public var width: Int
    }

    public let width: Int
    public let height: Int
    public let rects: [PaneRect]

    public init(width: Int, height: Int, paneCount: Int, focus: Int) {
        self.width = width
        self.height = height
        guard width >= Geometry.minWidth, height >= Geometry.minHeight, paneCount > 0 else {
            rects = []
            return
        }
        let capacity = max(1, (width + 1) / (Geometry.minPaneWidth + 1))
        let visible = min(capacity, paneCount)
        // Keep the focused pane visible: a window of `visible` panes around it.
        let first = min(max(0, focus - visible + 1), paneCount - visible)
        let usable = width - (visible - 1)
        var x = 0
        var out: [PaneRect] = []
        for i in 0..<visible {
            let w = usable / visible + (i < usable % visible ? 1 : 0)
            out.append(PaneRect(pane: first + i, x: x, width: w))
            x += w + 1
        }
        rects = out
    }

    /// As many panes as fit at about 60 columns each (3 at 160 columns, 4 at 240).
    public static func defaultPaneCount(width: Int) -> Int {
        max(1, min(4, (width + Geometry.preferredPaneWidth / 2) / Geometry.preferredPaneWidth))
    }

    public var tooSmall: Bool { rects.isEmpty }

    /// Header rows: an info line, two title lines and a rule when there is room; less when short.
    public var headerHeight: Int { height >= 16 ? 4 : 2 }
    public var bodyTop: Int { headerHeight }
    public var bodyHeight: Int { max(1, height - 1 - headerHeight) }
    public var statusRow: Int { height - 1 }

    public func rect(pane: Int) -> PaneRect? { rects.first { $0.pane == pane } }

    /// Text width inside a pane (one column of padding on each side).
    public func bodyWidth(pane: Int) -> Int {
        guard let r = rect(pane: pane) ?? rects.first else { return max(1, width - 2) }
        return max(1, r.width - 2)
    }

    public func pane(atColumn x: Int) -> Int? {
        rects.first { x >= $0.x && x < $0.x + $0.width }?.pane
    }
}
