import Foundation
import TOMLKit

/// The user's configuration, `$XDG_CONFIG_HOME/parallax/config.toml` (default `~/.config/...`):
///
/// ```toml
/// theme = "auto"            # auto | 256 | 16 | mono
/// [keys]
/// "<C-j>" = "scroll-down"   # bind a key (or sequence) to any command
/// "s" = "none"              # unbind
/// ```
/// A bad file is an error with its line number; the reader never starts half-configured.
public struct Config: Sendable {
    public var theme: ColorTier?
    public var keymap: Keymap
    /// `[annotation] annotator = "name"`: the default annotator of `parallax annotate`.
    public var annotator: String?
    /// `[annotation] labels = ["claim", ...]`: the label set of the annotate form.
    public var labels: [String]?

    public init(theme: ColorTier? = nil, keymap: Keymap = .defaults) {
        self.theme = theme
        self.keymap = keymap
    }

    public struct Error: Swift.Error, CustomStringConvertible, Equatable {
        public let path: String
        public let line: Int?
        public let message: String
        public var description: String {
            "parallax: \(path)\(line.map { ":\($0)" } ?? ""): \(message)"
        }
    }

    /// Largest config file read.
    public static let maxSize = 1 << 20

    /// A value quoted in an error message, cut to a readable length.
    static func shown(_ value: String) -> String {
        value.count <= 60 ? value : String(value.prefix(60)) + "…"
    }

    /// Where the config lives for this environment.
    public static func defaultPath(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            return xdg + "/parallax/config.toml"
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.config/parallax/config.toml"
    }

    /// Loads the file if it exists (a missing default file is no error).
    public static func load(path: String, required: Bool) throws(Config.Error) -> Config {
        guard FileManager.default.fileExists(atPath: path) else {
            if required { throw Error(path: path, line: nil, message: "no such file") }
            return Config()
        }
        // A config is a few lines: anything else (a FIFO, a device, megabytes) is refused before
        // it is read, instead of blocking or parsing for seconds.
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let type = attributes?[.type] as? FileAttributeType, type != .typeRegular {
            throw Error(path: path, line: nil, message: "not a regular file")
        }
        if let size = (attributes?[.size] as? NSNumber)?.intValue, size > maxSize {
            throw Error(path: path, line: nil, message: "larger than \(maxSize >> 10) KB: not a config file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Error(path: path, line: nil, message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Error(path: path, line: nil, message: "not valid UTF-8")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws(Config.Error) -> Config {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw Error(path: path, line: e.source.begin.line, message: e.description)
        } catch {
            throw Error(path: path, line: nil, message: "\(error)")
        }
        let lines = text.components(separatedBy: "\n")
        // The line that defines `key`, for errors about values (TOML parsing itself succeeded).
        func line(of key: String) -> Int? {
            let quoted = ["\"\(key)\"", "'\(key)'", key]
            for (i, raw) in lines.enumerated() {
                let l = raw.trimmingCharacters(in: .whitespaces)
                for q in quoted where l.hasPrefix(q) {
                    let rest = l.dropFirst(q.count).trimmingCharacters(in: .whitespaces)
                    if rest.hasPrefix("=") { return i + 1 }
                }
            }
            return nil
        }
        var config = Config()
        for key in table.keys {
            switch key {
            case "theme":
                guard let value = table["theme"]?.string else {
                    throw Error(path: path, line: line(of: key), message: "theme must be a string: auto, 256, 16 or mono")
                }
                switch value {
                case "auto": config.theme = nil
                case "256", "color256": config.theme = .color256
                case "16", "color16": config.theme = .color16
                case "mono", "monochrome", "none": config.theme = .monochrome
                default:
                    throw Error(path: path, line: line(of: key), message: "unknown theme '\(shown(value))' (auto, 256, 16 or mono)")
                }
            case "keys":
                guard let keys = table["keys"]?.table else {
                    throw Error(path: path, line: line(of: key), message: "[keys] must be a table of key = \"command\"")
                }
                for notation in keys.keys.sorted() {
                    guard let name = keys[notation]?.string else {
                        throw Error(path: path, line: line(of: notation), message: "the value for \(shown(notation)) must be a command name in quotes")
                    }
                    let sequence: [Key]
                    do {
                        sequence = try Key.parseSequence(notation)
                    } catch {
                        throw Error(path: path, line: line(of: notation), message: "\(error.message) in \"\(shown(notation))\"")
                    }
                    if name == "none" || name.isEmpty {
                        config.keymap.bind(sequence, to: nil)
                        continue
                    }
                    guard let command = Command.named(name) else {
                        throw Error(path: path, line: line(of: notation), message: "unknown command '\(shown(name))' (see `parallax --list-commands`)")
                    }
                    config.keymap.bind(sequence, to: command)
                }
            case "annotation":
                let at = lines.firstIndex { $0.contains("[annotation]") }.map { $0 + 1 }
                guard let t = table["annotation"]?.table else {
                    throw Error(path: path, line: at, message: "[annotation] must be a table: annotator = \"name\", labels = [\"claim\", …]")
                }
                for k in t.keys {
                    switch k {
                    case "annotator":
                        guard let name = t[k]?.string, !name.isEmpty else {
                            throw Error(path: path, line: line(of: k), message: "annotator must be a non-empty string")
                        }
                        config.annotator = name
                    case "labels":
                        guard let array = t[k]?.array else {
                            throw Error(path: path, line: line(of: k), message: "labels must be a list of strings")
                        }
                        var labels: [String] = []
                        for value in array {
                            guard let label = value.string, !label.isEmpty else {
                                throw Error(path: path, line: line(of: k), message: "labels must be a list of non-empty strings")
                            }
                            labels.append(label)
                        }
                        guard !labels.isEmpty else { throw Error(path: path, line: line(of: k), message: "labels must not be empty") }
                        config.labels = labels
                    default:
                        throw Error(path: path, line: line(of: k) ?? at, message: "unknown annotation setting '\(shown(k))' (known: annotator, labels)")
                    }
                }
            default:
                throw Error(path: path, line: line(of: key) ?? lines.firstIndex { $0.contains("[\(key)]") }.map { $0 + 1 },
                            message: "unknown setting '\(shown(key))' (known: theme, [keys], [annotation])")
            }
        }
        return config
    }
}
