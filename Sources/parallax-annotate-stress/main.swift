import Foundation
import ParallaxCore

#if canImport(Glibc)
    import Glibc
#endif

// A scripted annotation session for the crash test: creates, edits, deletes and undoes
// annotations as fast as it can and prints `ack <id> <label>` after each confirmed create or
// edit, delete and undo (the store has committed it): `ack ID REVISION STATE`. The test kills it
// with SIGKILL at random moments and checks that every acknowledged revision is in the store.
// Usage: parallax-annotate-stress STORE TAG

let args = CommandLine.arguments
guard args.count == 3 else {
    FileHandle.standardError.write(Data("usage: parallax-annotate-stress STORE TAG\n".utf8))
    exit(2)
}

func say(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    bytes.withUnsafeBufferPointer { buf in
        var done = 0
        while done < buf.count {
            let n = write(1, buf.baseAddress! + done, buf.count - done)
            if n <= 0 { exit(3) }
            done += n
        }
    }
}

let text = TextBuffer(String(repeating: "The minister said the plan was fully funded; critics disagreed. ", count: 20))
do {
    let store = try AnnotationStore(path: args[1])
    let tag = args[2]
    var i = 0
    while true {
        let start = (i * 7) % (text.scalarCount - 20)
        let a = try store.create(
            AnnotationDraft(articleID: "stress", range: start..<start + 12, label: "claim", note: "\(tag) note \(i)"),
            text: text, session: tag, annotator: "stress")
        say("ack \(a.id) \(a.revision) claim")
        switch i % 4 {
        case 1:
            let e = try store.edit(id: a.id, label: "disputed", session: tag, annotator: "stress")
            say("ack \(e.id) \(e.revision) disputed")
        case 2:
            // Delete and undo the deletion: the annotation is back, as acknowledged.
            let d = try store.delete(id: a.id, session: tag, annotator: "stress")
            say("ack \(d.id) \(d.revision) deleted")
            if let u = try store.undo(session: tag, annotator: "stress") {
                say("ack \(u.id) \(u.revision) claim")
            }
        default:
            break
        }
        i += 1
    }
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
