/// Hand-checked quotations of the seed articles: the text between the marks, the speaker's
/// canonical name (nil when nobody is named), and a label for the utterance it belongs to
/// (quotations with one label are versions or parts of one quotation across sources; nil for one
/// seen in one article only: the parts of a split quotation within one article are not a cluster).
struct GoldQuote {
    var article: String  // article id prefix
    var text: String
    var speaker: String?
    var utterance: String?
    var nested: [String] = []
}

let quoteGold: [GoldQuote] = [
    // 000
    GoldQuote(article: "000", text: "find", speaker: "Donald Trump", utterance: "find"),
    GoldQuote(article: "000", text: "find", speaker: "Donald Trump", utterance: "find"),
    GoldQuote(article: "000", text: "The people of Georgia are angry, the people in the country are angry. And there’s nothing wrong with saying, you know, that you’ve recalculated,", speaker: "Donald Trump", utterance: "recalculated"),
    GoldQuote(article: "000", text: "rumor", speaker: "Donald Trump", utterance: nil),
    GoldQuote(article: "000", text: "shredded", speaker: "Donald Trump", utterance: nil),
    GoldQuote(article: "000", text: "All I want to do is this,", speaker: "Donald Trump", utterance: "find"),
    GoldQuote(article: "000", text: "I just want to find 11,780 votes, which is one more than we have. Because we won the state.", speaker: "Donald Trump", utterance: "find"),
    GoldQuote(article: "000", text: "wrong", speaker: "Brad Raffensperger", utterance: "wrong"),
    GoldQuote(article: "000", text: "You have a big election coming up and because of what you’ve done to the president\u{00A0}— you know, the people of Georgia know that this was a scam. Because of what you’ve done to the president, a lot of people aren’t going out to vote, and a lot of Republicans are going to vote negative, because they hate what you did to the president,", speaker: "Donald Trump", utterance: nil),
    GoldQuote(article: "000", text: "respected, really respected, if this can be straightened out before the election.", speaker: "Donald Trump", utterance: nil),
    // 001
    GoldQuote(article: "001", text: "find", speaker: "Donald Trump", utterance: "find"),
    GoldQuote(article: "001", text: "There’s nothing wrong with saying, you know, um, that you’ve recalculated.", speaker: "Donald Trump", utterance: "recalculated"),
    GoldQuote(article: "001", text: "a big risk.", speaker: "Donald Trump", utterance: "risk"),
    GoldQuote(article: "001", text: "The people of Georgia are angry, the people in the country are angry,", speaker: "Donald Trump", utterance: "recalculated"),
    GoldQuote(article: "001", text: "And there’s nothing wrong with saying, you know, um, that you’ve recalculated,", speaker: "Donald Trump", utterance: "recalculated"),
    GoldQuote(article: "001", text: "Well, Mr. President, the challenge that you have is, the data you have is wrong.", speaker: "Brad Raffensperger", utterance: "wrong"),
    GoldQuote(article: "001", text: "So look. All I want to do is this. I just want to find 11,780 votes, which is one more than we have. Because we won the state.", speaker: "Donald Trump", utterance: "find"),
    GoldQuote(article: "001", text: "unwilling, or unable, to answer questions such as the “ballots under table” scam, ballot destruction, out of state “voters”, dead voters, and more. He has no clue!", speaker: "Donald Trump", utterance: "clue", nested: ["ballots under table", "voters"]),
    GoldQuote(article: "001", text: "Respectfully, President Trump: What you’re saying is not true.", speaker: "Brad Raffensperger", utterance: "not true"),
    GoldQuote(article: "001", text: "We must count the electoral votes submitted by the states.", speaker: "House Republicans", utterance: nil),
    // 002
    GoldQuote(article: "002", text: "find 11,780 votes", speaker: "Donald Trump", utterance: "find"),
    GoldQuote(article: "002", text: "Well, Mr. President, the challenge you have is the data you have is wrong,", speaker: "Brad Raffensperger", utterance: "wrong"),
    GoldQuote(article: "002", text: "He has no idea.", speaker: "Donald Trump", utterance: "clue"),
    GoldQuote(article: "002", text: "What you say is not true. The truth will come out.", speaker: "Brad Raffensperger", utterance: "not true"),
    GoldQuote(article: "002", text: "You know what you did and you don't report it,", speaker: "Donald Trump", utterance: nil),
    GoldQuote(article: "002", text: "This is a criminal, this is a crime. And you cannot allow it. This is a great risk for you and for Ryan, your lawyer. This is a great risk.", speaker: "Donald Trump", utterance: "risk"),
    GoldQuote(article: "002", text: "We now have irrefutable evidence that a president is putting an official in his own party under pressure and threatening to get him to repeal the legal, certified number of votes of one state and fabricate another in his place,", speaker: "Bob Bauer", utterance: nil),
    GoldQuote(article: "002", text: "It captures the whole, nefarious story of Donald Trump's attack on American democracy.", speaker: "Bob Bauer", utterance: nil),
    GoldQuote(article: "002", text: "welcomed", speaker: "his chief of staff", utterance: nil),
    // 003
    GoldQuote(article: "003", text: "about Fulton County and voter fraud in Georgia.", speaker: "Donald Trump", utterance: nil),
    GoldQuote(article: "003", text: "unwilling, or unable, to answer questions such as the 'ballots under table' scam, ballot destruction, out of state 'voters', dead voters, and more.", speaker: "Donald Trump", utterance: "clue", nested: ["ballots under table", "voters"]),
    GoldQuote(article: "003", text: "has no clue.", speaker: "Donald Trump", utterance: "clue"),
    GoldQuote(article: "003", text: "Respectfully, President Trump: What you're saying is not true. The truth will come out,", speaker: "Brad Raffensperger", utterance: "not true"),
    GoldQuote(article: "003", text: "find 11,780 votes,", speaker: "Donald Trump", utterance: "find"),
    GoldQuote(article: "003", text: "there's no way I lost Georgia.", speaker: "Donald Trump", utterance: nil),
    GoldQuote(article: "003", text: "can't let that happen.", speaker: "Donald Trump", utterance: nil),
    // 004: a different call (to Governor Kemp, December 2020); nothing here joins the other seeds.
    GoldQuote(article: "004", text: "publicly called for a signature audit three times", speaker: "Brian Kemp", utterance: nil),
    GoldQuote(article: "004", text: "Georgia law prohibits the Governor from interfering in elections.", speaker: "Cody Hall", utterance: nil),
    GoldQuote(article: "004", text: "The Secretary of State, who is an elected constitutional officer, has oversight over elections that cannot be overridden by executive order,", speaker: "Cody Hall", utterance: nil),
    GoldQuote(article: "004", text: "As the Governor has said repeatedly, he will continue to follow the law and encourage the Secretary of State to take reasonable steps — including a sample audit of signatures — to restore trust and address serious issues that have been raised.", speaker: "Cody Hall", utterance: nil),
    GoldQuote(article: "004", text: "moron", speaker: "Donald Trump", utterance: nil),
    GoldQuote(article: "004", text: "nut job", speaker: "Donald Trump", utterance: nil),
    GoldQuote(article: "004", text: "ashamed", speaker: "Donald Trump", utterance: nil),
]
