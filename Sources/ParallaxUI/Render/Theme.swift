/// How many colours the terminal (and the user) allows.
public enum ColorTier: String, Sendable, CaseIterable {
    case color256 = "256"
    case color16 = "16"
    case monochrome = "mono"

    /// Chooses the tier from the `--color` flag, the config's theme, `NO_COLOR` and the terminal.
    public static func resolve(flag: ColorMode, configured: ColorTier?, noColor: Bool, terminalColors: Int) -> ColorTier {
        switch flag {
        case .never: return .monochrome
        case .always:
            if let configured { return configured }
            return terminalColors >= 256 ? .color256 : .color16
        case .auto:
            if noColor || terminalColors < 8 { return .monochrome }
            if let configured {
                if configured == .color256 && terminalColors < 256 { return .color16 }
                return configured
            }
            return terminalColors >= 256 ? .color256 : .color16
        }
    }
}

public enum ColorMode: String, Sendable, CaseIterable {
    case auto, always, never
}

import ParallaxCore

/// Styles by role. Every role that carries meaning also has a non-colour cue, so the
/// monochrome tier (bold/underline/reverse only) stays readable.
public struct Theme: Sendable {
    public var tier: ColorTier
    public var body: Style
    public var header: Style
    public var headerFocused: Style
    public var title: Style
    public var titleMissing: Style
    public var separator: Style
    public var searchMatch: Style
    public var currentMatch: Style
    public var escape: Style
    public var status: Style
    public var statusMode: Style
    public var statusWarning: Style
    public var overlay: Style
    public var overlayTitle: Style
    public var overlaySelected: Style
    public var overlayKey: Style
    public var dim: Style
    /// The mention the entity keys moved to, and its twins in the other panes.
    public var currentMention: Style = Style(attributes: [.reverse, .bold])
    /// The reading cursor: the word it is on (reverse and underlined in every tier).
    public var cursor: Style = Style(attributes: [.reverse, .underline])

    /// Annotated text: underlined in every tier (the cue without colour), tinted in colour.
    public var annotation: Style {
        switch tier {
        case .color256: return Style(fg: .palette(157), attributes: .underline)
        case .color16: return Style(fg: .palette(10), attributes: .underline)
        case .monochrome: return Style(attributes: .underline)
        }
    }

    /// The gutter mark (┃) beside lines holding an annotation.
    public var annotationGutter: Style {
        switch tier {
        case .color256: return Style(fg: .palette(157), attributes: .bold)
        case .color16: return Style(fg: .palette(10), attributes: .bold)
        case .monochrome: return Style(attributes: .bold)
        }
    }

    /// A visual selection: a background in colour; without colour, reverse italic, so it is not
    /// mistaken for a search match (plain reverse). The status line also says VISUAL.
    public var selection: Style {
        switch tier {
        case .color256: return Style(fg: .palette(231), bg: .palette(61))
        case .color16: return Style(fg: .palette(15), bg: .palette(5))
        case .monochrome: return Style(attributes: [.reverse, .italic])
        }
    }

    /// Quotation text. Monochrome has no cue left that entities do not use: there the quote marks
    /// themselves mark quotes, and the current quote and its twins are in reverse video.
    public var quote: Style {
        switch tier {
        case .color256: return Style(fg: .palette(229))
        case .color16: return Style(fg: .palette(3))
        case .monochrome: return .plain
        }
    }

    /// The quote being compared and its twins in the other panes.
    public var currentQuote: Style {
        switch tier {
        case .color256: return Style(fg: .palette(16), bg: .palette(229))
        case .color16: return Style(fg: .palette(0), bg: .palette(3))
        case .monochrome: return Style(attributes: .reverse)
        }
    }

    /// Each entity type has a colour and a cue that survives without colour, so types are never
    /// told apart by colour alone: PERSON bold, ORG underline, GPE bold+underline, LOC italic+underline,
    /// NORP italic, DATE dim+underline, CARDINAL dim.
    public func entity(_ type: EntityType) -> Style {
        let cue: Attributes
        let color256: UInt8
        let color16: UInt8
        switch type {
        case .person: cue = .bold; color256 = 117; color16 = 14
        case .org: cue = .underline; color256 = 215; color16 = 11
        case .gpe: cue = [.bold, .underline]; color256 = 114; color16 = 10
        case .loc: cue = [.italic, .underline]; color256 = 150; color16 = 2
        case .norp: cue = .italic; color256 = 183; color16 = 13
        case .date: cue = [.dim, .underline]; color256 = 180; color16 = 3
        case .cardinal: cue = .dim; color256 = 152; color16 = 6
        }
        switch tier {
        case .color256: return Style(fg: .palette(color256), attributes: cue.subtracting(.dim))
        case .color16: return Style(fg: .palette(color16), attributes: cue.subtracting(.dim))
        case .monochrome: return Style(attributes: cue)
        }
    }

    /// Short labels for the legend and the entity panel.
    public static func badge(_ type: EntityType) -> String {
        switch type {
        case .person: return "P"
        case .org: return "O"
        case .gpe: return "G"
        case .loc: return "L"
        case .norp: return "N"
        case .date: return "D"
        case .cardinal: return "#"
        }
    }

    public static func make(_ tier: ColorTier) -> Theme {
        switch tier {
        case .color256:
            return Theme(
                tier: tier,
                body: .plain,
                header: Style(fg: .palette(250), bg: .palette(236)),
                headerFocused: Style(fg: .palette(231), bg: .palette(24), attributes: .bold),
                title: Style(fg: .palette(223), attributes: .bold),
                titleMissing: Style(fg: .palette(245), attributes: .italic),
                separator: Style(fg: .palette(240)),
                searchMatch: Style(fg: .palette(16), bg: .palette(222)),
                currentMatch: Style(fg: .palette(16), bg: .palette(208), attributes: .bold),
                escape: Style(fg: .palette(167), attributes: .reverse),
                status: Style(fg: .palette(252), bg: .palette(238)),
                statusMode: Style(fg: .palette(16), bg: .palette(110), attributes: .bold),
                statusWarning: Style(fg: .palette(223), bg: .palette(88), attributes: .bold),
                overlay: Style(fg: .palette(252), bg: .palette(235)),
                overlayTitle: Style(fg: .palette(223), bg: .palette(235), attributes: .bold),
                overlaySelected: Style(fg: .palette(231), bg: .palette(24), attributes: .bold),
                overlayKey: Style(fg: .palette(110), bg: .palette(235), attributes: .bold),
                dim: Style(fg: .palette(245)))
        case .color16:
            return Theme(
                tier: tier,
                body: .plain,
                header: Style(fg: .palette(7), bg: .palette(0), attributes: .reverse),
                headerFocused: Style(fg: .palette(15), bg: .palette(4), attributes: .bold),
                title: Style(fg: .palette(11), attributes: .bold),
                titleMissing: Style(fg: .palette(8), attributes: .italic),
                separator: Style(fg: .palette(8)),
                searchMatch: Style(fg: .palette(0), bg: .palette(3)),
                currentMatch: Style(fg: .palette(0), bg: .palette(11), attributes: .bold),
                escape: Style(fg: .palette(1), attributes: .reverse),
                status: Style(fg: .palette(15), bg: .palette(8)),
                statusMode: Style(fg: .palette(0), bg: .palette(6), attributes: .bold),
                statusWarning: Style(fg: .palette(15), bg: .palette(1), attributes: .bold),
                overlay: Style(fg: .palette(7), bg: .palette(0)),
                overlayTitle: Style(fg: .palette(11), bg: .palette(0), attributes: .bold),
                overlaySelected: Style(fg: .palette(15), bg: .palette(4), attributes: .bold),
                overlayKey: Style(fg: .palette(14), bg: .palette(0), attributes: .bold),
                dim: Style(fg: .palette(8)))
        case .monochrome:
            return Theme(
                tier: tier,
                body: .plain,
                header: Style(attributes: .reverse),
                headerFocused: Style(attributes: [.reverse, .bold]),
                title: Style(attributes: .bold),
                titleMissing: Style(attributes: .dim),
                separator: .plain,
                searchMatch: Style(attributes: .reverse),
                currentMatch: Style(attributes: [.reverse, .bold, .underline]),
                escape: Style(attributes: [.bold, .underline]),
                status: Style(attributes: .reverse),
                statusMode: Style(attributes: [.reverse, .bold]),
                statusWarning: Style(attributes: [.reverse, .bold, .underline]),
                overlay: .plain,
                overlayTitle: Style(attributes: .bold),
                overlaySelected: Style(attributes: .reverse),
                overlayKey: Style(attributes: .bold),
                dim: Style(attributes: .dim))
        }
    }
}
