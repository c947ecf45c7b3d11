/// Hand-made gold entities of the five seed articles, read from the visible text (headlines
/// included, related-link junk excluded). Each entity lists, per article (by id prefix), the surface
/// forms that refer to it there. Titles are not part of names; possessives are dropped.
/// DATE entities are listed per surface form; percentages and spelled-out numbers are not listed.
struct GoldEntity: Codable, Equatable {
    let name: String
    let type: String
    let aliases: [String: [String]]
}

enum EntityGold {
    static func e(_ name: String, _ type: String, _ aliases: [String: [String]]) -> GoldEntity {
        GoldEntity(name: name, type: type, aliases: aliases)
    }

    static let seeds: [GoldEntity] = [
        // PERSON
        e("Donald Trump", "PERSON", ["000": ["Trump"], "001": ["Trump"], "002": ["Trump", "Donald Trump"], "003": ["Donald Trump", "Trump"], "004": ["Donald Trump", "Trump"]]),
        e("Joe Biden", "PERSON", ["000": ["Joe Biden", "Biden"], "001": ["Joe Biden", "Biden"], "002": ["Joe Biden", "Biden"], "003": ["Joe Biden", "Biden"], "004": ["Joe Biden", "Biden"]]),
        e("Brad Raffensperger", "PERSON", ["000": ["Brad Raffensperger", "Raffensperger"], "001": ["Brad Raffensperger", "Raffensperger"], "002": ["Brad Raffensperger", "Raffensperger", "Raffensberger"], "003": ["Brad Raffensperger", "Raffensperger"], "004": ["Brad Raffensperger", "Raffensperger"]]),
        e("Kelly Loeffler", "PERSON", ["000": ["Kelly Loeffler"], "004": ["Kelly Loeffler", "Loeffler"]]),
        e("David Perdue", "PERSON", ["000": ["David Perdue"], "004": ["David Perdue"]]),
        e("Brian Kemp", "PERSON", ["000": ["Brian Kemp", "Kemp"], "002": ["Brian Kemp", "Kemp"], "004": ["Brian Kemp", "Kemp"]]),
        e("Rudy Giuliani", "PERSON", ["000": ["Rudy Giuliani"]]),
        e("Mark Meadows", "PERSON", ["001": ["Mark Meadows", "Meadows"]]),
        e("Cleta Mitchell", "PERSON", ["001": ["Cleta Mitchell"]]),
        e("Ryan Germany", "PERSON", ["002": ["Ryan Germany", "Ryan"]]),
        e("Bob Bauer", "PERSON", ["002": ["Bob Bauer", "Bauer"]]),
        e("Bill Clinton", "PERSON", ["002": ["Bill Clinton"]]),
        e("Ted Cruz", "PERSON", ["002": ["Ted Cruz"]]),
        e("Mike Pence", "PERSON", ["002": ["Mike Pence"]]),
        e("Mitt Romney", "PERSON", ["002": ["Mitt Romney"]]),
        e("Cody Hall", "PERSON", ["004": ["Cody Hall", "Hall"]]),
        e("Harrison Deal", "PERSON", ["004": ["Harrison Deal"]]),
        // GPE
        e("Georgia", "GPE", ["000": ["Georgia"], "001": ["Georgia"], "002": ["Georgia"], "003": ["Georgia"], "004": ["Georgia"]]),
        e("Fulton County", "GPE", ["000": ["Fulton County"], "003": ["Fulton County"]]),
        e("Atlanta", "GPE", ["000": ["Atlanta"]]),
        e("Cobb County", "GPE", ["001": ["Cobb County"]]),
        e("Texas", "GPE", ["002": ["Texas"]]),
        e("Utah", "GPE", ["002": ["Utah"]]),
        e("Washington", "GPE", ["002": ["Washington"]]),
        e("Moscow", "GPE", ["003": ["MOSCOW"]]),
        e("United States", "GPE", ["003": ["US"]]),
        e("Valdosta", "GPE", ["004": ["Valdosta"]]),
        e("Peach State", "GPE", ["004": ["Peach State"]]),
        // ORG
        e("The Washington Post", "ORG", ["000": ["The Washington Post", "Post"], "001": ["The Washington Post"], "002": ["Washington Post"], "003": ["The Washington Post"], "004": ["The Washington Post"]]),
        e("GOP", "ORG", ["000": ["GOP"], "004": ["GOP"]]),
        e("Twitter", "ORG", ["000": ["Twitter"], "001": ["Twitter"], "002": ["Twitter"], "003": ["Twitter"]]),
        e("White House", "ORG", ["001": ["White House"], "002": ["White House"], "004": ["White House"]]),
        e("Georgia Bureau of Investigation", "ORG", ["001": ["Georgia Bureau of Investigation"]]),
        e("Electoral College", "ORG", ["001": ["Electoral College"]]),
        e("Congress", "ORG", ["001": ["Congress"], "004": ["Congress"]]),
        e("Senate", "ORG", ["001": ["Senate"], "002": ["Senate"], "004": ["Senate"]]),
        e("House", "ORG", ["001": ["House"], "002": ["House"]]),
        e("NBC News", "ORG", ["002": ["NBC News"]]),
        e("Audio News", "ORG", ["002": ["Audio News"]]),
        e("Dominion", "ORG", ["002": ["Dominion"]]),
        e("CNBC", "ORG", ["002": ["CNBC"]]),
        e("UrduPoint News", "ORG", ["003": ["UrduPoint News"]]),
        e("Sputnik", "ORG", ["003": ["Sputnik"]]),
        e("CNN", "ORG", ["004": ["CNN"]]),
        e("Fox News", "ORG", ["004": ["Fox News"]]),
        // NORP
        e("Republican", "NORP", ["000": ["Republicans", "Republican"], "001": ["Republican", "Republicans"], "002": ["Republican", "Republicans"], "003": ["Republican"], "004": ["Republican", "Republicans"]]),
        e("Democrat", "NORP", ["000": ["Democratic"], "001": ["Democrat"], "002": ["Democratic"], "003": ["Democrat"], "004": ["Democratic"]]),
        e("American", "NORP", ["002": ["American"]]),
        e("Georgian", "NORP", ["002": ["Georgian"]]),
        // DATE (per surface form)
        e("Saturday", "DATE", ["000": ["Saturday"], "002": ["Saturday"], "003": ["Saturday"], "004": ["Saturday"]]),
        e("Saturday night", "DATE", ["001": ["Saturday night"], "004": ["Saturday night"]]),
        e("Sunday", "DATE", ["000": ["Sunday"], "001": ["Sunday"], "002": ["Sunday"], "003": ["Sunday"]]),
        e("Sunday morning", "DATE", ["002": ["Sunday morning"]]),
        e("2020", "DATE", ["000": ["2020"], "001": ["2020"], "004": ["2020"]]),
        e("Jan. 6", "DATE", ["001": ["Jan. 6"]]),
        e("Tuesday", "DATE", ["001": ["Tuesday"]]),
        e("this weekend", "DATE", ["002": ["this weekend"]]),
        e("November", "DATE", ["002": ["November"], "003": ["November"]]),
        e("Monday", "DATE", ["002": ["Monday"]]),
        e("1992", "DATE", ["002": ["1992"]]),
        e("November 20th", "DATE", ["002": ["November 20th"]]),
        e("Wednesday", "DATE", ["002": ["Wednesday"]]),
        e("04th January, 2021", "DATE", ["003": ["04th January, 2021"]]),
        e("November 3", "DATE", ["003": ["November 3"]]),
        e("January 20", "DATE", ["003": ["January 20"]]),
        e("earlier this week", "DATE", ["004": ["earlier this week"]]),
        e("January", "DATE", ["004": ["January"]]),
        e("November 20", "DATE", ["004": ["November 20"]]),
        // CARDINAL
        e("11.7k", "CARDINAL", ["000": ["11.7k"]]),
        e("11,000", "CARDINAL", ["000": ["11,000"]]),
        e("11,780", "CARDINAL", ["000": ["11,780"], "001": ["11,780"], "002": ["11,780"], "003": ["11,780"]]),
        e("11,779", "CARDINAL", ["001": ["11,779"]]),
        e("50", "CARDINAL", ["001": ["50"]]),
        e("11", "CARDINAL", ["002": ["11"]]),
        e("16", "CARDINAL", ["003": ["16"]]),
        e("12,000", "CARDINAL", ["004": ["12,000"]]),
        e("5 million", "CARDINAL", ["004": ["5 million"]]),
    ]
}
