import Foundation

/// How a corpus is loaded.
public struct LoadOptions: Sendable, Equatable {
    /// Walk into hidden files and folders (names starting with `.`, such as `.git` and `.parallax`).
    public var includeHidden: Bool
    /// Apply `manifest.json` from the corpus folder (or from the folder of a file named explicitly).
    public var useManifest: Bool
    /// Put related-link junk (see `RelatedLinkJunk`) into `Article.hiddenRanges`.
    public var hideRelatedLinkJunk: Bool

    public init(includeHidden: Bool = false, useManifest: Bool = true, hideRelatedLinkJunk: Bool = true) {
        self.includeHidden = includeHidden
        self.useManifest = useManifest
        self.hideRelatedLinkJunk = hideRelatedLinkJunk
    }
}

public enum CorpusLoader {
    /// Loads files and folders (folders recursively, sorted by path, hidden files/dirs like .parallax and .git skipped).
    ///
    /// Inside folders only known extensions are read (`.txt`, `.md`, `.markdown`, `.json`,
    /// `.jsonl`, `.ndjson`); a file named explicitly with another extension is read as plain text.
    /// Files that cannot be used are skipped with a warning in `Corpus.warnings`; a missing path,
    /// a folder without any article, or nothing loadable at all, is an error (`CorpusError`
    /// with a one-line message).
    public static func load(paths: [String], options: LoadOptions = .init()) throws(CorpusError) -> Corpus {
        guard !paths.isEmpty else { throw CorpusError("parallax: no files or folders given") }
        var kinds: [(path: String, isDirectory: Bool)] = []
        for path in paths {
            guard let type = FileBytes.fileType(path) else {
                throw CorpusError("parallax: no such file or directory: \(oneLine(path))")
            }
            kinds.append((path, type == S_IFDIR))
        }

        var state = LoadState(options: options)
        for (path, isDirectory) in kinds {
            if isDirectory {
                let articlesBefore = state.articles.count
                let warningsBefore = state.warnings.count
                let files = state.walk(folder: path)
                for file in files {
                    state.loadFile(path: file.path, explicit: false, manifests: file.manifests)
                }
                // A folder named on the command line must hold at least one article.
                if state.articles.count == articlesBefore {
                    let folderWarnings = state.warnings[warningsBefore...]
                    throw noArticles(in: path, warnings: Array(folderWarnings))
                }
            } else {
                let manifests = options.useManifest ? state.manifest(inFolder: parentFolder(of: path)).map { [$0] } ?? [] : []
                state.loadFile(path: path, explicit: true, manifests: manifests)
            }
        }

        guard !state.articles.isEmpty else {
            throw noArticles(in: paths.count == 1 ? paths[0] : nil, warnings: state.warnings)
        }
        let root = kinds.count == 1 && kinds[0].isDirectory ? kinds[0].path : nil
        return Corpus(articles: state.articles, warnings: state.warnings, root: root, annotationLabels: state.labels)
    }

    /// The seeds bundled in the binary (Bundle.module resources, Sources/ParallaxCore/Resources/seeds/, already in place) with the bundled manifest.
    ///
    /// Articles get the format `.builtIn` and the path `builtin:FILE`.
    /// What `parallax` opens: the given paths; with none, `./corpus` if present, else the seeds
    /// built into the binary (so it works from any folder).
    public static func loadDefault(paths: [String]) throws(CorpusError) -> Corpus {
        if !paths.isEmpty { return try load(paths: paths) }
        if FileManager.default.fileExists(atPath: "corpus") { return try load(paths: ["corpus"]) }
        return try loadBuiltIn()
    }

    public static func loadBuiltIn() throws(CorpusError) -> Corpus {
        guard let seeds = Bundle.module.url(forResource: "seeds", withExtension: nil) else {
            throw CorpusError("parallax: the built-in corpus is missing from this build")
        }
        var state = LoadState(options: LoadOptions())
        var manifests: [CorpusManifest] = []
        if let url = Bundle.module.url(forResource: "manifest", withExtension: "json"),
            let manifest = state.readManifest(path: url.path)
        {
            manifests.append(manifest)
        }
        let files = state.walk(folder: seeds.path)
        for file in files {
            let name = PathName.last(file.path)
            state.loadFile(
                path: file.path, explicit: false, manifests: manifests,
                builtIn: "builtin:\(name)")
        }
        guard !state.articles.isEmpty else {
            throw CorpusError("parallax: the built-in corpus is empty")
        }
        return Corpus(articles: state.articles, warnings: state.warnings, root: nil, annotationLabels: manifests.lazy.compactMap(\.labels).first)
    }

    /// Builds an article from text that is already decoded, for formats whose text is the whole file.
    /// Exposed for tools and tests that make articles in memory.
    public static func plainTextArticle(
        id: String, path: String, text: TextBuffer, options: LoadOptions = .init()
    ) -> Article {
        let head = PlainTextFormat.parseHead(text.bytes)
        return makeArticle(
            id: id, path: path, format: .plainText, metadata: head.metadata, text: text,
            bodyStartByte: head.bodyStartByte, headlineBytes: head.headlineBytes, warnings: [], options: options)
    }

    // MARK: - Internals

    /// "no articles found in PATH", with the reason when a single warning explains it.
    static func noArticles(in path: String?, warnings: [LoadWarning]) -> CorpusError {
        var message = "parallax: no articles found in \(path.map(oneLine) ?? "the given paths")"
        if warnings.count == 1 { message += " (\(warnings[0].message))" }
        return CorpusError(message)
    }

    static let knownExtensions: [String: ArticleFormat] = [
        "txt": .plainText, "text": .plainText,
        "md": .markdown, "markdown": .markdown,
        "json": .json,
        "jsonl": .jsonLines, "ndjson": .jsonLines,
    ]

    static func makeArticle(
        id: String, path: String, format: ArticleFormat, metadata: ArticleMetadata, text: TextBuffer,
        bodyStartByte: Int, headlineBytes: Range<Int>? = nil, warnings: [LoadWarning], options: LoadOptions
    ) -> Article {
        let bodyStart = text.scalarOffset(ofByte: bodyStartByte)
        let headline = headlineBytes.map { text.scalarOffset(ofByte: $0.lowerBound)..<text.scalarOffset(ofByte: $0.upperBound) }
        var hidden: [Range<Int>] = []
        if TextScanning.bomLength(text.bytes) == 3 { hidden.append(0..<1) }
        if options.hideRelatedLinkJunk {
            hidden += RelatedLinkJunk.ranges(in: text, range: bodyStart..<text.scalarCount)
        }
        hidden = TextScanning.merged(hidden)
        let words = TextScanning.wordCount(text, range: bodyStart..<text.scalarCount, hidden: hidden)
        return Article(
            id: id, path: path, format: format, metadata: metadata, text: text, bodyStart: bodyStart,
            headlineRange: headline, hiddenRanges: hidden, warnings: warnings, wordCount: words)
    }

    static func parentFolder(of path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }

    /// A path or message on one line (control characters shown as `?`).
    static func oneLine(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
    }

    /// The state of one load: articles and warnings so far, ids in use, manifests read.
    struct LoadState {
        let options: LoadOptions
        var articles: [Article] = []
        var warnings: [LoadWarning] = []
        var usedIds: Set<String> = []
        var loadedPaths: Set<String> = []
        /// The walked folder with links resolved, and whether the file cap was reached.
        var walkRoot = ""
        var tooManyFiles = false
        let currentDirectory = FileManager.default.currentDirectoryPath
        var manifestCache: [String: CorpusManifest?] = [:]
        /// The label set of the first manifest read that names one (the outermost folder's).
        var labels: [String]?

        init(options: LoadOptions) {
            self.options = options
        }

        struct FoundFile {
            let path: String
            /// Manifests from the outermost folder inward; later ones win.
            let manifests: [CorpusManifest]
        }

        // MARK: Walking

        /// Most files one folder walk collects (README, "Input formats"); the rest are skipped
        /// with one warning.
        static let maxFiles = 100_000

        /// Files under `folder` with a known extension, sorted by path (byte order).
        mutating func walk(folder: String) -> [FoundFile] {
            var found: [FoundFile] = []
            var visited: Set<String> = []
            walkRoot = RawPaths.resolved(folder) ?? folder
            walk(folder, manifests: [], visited: &visited, into: &found)
            found.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
            return found
        }

        private mutating func walk(
            _ folder: String, manifests: [CorpusManifest], visited: inout Set<String>, into found: inout [FoundFile]
        ) {
            let real = RawPaths.resolved(folder) ?? folder
            guard visited.insert(real).inserted else { return }  // a symlink loop
            // Names as bytes: one that is not UTF-8 still names its file (`RawPaths`).
            guard let rawNames = RawPaths.names(inFolder: folder) else {
                warn(folder, "cannot read folder")
                return
            }
            var chain = manifests
            if options.useManifest, let manifest = manifest(inFolder: folder) {
                chain.append(manifest)
            }
            for rawName in rawNames.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                if rawName.first == 0x2E && !options.includeHidden { continue }
                let name = RawPaths.name(rawName)
                let path = RawPaths.child(of: folder, name: rawName)
                guard let type = FileBytes.fileType(path) else {
                    // A dangling link that names an article file: say so rather than drop it silently.
                    if CorpusLoader.knownExtensions[Self.extensionOf(path)] != nil {
                        warn(path, "cannot read file: broken link")
                    }
                    continue
                }
                if type == S_IFDIR {
                    // A link to a folder that holds this walk ("/", "..") would leave the folder.
                    if FileBytes.isSymlink(path) {
                        let target = RawPaths.resolved(path) ?? path
                        if target == "/" || walkRoot == target || walkRoot.hasPrefix(target.hasSuffix("/") ? target : target + "/") {
                            warn(path, "link to a folder that contains this one: not followed")
                            continue
                        }
                    }
                    walk(path, manifests: chain, visited: &visited, into: &found)
                } else if let kind = FileBytes.specialKind(type) {
                    warn(path, "\(kind), not a regular file: skipped")
                } else if name == CorpusManifest.fileName {
                    continue  // the manifest describes articles, it is not one
                } else if CorpusLoader.knownExtensions[Self.extensionOf(path)] != nil {
                    if found.count >= Self.maxFiles {
                        if !tooManyFiles { warn(folder, "more than \(Self.maxFiles) article files: the rest are skipped") }
                        tooManyFiles = true
                        return
                    }
                    found.append(FoundFile(path: path, manifests: chain))
                }
            }
        }

        static func extensionOf(_ path: String) -> String {
            PathName.ext(path).lowercased()
        }

        // MARK: Manifests

        mutating func manifest(inFolder folder: String) -> CorpusManifest? {
            let file = RawPaths.child(of: folder, name: Array(CorpusManifest.fileName.utf8))
            if let cached = manifestCache[file] { return cached }
            let manifest = FileBytes.fileType(file) != nil ? readManifest(path: file) : nil
            manifestCache[file] = .some(manifest)
            return manifest
        }

        mutating func readManifest(path: String) -> CorpusManifest? {
            do {
                let bytes = try FileBytes.read(path: path)
                let manifest = try CorpusManifest.parse(bytes)
                if labels == nil { labels = manifest.labels }
                return manifest
            } catch let error as FileBytes.ReadError {
                warn(path, "cannot read manifest: \(error.message)")
            } catch let error as CorpusManifest.Invalid {
                warn(path, "invalid manifest (\(error.message)), ignored")
            } catch {
                warn(path, "invalid manifest, ignored")
            }
            return nil
        }

        // MARK: Files

        mutating func warn(_ path: String, _ message: String) {
            warnings.append(LoadWarning(path: path, message: CorpusLoader.oneLine(message)))
        }

        /// Loads one file; problems become warnings. `builtIn` is the display path of a bundled seed.
        mutating func loadFile(path: String, explicit: Bool, manifests: [CorpusManifest], builtIn: String? = nil) {
            let shownPath = builtIn ?? path
            let standardized = PathName.standardized(path, in: currentDirectory)
            guard loadedPaths.insert(standardized).inserted else { return }  // named twice

            if explicit && PathName.last(path) == CorpusManifest.fileName {
                warn(shownPath, "corpus manifest, not an article: skipped")
                return
            }
            var format = CorpusLoader.knownExtensions[Self.extensionOf(path)] ?? .plainText
            if builtIn != nil { format = .builtIn }

            let raw: [UInt8]
            do {
                raw = try FileBytes.read(path: path)
            } catch {
                warn(shownPath, "cannot read file: \(error.message)")
                return
            }
            switch FileBytes.classify(raw) {
            case .binary:
                warn(shownPath, "binary file, skipped")
                return
            case .utf16:
                warn(shownPath, "UTF-16 text, skipped (only UTF-8 is read)")
                return
            case .empty:
                warn(shownPath, "empty file")
                return
            case .text:
                break
            }

            let decoded = UTF8Decoding.decode(raw)
            var fileWarnings: [LoadWarning] = []
            if decoded.invalidSequences > 0 {
                let n = decoded.invalidSequences
                let w = LoadWarning(
                    path: shownPath,
                    message: "invalid UTF-8 (\(n) sequence\(n == 1 ? "" : "s") shown as \u{FFFD})")
                warnings.append(w)
                fileWarnings.append(w)
            }
            let baseId = PathName.stem(path)
            let text = decoded.buffer

            switch format {
            case .plainText, .builtIn:
                let head = PlainTextFormat.parseHead(text.bytes)
                add(
                    id: baseId, path: shownPath, format: format, metadata: head.metadata, text: text,
                    bodyStartByte: head.bodyStartByte, headlineBytes: head.headlineBytes, warnings: fileWarnings,
                    manifests: manifests)
            case .markdown:
                let head = MarkdownFormat.parseHead(text.bytes)
                for message in head.warnings {
                    let w = LoadWarning(path: shownPath, message: message)
                    warnings.append(w)
                    fileWarnings.append(w)
                }
                add(
                    id: baseId, path: shownPath, format: format, metadata: head.metadata, text: text,
                    bodyStartByte: head.bodyStartByte, warnings: fileWarnings, manifests: manifests)
            case .json, .jsonLines:
                let result = format == .json ? JSONFormat.parseDocument(text.bytes) : JSONFormat.parseLines(text.bytes)
                for message in result.warnings { warn(shownPath, message) }
                // JSON Lines records are always numbered; a JSON array only when it holds several.
                let numbered = format == .jsonLines || result.recordCount > 1
                for record in result.records {
                    let id = numbered ? "\(baseId)#\(record.number)" : baseId
                    add(
                        id: id, path: shownPath, format: format, metadata: record.metadata,
                        text: TextBuffer(record.text), bodyStartByte: 0, warnings: fileWarnings,
                        manifests: manifests)
                }
                if result.records.isEmpty && result.warnings.isEmpty {
                    warn(shownPath, "no articles in this file")
                }
            }
        }

        private mutating func add(
            id proposed: String, path: String, format: ArticleFormat, metadata: ArticleMetadata, text: TextBuffer,
            bodyStartByte: Int, headlineBytes: Range<Int>? = nil, warnings articleWarnings: [LoadWarning],
            manifests: [CorpusManifest]
        ) {
            var id = proposed
            if usedIds.contains(id) {
                var k = 2
                while usedIds.contains("\(proposed)~\(k)") { k += 1 }
                id = "\(proposed)~\(k)"
                warn(path, "article id \(proposed) already used, this one is \(id)")
            }
            usedIds.insert(id)
            var meta = metadata
            for manifest in manifests { meta = manifest.apply(to: meta, id: id) }
            articles.append(
                CorpusLoader.makeArticle(
                    id: id, path: path, format: format, metadata: meta, text: text,
                    bodyStartByte: bodyStartByte, headlineBytes: headlineBytes, warnings: articleWarnings, options: options))
        }
    }
}
