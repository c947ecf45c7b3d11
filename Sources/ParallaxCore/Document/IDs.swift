import Tagged

/// Typed ids: an index into the analysis's arrays, never a string like "q1" or a sentinel like -1.
/// The labels of the JSON contract ("e1", "q1", "c1") are made from them at the edge.
public typealias EntityID = Tagged<Entity, Int>
public typealias QuoteID = Tagged<Quote, Int>
public typealias ClusterID = Tagged<QuoteCluster, Int>

extension Tagged where Tag == Entity, RawValue == Int {
    /// "e1", "e2", … as in `parallax analyze` output.
    public var label: String { "e\(rawValue + 1)" }
}

extension Tagged where Tag == Quote, RawValue == Int {
    /// "q1", "q2", …
    public var label: String { "q\(rawValue + 1)" }
}

extension Tagged where Tag == QuoteCluster, RawValue == Int {
    /// "c1", "c2", …
    public var label: String { "c\(rawValue + 1)" }
}
