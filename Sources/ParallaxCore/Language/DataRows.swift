/// The rows of the bundled data files (gazetteers, language data, synonyms), read on their UTF-8
/// bytes: blank lines and `#` comment lines skipped, the rest split at `separator`. These files
/// hold some 120,000 lines read at every start, so one field buffer serves every row.
enum DataRows {
    /// Calls `body` with the byte ranges of the fields of each row, in order.
    static func forEach(_ buf: UnsafeBufferPointer<UInt8>, separator: UInt8 = 0x09, _ body: (_ fields: [Range<Int>]) -> Void) {
        var fields: [Range<Int>] = []
        fields.reserveCapacity(8)
        var i = 0
        let n = buf.count
        while i < n {
            var j = i
            while j < n && buf[j] != 0x0A { j += 1 }
            if j > i && buf[i] != 0x23 {
                fields.removeAll(keepingCapacity: true)
                var s = i
                for t in i...j where t == j || buf[t] == separator {
                    fields.append(s..<t)
                    s = t + 1
                }
                body(fields)
            }
            i = j + 1
        }
    }
}
