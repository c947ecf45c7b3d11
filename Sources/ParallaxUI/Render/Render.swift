import Foundation
import ParallaxCore

/// What the backend shows: the cells, and where the terminal cursor goes (hidden when nil).
public struct Frame: Equatable, Sendable {
    public var grid: CellGrid
    public var cursor: (x: Int, y: Int)?

    public init(grid: CellGrid, cursor: (x: Int, y: Int)?) {
        self.grid = grid
        self.cursor = cursor
    }

    public static func == (a: Frame, b: Frame) -> Bool {
        a.grid == b.grid && a.cursor?.x == b.cursor?.x && a.cursor?.y == b.cursor?.y
    }
}

extension AppState {
    /// Draws the whole screen into a cell grid. Pure: the same state gives the same frame.
    public func render() -> Frame {
        var grid = CellGrid(width: width, height: height)
        let geo = geometry
        if geo.tooSmall {
            drawTooSmall(&grid)
            return Frame(grid: grid, cursor: nil)
        }
        for rect in geo.rects { drawPane(rect, geo, &grid) }
        drawSeparators(geo, &grid)
        var cursor = drawStatus(geo, &grid)
        switch mode {
        case .picker(let picker): cursor = drawPicker(picker, &grid)
        case .overlay(let overlay): drawOverlay(overlay, &grid)
        case .entityPanel(let panel): cursor = drawEntityPanel(panel, &grid)
        case .quoteMap(let map): drawQuoteMap(map, &grid)
        case .annotationForm(let form): cursor = drawAnnotationForm(form, &grid)
        case .annotationPanel(let panel): drawAnnotationPanel(panel, &grid)
        default: break
        }
        return Frame(grid: grid, cursor: cursor)
    }

    private func drawTooSmall(_ grid: inout CellGrid) {
        let lines = width >= 18
            ? ["terminal too small", "need \(Geometry.minWidth)×\(Geometry.minHeight)", "q quits"]
            : ["too small", "\(Geometry.minWidth)×\(Geometry.minHeight)", "q quits"]
        let top = max(0, height / 2 - 1)
        for (i, line) in lines.enumerated() where top + i < height {
            let x = max(0, (width - line.count) / 2)
            grid.put(string: line, x: x, y: top + i, style: theme.statusWarning, maxWidth: width - x)
        }
    }

    // MARK: Panes

    private func drawPane(_ rect: Geometry.PaneRect, _ geo: Geometry, _ grid: inout CellGrid) {
        let index = rect.pane
        let pane = panes[index]
        let a = corpus.articles[pane.article]
        let focused = index == focus
        let headerStyle = focused ? theme.headerFocused : theme.header
        let layout = self.layout(for: index)

        // Info line: id · outlet · date, position on the right.
        grid.fill(x: rect.x, y: 0, width: rect.width, height: 1, cell: Cell(text: " ", width: 1, style: headerStyle))
        let position = positionLabel(index, layout, geo)
        let posWidth = position.count + 1
        let info = "\(a.id) · \(a.metadata.source ?? "outlet ?") · \(a.metadata.date ?? "date ?")"
        grid.put(string: info, x: rect.x + 1, y: 0, style: headerStyle, maxWidth: max(0, rect.width - 2 - posWidth))
        if rect.width > posWidth + 4 {
            grid.put(string: position, x: rect.x + rect.width - posWidth, y: 0, style: headerStyle, maxWidth: posWidth)
        }

        // Title: up to two wrapped lines (one on short terminals).
        let titleLines = geo.headerHeight >= 4 ? 2 : 1
        let titleText = a.metadata.title ?? "(no headline) " + lede(a)
        let style = a.metadata.title == nil ? theme.titleMissing : theme.title
        let wrapped = wrapPlain(titleText, width: rect.width - 2, maxLines: titleLines)
        for (i, line) in wrapped.enumerated() {
            grid.put(string: line, x: rect.x + 1, y: 1 + i, style: style, maxWidth: rect.width - 2, ellipsis: false)
        }
        if geo.headerHeight >= 4 {
            for x in rect.x..<(rect.x + rect.width) {
                grid.put(glyph: "─", width: 1, x: x, y: geo.headerHeight - 1, style: theme.separator)
            }
        }

        // Body: the visible lines once, then the highlights that fall on them.
        var lines: [VisualLine] = []
        lines.reserveCapacity(geo.bodyHeight)
        var next: Int? = pane.top
        while lines.count < geo.bodyHeight, let start = next {
            lines.append(layout.line(at: start))
            next = layout.lineStart(after: start)
        }
        let window = pane.top..<max(pane.top, lines.last?.end ?? pane.top)
        let searchRuns = searchHighlights(index, window)
        let entityRuns = entityHighlights(index, window)
        let quoteRuns = quoteHighlights(index, window)
        let cursorHere = index == focus ? activeCursor : nil
        let selection = cursorHere?.selection
        let cursorWord = cursorHere?.word
        let annotated = annotationSpans(pane: index).filter { $0.range.overlaps(window) || $0.range.lowerBound == window.lowerBound }
        var ai = 0
        // Glyphs come in offset order and runs are sorted: walk each with a cursor.
        var ei = 0
        var si = 0
        var qi = 0
        let limit = rect.x + rect.width - 1
        for (row, line) in lines.enumerated() {
            var x = rect.x + 1
            var marked: Anchor.State?
            defer {
                // A mark in the left padding on every line holding an annotation: ┃ anchored,
                // ╏ moved (the text changed under it: A to confirm), ┆ a place an ambiguous one
                // could be. The strongest on the line wins.
                if let marked {
                    let glyph = marked == .anchored ? "┃" : marked == .moved ? "╏" : "┆"
                    grid.put(glyph: glyph, width: 1, x: rect.x, y: geo.bodyTop + row, style: theme.annotationGutter)
                }
            }
            for g in line.glyphs {
                if g.width == 0 { continue }
                var style = g.isEscape ? theme.escape : theme.body
                let glyphEnd = g.offset + max(1, g.length)
                while qi < quoteRuns.count && quoteRuns[qi].range.upperBound <= g.offset { qi += 1 }
                if qi < quoteRuns.count && quoteRuns[qi].range.lowerBound < glyphEnd {
                    style = style.merged(with: quoteRuns[qi].style)
                }
                while ei < entityRuns.count && entityRuns[ei].range.upperBound <= g.offset { ei += 1 }
                if ei < entityRuns.count && entityRuns[ei].range.lowerBound < glyphEnd {
                    style = style.merged(with: entityRuns[ei].style)
                }
                while si < searchRuns.count && searchRuns[si].range.upperBound <= g.offset { si += 1 }
                if si < searchRuns.count && searchRuns[si].range.lowerBound < glyphEnd {
                    style = style.merged(with: searchRuns[si].style)
                }
                while ai < annotated.count && annotated[ai].range.upperBound <= g.offset { ai += 1 }
                var underline = false
                for span in annotated[ai...] {
                    if span.range.lowerBound >= glyphEnd { break }
                    guard g.offset < span.range.upperBound else { continue }
                    if span.state != .ambiguous { underline = true }
                    if marked == nil || Self.markRank(span.state) > Self.markRank(marked!) { marked = span.state }
                }
                if underline { style = style.merged(with: theme.annotation) }
                if let selection, selection.lowerBound < glyphEnd && g.offset < selection.upperBound {
                    style = style.merged(with: theme.selection)
                }
                if let cursorWord, cursorWord.lowerBound < glyphEnd && g.offset < cursorWord.upperBound {
                    style = style.merged(with: theme.cursor)
                }
                x += grid.put(glyph: g.text, width: g.width, x: x, y: geo.bodyTop + row, style: style, limit: limit)
                if x >= limit { break }
            }
        }
    }

    /// Which gutter mark wins on a line: anchored over moved over ambiguous.
    static func markRank(_ state: Anchor.State) -> Int {
        switch state {
        case .anchored: return 3
        case .moved: return 2
        case .ambiguous: return 1
        case .orphaned: return 0
        }
    }

    private func positionLabel(_ pane: Int, _ layout: TextLayout, _ geo: Geometry) -> String {
        let top = panes[pane].top
        let atTop = layout.lineStart(before: top) == nil
        let last = maxTop(pane)
        let atBottom = top >= last
        if atTop && atBottom { return "All" }
        if atTop { return "Top" }
        if atBottom { return "Bot" }
        return "\(Int(layout.fraction(of: top) * 100))%"
    }

    private func lede(_ a: Article) -> String {
        let end = min(a.text.scalarCount, a.bodyStart + 200)
        let s = a.text.string(a.bodyStart..<end)
        let firstLine = s.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        return String(firstLine.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && !(0x80..<0xA0).contains($0.value) })
    }

    /// Search matches in the window (a little beyond, so a match that starts on screen is whole).
    private func searchHighlights(_ pane: Int, _ window: Range<Int>) -> [StyledRun] {
        guard let s = search else { return [] }
        let a = article(for: pane)
        let length = s.pattern.raw.unicodeScalars.count
        let range = max(a.bodyStart, window.lowerBound - length)..<min(a.text.scalarCount, window.upperBound + length)
        return TextSearch.matches(of: s.pattern, in: a.text, range: range, hidden: showOriginal ? [] : a.hiddenRanges, limit: 5_000)
            .map { m in
                let current = s.current == m && s.currentArticle == panes[pane].article
                return StyledRun(range: m, style: current ? theme.currentMatch : theme.searchMatch)
            }
    }

    struct StyledRun {
        var range: Range<Int>
        var style: Style
    }

    /// Entity mentions on the pane's screen, styled by type; the current mention and its twins
    /// in other panes in reverse video.
    /// Quotations on screen; the current one and its twins stand out.
    private func quoteHighlights(_ pane: Int, _ window: Range<Int>) -> [StyledRun] {
        let article = panes[pane].article
        let list = quotes(article: article)
        guard !list.isEmpty else { return [] }
        let current = currentQuote.flatMap { c -> Range<Int>? in
            c.article == article && c.index < list.count ? list[c.index].range : nil
        }
        return list.filter { $0.range.overlaps(window) || $0.range.lowerBound == window.lowerBound }.map { q in
            let focusStyle = q.range == current || twinQuotes[pane] == q.range
            return StyledRun(range: q.range, style: focusStyle ? theme.currentQuote : theme.quote)
        }
    }

    private func entityHighlights(_ pane: Int, _ window: Range<Int>) -> [StyledRun] {
        let article = panes[pane].article
        let list = mentions(article: article)
        guard !list.isEmpty else { return [] }
        let start = window.lowerBound
        let end = window.upperBound
        // Binary search for the first mention that ends after the top of the screen.
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].range.upperBound <= start { lo = mid + 1 } else { hi = mid }
        }
        var out: [StyledRun] = []
        let current = currentMention.flatMap { c -> Range<Int>? in
            c.article == article && c.index < list.count ? list[c.index].range : nil
        }
        var i = lo
        while i < list.count && list[i].range.lowerBound <= end {
            let m = list[i]
            if m.range == current || twinMentions[pane] == m.range {
                out.append(StyledRun(range: m.range, style: theme.entity(m.type).merged(with: theme.currentMention)))
            } else if highlightTypes.contains(m.type) {
                out.append(StyledRun(range: m.range, style: theme.entity(m.type)))
            }
            i += 1
        }
        return out
    }

    private func drawSeparators(_ geo: Geometry, _ grid: inout CellGrid) {
        for rect in geo.rects.dropLast() {
            let x = rect.x + rect.width
            for y in 0..<geo.statusRow {
                let glyph = (geo.headerHeight >= 4 && y == geo.headerHeight - 1) ? "┼" : "│"
                grid.put(glyph: glyph, width: 1, x: x, y: y, style: theme.separator)
            }
        }
    }

    // MARK: Status line

    private func drawStatus(_ geo: Geometry, _ grid: inout CellGrid) -> (x: Int, y: Int)? {
        let y = geo.statusRow
        grid.fill(x: 0, y: y, width: width, height: 1, cell: Cell(text: " ", width: 1, style: theme.status))
        if case .prompt(let prompt) = mode {
            var x = grid.put(string: prompt.prefix, x: 0, y: y, style: theme.status)
            let chars = prompt.editor.characters
            // Keep the cursor on screen for long input: show the tail.
            let before = String(chars[..<prompt.editor.cursor])
            let beforeWidth = DisplayWidth.glyphs(of: before).reduce(0) { $0 + $1.width }
            let room = width - x - 1
            var shown = chars[...]
            var cursorX = x + beforeWidth
            if beforeWidth > room {
                var drop = 0
                var w = beforeWidth
                while w > room && drop < chars.count {
                    w -= DisplayWidth.glyphs(of: String(chars[drop])).reduce(0) { $0 + $1.width }
                    drop += 1
                }
                shown = chars[drop...]
                cursorX = x + w
            }
            x += grid.put(string: String(shown), x: x, y: y, style: theme.status, maxWidth: room, ellipsis: false)
            if prompt.completions.count > 1 {
                let list = prompt.completions.joined(separator: " ")
                grid.put(string: "  " + list, x: x, y: y, style: theme.dim.merged(with: theme.status))
            }
            return (min(cursorX, width - 1), y)
        }
        var name = mode.name
        if case .normal = mode {
            if placing != nil { name = "RE-PLACE" } else if activeCursor?.anchor != nil { name = "VISUAL" }
        }
        let modeLabel = " \(name) "
        var x = grid.put(string: modeLabel, x: 0, y: y, style: theme.statusMode)
        let a = article(for: focus)
        var info = " \(a.id) · \(positionLabel(focus, layout(for: focus), geo)) · pane \(focus + 1)/\(panes.count)"
        if geo.rects.count < panes.count { info += " (\(geo.rects.count) shown)" }
        if sync { info += " · SYNC" }
        if showOriginal { info += " · ORIGINAL" }
        // Who is annotating, for as long as a session is on (not only in its first message).
        if let service = annotations {
            info += " · ✎ \(service.session)/\(service.annotator)" + (service.isAdjudicator ? " → gold" : "") + (service.store.isReadOnly ? " (read-only)" : "")
        }
        if analysisPending { info += entities == nil ? " · analysing entities…" : " · analysing quotes…" }
        info += " "
        x += grid.put(string: info, x: x, y: y, style: theme.status)
        let right = sequencer.display.isEmpty ? " h help  q quit " : " \(sequencer.display) "
        let rightWidth = DisplayWidth.glyphs(of: right).reduce(0) { $0 + $1.width }
        if let message {
            let style = message.isWarning ? theme.statusWarning : theme.status
            grid.put(string: "│ " + message.text, x: x, y: y, style: style, maxWidth: max(0, width - x - rightWidth))
        }
        if width - rightWidth > x {
            grid.put(string: right, x: width - rightWidth, y: y, style: theme.status)
        }
        return nil
    }

    // MARK: Picker

    private func drawPicker(_ picker: PickerState, _ grid: inout CellGrid) -> (x: Int, y: Int)? {
        let w = min(width - 4, 110)
        let h = min(height - 4, max(6, picker.matches.count + 4))
        guard w >= 16, h >= 5 else { return nil }
        let x0 = (width - w) / 2
        let y0 = max(1, (height - h) / 3)
        drawBox(x: x0, y: y0, w: w, h: h, title: "Open article in pane \(focus + 1) — type to filter, Enter opens, Esc cancels", &grid)
        let filterY = y0 + 1
        var x = grid.put(string: "filter: ", x: x0 + 2, y: filterY, style: theme.overlayKey)
        let cursorX = x0 + 2 + x + DisplayWidth.glyphs(of: String(picker.editor.characters[..<picker.editor.cursor])).reduce(0) { $0 + $1.width }
        x += grid.put(string: picker.editor.text, x: x0 + 2 + x, y: filterY, style: theme.overlay, maxWidth: w - 4 - x)
        let countLabel = "\(picker.matches.count)/\(corpus.articles.count)"
        grid.put(string: countLabel, x: x0 + w - 2 - countLabel.count, y: filterY, style: theme.dim.merged(with: theme.overlay))
        let rows = h - 3
        let first = max(0, min(picker.selected - rows + 1, picker.matches.count - rows))
        for r in 0..<rows {
            let idx = first + r
            guard idx < picker.matches.count else { break }
            let a = corpus.articles[picker.matches[idx]]
            let selected = idx == picker.selected
            let style = selected ? theme.overlaySelected : theme.overlay
            let y = y0 + 2 + r
            grid.fill(x: x0 + 1, y: y, width: w - 2, height: 1, cell: Cell(text: " ", width: 1, style: style))
            let shownIn = panes.indices.filter { panes[$0].article == picker.matches[idx] }.map { String($0 + 1) }
            let mark = shownIn.isEmpty ? "  " : "▸" + (shownIn.first ?? "")
            let cols: [(String, Int)] = [
                (mark, 3), (a.id, 22), (a.metadata.source ?? "?", 16), (a.metadata.date ?? "?", 11),
                ("\(a.wordCount)w", 7),
            ]
            var cx = x0 + 2
            for (text, cw) in cols {
                grid.put(string: text, x: cx, y: y, style: style, maxWidth: cw - 1)
                cx += cw
            }
            grid.put(string: a.metadata.title ?? "(no headline) " + lede(a), x: cx, y: y,
                     style: a.metadata.title == nil ? style.merged(with: Style(attributes: .dim)) : style,
                     maxWidth: x0 + w - 2 - cx)
        }
        if picker.matches.isEmpty {
            grid.put(string: "no article matches", x: x0 + 2, y: y0 + 2, style: theme.dim.merged(with: theme.overlay))
        }
        return (min(cursorX, x0 + w - 2), filterY)
    }

    private func drawBox(x x0: Int, y y0: Int, w: Int, h: Int, title: String, _ grid: inout CellGrid) {
        grid.fill(x: x0, y: y0, width: w, height: h, cell: Cell(text: " ", width: 1, style: theme.overlay))
        for x in x0..<(x0 + w) {
            grid.put(glyph: "─", width: 1, x: x, y: y0, style: theme.overlay)
            grid.put(glyph: "─", width: 1, x: x, y: y0 + h - 1, style: theme.overlay)
        }
        for y in y0..<(y0 + h) {
            grid.put(glyph: "│", width: 1, x: x0, y: y, style: theme.overlay)
            grid.put(glyph: "│", width: 1, x: x0 + w - 1, y: y, style: theme.overlay)
        }
        grid.put(glyph: "┌", width: 1, x: x0, y: y0, style: theme.overlay)
        grid.put(glyph: "┐", width: 1, x: x0 + w - 1, y: y0, style: theme.overlay)
        grid.put(glyph: "└", width: 1, x: x0, y: y0 + h - 1, style: theme.overlay)
        grid.put(glyph: "┘", width: 1, x: x0 + w - 1, y: y0 + h - 1, style: theme.overlay)
        grid.put(string: " \(title) ", x: x0 + 2, y: y0, style: theme.overlayTitle, maxWidth: w - 4)
    }

    // MARK: Annotate form

    private func drawAnnotationForm(_ form: AnnotationFormState, _ grid: inout CellGrid) -> (x: Int, y: Int)? {
        let labels = annotations?.labels ?? AnnotationLabels.defaults
        let w = min(width - 4, 76)
        let h = labels.count + 6
        guard w >= 20, h <= height - 1 else { return nil }
        let x0 = (width - w) / 2
        let y0 = max(1, (height - h) / 3)
        drawBox(x: x0, y: y0, w: w, h: h, title: form.editing == nil ? "Annotate — 1-9 label, type a note, Enter saves, Esc cancels" : "Edit annotation — Enter saves, Esc cancels", &grid)
        // The span as the reading view shows it (hidden junk left out); the grid cuts it to the box.
        let exact = shownText(form.range, article: form.article, limit: 4 * w)
        // Said before the quote, so a long one cannot push it out of the box.
        let hidden = form.editing == nil ? hiddenNote(form.range, article: form.article).trimmingCharacters(in: .whitespaces) : ""
        let hx = hidden.isEmpty ? 0 : grid.put(string: hidden + " ", x: x0 + 2, y: y0 + 1, style: theme.overlayKey, maxWidth: w - 4)
        grid.put(string: "“\(exact)”", x: x0 + 2 + hx, y: y0 + 1, style: theme.overlay.merged(with: Style(attributes: .italic)), maxWidth: w - 4 - hx)
        for (i, label) in labels.enumerated() {
            let on = i == form.label
            let style = on ? theme.overlaySelected : theme.overlay
            let mark = on ? "▸" : " "
            grid.put(string: "\(mark) \(i < 9 ? String(i + 1) : " ") \(label)", x: x0 + 2, y: y0 + 2 + i, style: style, maxWidth: w - 4)
        }
        let noteY = y0 + 2 + labels.count + 1
        let prompt = form.field == .note ? "note▸ " : "note: "
        let px = grid.put(string: prompt, x: x0 + 2, y: noteY, style: theme.overlayKey)
        grid.put(string: form.note.text, x: x0 + 2 + px, y: noteY, style: theme.overlay, maxWidth: w - 4 - px)
        if let error = form.error {
            grid.put(string: "not saved: \(error)", x: x0 + 2, y: noteY + 1, style: theme.statusWarning, maxWidth: w - 4)
        }
        guard form.field == .note else { return nil }
        let cursorX = x0 + 2 + px + DisplayWidth.glyphs(of: String(form.note.characters[..<form.note.cursor])).reduce(0) { $0 + $1.width }
        return (min(cursorX, x0 + w - 2), noteY)
    }

    // MARK: Annotation panel

    private func drawAnnotationPanel(_ panel: AnnotationPanelState, _ grid: inout CellGrid) {
        let w = width - 4
        let h = height - 3
        guard w >= 30, h >= 5 else { return }
        let x0 = 2, y0 = 1
        let rows = annotationRows(panel)
        let total = annotationIndex()?.rows.count ?? 0
        let filter = "label: \(panel.label ?? "all") (l) · annotator: \(panel.annotator ?? "all") (n)" + (panel.disputedOnly ? " · disputed (D)" : "")
        let adjudicating = annotations?.isAdjudicator == true ? ", y adopts into gold" : ""
        drawBox(
            x: x0, y: y0, w: w, h: h,
            title: "Annotations \(rows.count) — \(filter) · Enter jumps, c/C confirm one/all moved, p re-places, e edits, d deletes\(adjudicating), u/^R undo",
            &grid)
        if rows.isEmpty {
            grid.put(string: total == 0 ? "no annotations yet (w cursor, v select, a annotate)" : "no annotation matches the filter",
                     x: x0 + 2, y: y0 + 1, style: theme.dim.merged(with: theme.overlay))
            return
        }
        // The details of the selected row take the bottom of the box when there is room.
        let detailLines = h >= 12 ? 4 : 0
        let visible = h - 2 - detailLines
        let first = max(0, min(panel.selected - visible + 1, rows.count - visible))
        for r in 0..<visible {
            let i = first + r
            guard i < rows.count else { break }
            let row = rows[i]
            let a = row.item.annotation
            let on = i == panel.selected
            let style = on ? theme.overlaySelected : theme.overlay
            let y = y0 + 1 + r
            grid.fill(x: x0 + 1, y: y, width: w - 2, height: 1, cell: Cell(text: " ", width: 1, style: style))
            let exact = a.quote.exact.oneLine()
            // ≠: another annotator or label on the very same span, listed beside it.
            let conflict = conflicts(of: row).contains { $0.item.annotation.label != a.label }
            var state = row.item.anchor.state.rawValue
            if row.item.anchor.state == .ambiguous { state += " ×\(row.item.anchor.candidates.count)" }
            // The quoted text takes about half of what the fixed columns leave; the note the rest.
            let exactWidth = max(24, (w - 4 - 64) / 2)
            let cols: [(String, Int)] = [
                ((on ? "▸" : " ") + (conflict ? "≠" : " "), 3), (corpus.articles[row.article].id, 22), (a.label, 16), (a.annotator, 10),
                (state, 13), ("“\(exact)”", exactWidth),
            ]
            var cx = x0 + 2
            for (text, cw) in cols {
                grid.put(string: text, x: cx, y: y, style: style, maxWidth: cw - 1)
                cx += cw
            }
            grid.put(string: a.note, x: cx, y: y, style: style, maxWidth: max(0, x0 + w - 2 - cx))
        }
        guard detailLines > 0, rows.indices.contains(panel.selected) else { return }
        let row = rows[panel.selected]
        let item = row.item
        let base = theme.overlay
        let dy = y0 + h - 1 - detailLines
        for x in (x0 + 1)..<(x0 + w - 1) { grid.put(glyph: "─", width: 1, x: x, y: dy, style: base) }
        let room = w - 4
        var line1 = "\(item.anchor.state.rawValue)"
        switch item.anchor.state {
        case .anchored: line1 += " · same place, same text"
        case .moved: line1 += " · found by \(item.anchor.method.rawValue) (score \(String(format: "%.2f", item.anchor.score))): c confirms, p re-places"
        case .ambiguous:
            line1 += " · \(item.anchor.candidates.count) places fit equally: place \(min(panel.candidate, item.anchor.candidates.count - 1) + 1) shown; [ ] choose, c confirms, p re-places"
        case .orphaned: line1 += " · no longer in the text (stored quote below): p re-places it"
        }
        line1 += " · \(item.annotation.session), \(item.annotation.created.prefix(16).replacingOccurrences(of: "T", with: " "))"
        if item.annotation.revisedBy != item.annotation.annotator { line1 += " · last changed by \(item.annotation.revisedBy)" }
        if let index = annotationIndex(), item.annotation.annotator != AnnotationStore.goldLayer {
            let gold = index.gold(over: row)
            if !gold.isEmpty {
                line1 += " · gold: " + gold.map(\.item.annotation.label).joined(separator: ", ")
            } else if index.disputed[rows.positions[panel.selected]] {
                line1 += " · disputed, no gold yet"
            }
        }
        grid.put(string: line1, x: x0 + 2, y: dy + 1, style: base, maxWidth: room)

        // The span in its context: where it is now, or the stored quote when it is nowhere.
        let text = corpus.articles[row.article].text
        let prefix: String, exact: String, suffix: String
        if let r = AppState.chosenRange(item, candidate: panel.candidate) {
            let ctx = 48
            prefix = text.string(max(0, r.lowerBound - ctx)..<r.lowerBound)
            exact = text.string(r)
            suffix = text.string(r.upperBound..<min(text.scalarCount, r.upperBound + ctx))
        } else {
            prefix = item.annotation.quote.prefix
            exact = item.annotation.quote.exact
            suffix = item.annotation.quote.suffix
        }
        var cx = x0 + 2
        let exactWidth = DisplayWidth.glyphs(of: "“" + exact.oneLine() + "”").reduce(0) { $0 + $1.width }
        // Keep the span itself in view: the prefix gets what is left of half the line.
        var pre = prefix.oneLine()
        let preRoom = max(0, min(room / 3, room - exactWidth))
        while DisplayWidth.glyphs(of: "…" + pre).reduce(0, { $0 + $1.width }) > preRoom && !pre.isEmpty { pre.removeFirst() }
        cx += grid.put(string: "…" + pre, x: cx, y: dy + 2, style: theme.dim.merged(with: base), maxWidth: x0 + 2 + room - cx)
        cx += grid.put(string: "“" + exact.oneLine() + "”", x: cx, y: dy + 2, style: base.merged(with: theme.annotation), maxWidth: max(0, x0 + 2 + room - cx))
        grid.put(string: suffix.oneLine() + "…", x: cx, y: dy + 2, style: theme.dim.merged(with: base), maxWidth: max(0, x0 + 2 + room - cx))

        let others = conflicts(of: row).map(\.item)
        let line3 = others.isEmpty
            ? "note: " + (item.annotation.note.isEmpty ? "(none)" : item.annotation.note.oneLine())
            : "same span: " + AppState.summary([item] + others)
        grid.put(string: line3, x: x0 + 2, y: dy + 3, style: base, maxWidth: room)
    }

    // MARK: Quote map

    private func drawQuoteMap(_ map: QuoteMapState, _ grid: inout CellGrid) {
        guard let analysis = quotes else { return }
        let w = min(width - 2, 170)
        let h = height - 2
        guard w >= 30, h >= 6 else { return }
        let x0 = (width - w) / 2
        let y0 = 1
        let rows = mapRows()
        if let clusterID = map.versionsOf, let c = cluster(clusterID) {
            drawVersions(c, map, x0: x0, y0: y0, w: w, h: h, &grid)
            return
        }
        let sources = corpus.articles.count
        drawBox(x: x0, y: y0, w: w, h: h, title: "Quote map — \(rows.count) clusters across \(sources) sources · Enter versions · o go to · q close", &grid)
        let colWidth = 5
        let maxCols = max(1, min(sources, (w - 40) / colWidth))
        let speakerWidth = 20
        let textWidth = w - 4 - speakerWidth - maxCols * colWidth - 2
        let headerY = y0 + 1
        var x = x0 + 2 + speakerWidth + textWidth + 1
        for a in 0..<maxCols {
            let id = corpus.articles[a].id
            grid.put(string: String((id.split(separator: "_").first.map(String.init) ?? id).prefix(colWidth - 1)), x: x, y: headerY, style: theme.overlayTitle)
            x += colWidth
        }
        grid.put(string: "speaker", x: x0 + 2, y: headerY, style: theme.overlayTitle)
        grid.put(string: "longest version", x: x0 + 2 + speakerWidth, y: headerY, style: theme.overlayTitle)
        let bodyRows = h - 4
        let first = max(0, min(map.selected - bodyRows / 2, rows.count - bodyRows))
        for r in 0..<bodyRows {
            let i = first + r
            guard i < rows.count else { break }
            guard let c = cluster(rows[i]) else { continue }
            let y = headerY + 1 + r
            let base = i == map.selected ? theme.overlaySelected : theme.overlay
            grid.fill(x: x0 + 1, y: y, width: w - 2, height: 1, cell: Cell(text: " ", width: 1, style: base))
            let root = quote(id: c.root)
            grid.put(string: root?.speaker?.name ?? "?", x: x0 + 2, y: y, style: base, maxWidth: speakerWidth - 1)
            grid.put(string: "“" + (root?.text ?? "") + "”", x: x0 + 2 + speakerWidth, y: y, style: base.merged(with: theme.quote), maxWidth: textWidth)
            var cx = x0 + 2 + speakerWidth + textWidth + 1
            for a in 0..<maxCols {
                let here = preparedQuotes?.versions(c.id, article: corpus.articles[a].id) ?? []
                let mark: String
                if here.isEmpty {
                    mark = "·"
                } else if here.contains(c.root) {
                    mark = "●"
                } else {
                    switch here.lazy.compactMap({ linkKind($0, in: c) }).first {
                    case .exact?: mark = "="
                    case .variant?: mark = "◐"
                    case .fragment?: mark = "◔"
                    case .paraphrase?: mark = "≈"
                    case nil: mark = "◐"
                    }
                }
                grid.put(string: "  " + mark, x: cx, y: y, style: here.isEmpty ? base.merged(with: theme.dim) : base)
                cx += colWidth
            }
        }
        if rows.isEmpty {
            grid.put(string: "no quotation appears in more than one source", x: x0 + 2, y: headerY + 1, style: theme.dim.merged(with: theme.overlay))
        }
        let legend = "● longest version   = exact   ◐ variant   ◔ fragment   ≈ paraphrase   · absent     \(analysis.quotes.count) quotes in all"
        grid.put(string: legend, x: x0 + 2, y: y0 + h - 2, style: theme.dim.merged(with: theme.overlay), maxWidth: w - 4)
    }

    /// Every version of one utterance, each diffed word by word against the longest: only the
    /// versions on screen are diffed and wrapped (and kept for the next frame).
    private func drawVersions(_ c: QuoteCluster, _ map: QuoteMapState, x0: Int, y0: Int, w: Int, h: Int, _ grid: inout CellGrid) {
        let root = quote(id: c.root)
        let order = preparedQuotes.map { c.id.rawValue < $0.versionOrder.count ? $0.versionOrder[c.id.rawValue] : [] } ?? []
        let title = "Versions — \(root?.speaker?.name ?? "?") · \(order.count) versions · [-left out-] {+added+} against the longest · q back"
        drawBox(x: x0, y: y0, w: w, h: h, title: title, &grid)
        var lines: [[(String, Style)]] = []
        var v = map.scroll
        while lines.count < map.scrollLine + versionsRows && v < order.count {
            lines += versionLines(order[v], in: c.id, textWidth: versionsTextWidth)
            v += 1
        }
        for r in 0..<versionsRows {
            let i = map.scrollLine + r
            guard i < lines.count else { break }
            let y = y0 + 1 + r
            var x = x0 + 2
            for (k, piece) in lines[i].enumerated() {
                if k == 0 {
                    grid.put(string: piece.0, x: x, y: y, style: piece.1, maxWidth: 23)
                    x = x0 + 2 + 24
                    continue
                }
                x += grid.put(string: piece.0, x: x, y: y, style: piece.1, maxWidth: x0 + w - 2 - x)
            }
        }
    }

    // MARK: Entity panel

    private func drawEntityPanel(_ panel: EntityPanelState, _ grid: inout CellGrid) -> (x: Int, y: Int)? {
        guard let analysis = entities else { return nil }
        let w = min(width - 2, 160)
        let h = height - 2
        guard w >= 30, h >= 6 else { return nil }
        let x0 = (width - w) / 2
        let y0 = 1
        let rows = entityRows(panel)
        drawBox(x: x0, y: y0, w: w, h: h, title: "Entities — \(rows.count) of \(analysis.entities.count), sorted by \(panel.sort.rawValue) · s sort · / filter · Enter jump · m merge · S split · t type · u undo · q close", &grid)
        // Columns: type badge, name, one count column per source (as many as fit), aliases.
        let nameWidth = min(30, max(16, w / 4))
        let colWidth = 5
        let maxCols = max(1, min(corpus.articles.count, PreparedEntities.countColumns, (w - 4 - 4 - nameWidth - 12) / colWidth))
        let headerY = y0 + 1
        var x = x0 + 2
        let filterText = panel.editingFilter || !panel.filter.text.isEmpty ? "/" + panel.filter.text : ""
        grid.put(string: filterText.isEmpty ? "type" : filterText, x: x, y: headerY, style: theme.overlayKey, maxWidth: nameWidth + 3)
        x += 4 + nameWidth
        for a in 0..<maxCols {
            let id = corpus.articles[a].id
            let label = String((id.split(separator: "_").first.map(String.init) ?? id).prefix(colWidth - 1))
            grid.put(string: label.padding(toLength: colWidth - 1, withPad: " ", startingAt: 0), x: x, y: headerY, style: theme.overlayTitle)
            x += colWidth
        }
        if maxCols < corpus.articles.count {
            grid.put(string: "…", x: x, y: headerY, style: theme.overlayTitle)
            x += 2
        }
        grid.put(string: "aliases", x: x, y: headerY, style: theme.overlayTitle, maxWidth: x0 + w - 2 - x)
        let aliasX = x
        let bodyRows = h - 4
        let first = max(0, min(panel.selected - bodyRows / 2, rows.count - bodyRows))
        for r in 0..<bodyRows {
            let i = first + r
            guard i < rows.count else { break }
            let e = analysis.entities[rows[i]]
            let y = headerY + 1 + r
            let selected = i == panel.selected
            let base = selected ? theme.overlaySelected : theme.overlay
            grid.fill(x: x0 + 1, y: y, width: w - 2, height: 1, cell: Cell(text: " ", width: 1, style: base))
            var cx = x0 + 2
            if let marked = panel.marked, marked == EntityKey(e) {
                // Marked for a merge (m): the next m merges it into the entity it is pressed on.
                grid.put(string: "»", x: x0 + 1, y: y, style: base.merged(with: theme.overlayKey))
            }
            grid.put(string: "[\(Theme.badge(e.type))]", x: cx, y: y, style: base.merged(with: theme.entity(e.type)))
            cx += 4
            grid.put(string: e.name, x: cx, y: y, style: base.merged(with: theme.entity(e.type)), maxWidth: nameWidth - 1)
            cx += nameWidth
            let counts = preparedEntities?.counts(entity: rows[i], count: maxCols) ?? []
            for a in 0..<maxCols {
                let text = counts[a] == 0 ? "·" : String(counts[a])
                let pad = String(repeating: " ", count: max(0, colWidth - 1 - text.count))
                grid.put(string: pad + text, x: cx, y: y, style: counts[a] == 0 ? base.merged(with: theme.dim) : base)
                cx += colWidth
            }
            var others = e.aliases.filter { $0 != e.name }.joined(separator: ", ")
            if let org = e.memberOf, org.rawValue < analysis.entities.count {
                others = "members of \(analysis.entities[org.rawValue].name)" + (others.isEmpty ? "" : " · " + others)
            }
            grid.put(string: others, x: aliasX, y: y, style: base.merged(with: theme.dim), maxWidth: x0 + w - 2 - aliasX)
        }
        if rows.isEmpty {
            grid.put(string: "no entity matches", x: x0 + 2, y: headerY + 1, style: theme.dim.merged(with: theme.overlay))
        }
        // Legend, or the choice `S` or `t` opened.
        var lx = x0 + 2
        let ly = y0 + h - 2
        if let choosing = panel.choosing, rows.indices.contains(panel.selected) {
            let e = analysis.entities[rows[panel.selected]]
            let (prompt, options, current): (String, [String], Int) = {
                switch choosing {
                case .alias(let i): return ("split off \(e.name):", e.aliases, i)
                case .type(let i): return ("type of \(e.name):", EntityType.allCases.map(\.rawValue), i)
                }
            }()
            lx += grid.put(string: prompt + " ", x: lx, y: ly, style: theme.overlayTitle, maxWidth: x0 + w - 2 - lx)
            for (i, option) in options.enumerated() where lx < x0 + w - 2 {
                lx += grid.put(string: " \(option) ", x: lx, y: ly, style: i == current ? theme.overlaySelected : theme.overlay, maxWidth: x0 + w - 2 - lx)
                lx += 1
            }
            grid.put(string: "← → choose · Enter applies · Esc cancels", x: lx + 1, y: ly, style: theme.overlay.merged(with: theme.dim), maxWidth: max(0, x0 + w - 2 - lx - 1))
            return nil
        }
        for t in EntityType.allCases {
            let on = highlightTypes.contains(t)
            lx += grid.put(string: "[\(Theme.badge(t))] \(t.rawValue)", x: lx, y: ly,
                           style: on ? theme.overlay.merged(with: theme.entity(t)) : theme.overlay.merged(with: theme.dim))
            lx += 2
        }
        if panel.editingFilter {
            let cx = x0 + 2 + 1 + DisplayWidth.glyphs(of: String(panel.filter.characters[..<panel.filter.cursor])).reduce(0) { $0 + $1.width }
            return (cx, headerY)
        }
        return nil
    }

    // MARK: Help and messages

    /// The help text, generated from the command registry and the live keymap.
    public func helpLines() -> [(keys: String, doc: String, heading: Bool)] {
        var out: [(String, String, Bool)] = []
        out.append(("", "Parallax — read several outlets' coverage of one story side by side.", true))
        out.append(("", "", false))
        for group in Command.groups {
            out.append(("", group, true))
            for c in Command.allCases where c.spec.group == group {
                let keys = keymap.keys(for: c)
                out.append((keys.isEmpty ? "—" : keys.joined(separator: " "), ":\(c.rawValue)  \(c.spec.doc)", false))
            }
            out.append(("", "", false))
        }
        out.append(("", "Entity highlighting (a colour and a cue that needs no colour)", true))
        out.append(("PERSON", "bold", false))
        out.append(("ORG", "underline", false))
        out.append(("GPE", "bold + underline (countries, states, counties, cities)", false))
        out.append(("LOC", "italic + underline", false))
        out.append(("NORP", "italic (nationalities, religious and political groups)", false))
        out.append(("DATE", "dim + underline", false))
        out.append(("CARDINAL", "dim", false))
        out.append(("", "", false))
        out.append(("", "Counts", true))
        out.append(("5j 3<C-d> 10G", "a number before a command repeats it or names a line", false))
        out.append(("", "", false))
        out.append(("", "Mouse", true))
        out.append(("click", "focus the pane under the pointer", false))
        out.append(("wheel", "scroll the pane under the pointer", false))
        out.append(("", "", false))
        out.append(("", "Prompts", true))
        out.append(("Tab ↑ ↓ Esc", "complete command names, history, cancel", false))
        out.append(("", "", false))
        out.append(("", "Keys can be rebound in ~/.config/parallax/config.toml ([keys] section).", false))
        return out
    }

    private func drawOverlay(_ overlay: OverlayState, _ grid: inout CellGrid) {
        let w = min(width - 2, 100)
        let h = height - 2
        guard w >= 16, h >= 4 else { return }
        let x0 = (width - w) / 2
        let y0 = 1
        let title = overlay.kind == .help ? "Help — j/k scroll, q or Esc closes" : "Messages — q or Esc closes"
        drawBox(x: x0, y: y0, w: w, h: h, title: title, &grid)
        let rows = h - 2
        if overlay.kind == .help {
            let keyWidth = min(30, max(10, w / 3))
            // Long key lists wrap onto continuation rows so no binding is hidden.
            var rowsOut: [(keys: String, doc: String, heading: Bool)] = []
            for line in helpLines() {
                if line.heading || line.keys.isEmpty {
                    rowsOut.append(line)
                    continue
                }
                var chunk = ""
                var first = true
                for key in line.keys.split(separator: " ") {
                    if !chunk.isEmpty && chunk.count + 1 + key.count > keyWidth - 1 {
                        rowsOut.append((chunk, first ? line.doc : "", false))
                        first = false
                        chunk = ""
                    }
                    chunk += (chunk.isEmpty ? "" : " ") + key
                }
                rowsOut.append((chunk, first ? line.doc : "", false))
            }
            let first = min(overlay.scroll, max(0, rowsOut.count - rows))
            for r in 0..<rows {
                let i = first + r
                guard i < rowsOut.count else { break }
                let line = rowsOut[i]
                let y = y0 + 1 + r
                if line.heading {
                    grid.put(string: line.doc, x: x0 + 2, y: y, style: theme.overlayTitle, maxWidth: w - 4)
                } else if line.keys.isEmpty {
                    grid.put(string: line.doc, x: x0 + 2, y: y, style: theme.overlay, maxWidth: w - 4)
                } else {
                    let keyStyle = EntityType(rawValue: line.keys).map { theme.overlay.merged(with: theme.entity($0)) } ?? theme.overlayKey
                    grid.put(string: line.keys, x: x0 + 2, y: y, style: keyStyle, maxWidth: keyWidth - 1)
                    grid.put(string: line.doc, x: x0 + 2 + keyWidth, y: y, style: theme.overlay, maxWidth: w - 4 - keyWidth)
                }
            }
        } else {
            var lines = corpus.warnings.map(\.description) + analysisWarnings
            if lines.isEmpty { lines = ["No warnings: every file loaded cleanly."] }
            let first = min(overlay.scroll, max(0, lines.count - rows))
            for r in 0..<rows where first + r < lines.count {
                grid.put(string: lines[first + r], x: x0 + 2, y: y0 + 1 + r, style: theme.overlay, maxWidth: w - 4)
            }
        }
    }

    /// Greedy word wrap for short UI strings (titles), by display width.
    func wrapPlain(_ text: String, width: Int, maxLines: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let w = DisplayWidth.glyphs(of: String(word)).reduce(0) { $0 + $1.width }
            if currentWidth > 0 && currentWidth + 1 + w > width {
                lines.append(current)
                current = ""
                currentWidth = 0
                if lines.count == maxLines { break }
            }
            if currentWidth > 0 {
                current += " "
                currentWidth += 1
            }
            current += word
            currentWidth += w
        }
        if lines.count < maxLines && !current.isEmpty { lines.append(current) }
        if lines.count == maxLines, text.split(separator: " ").count > lines.joined(separator: " ").split(separator: " ").count {
            // Mark the cut on the last line.
            var last = lines[maxLines - 1]
            while DisplayWidth.glyphs(of: last).reduce(0, { $0 + $1.width }) > width - 1, !last.isEmpty { last.removeLast() }
            lines[maxLines - 1] = last + "…"
        }
        return lines
    }
}
