#!/usr/bin/env python3
"""Builds the generated English language data in Sources/ParallaxCore/Resources/language/en/.

    python3 scripts/build-language-data.py            # downloads the packages, writes the files
    python3 scripts/build-language-data.py --from DIR # uses already unpacked packages in DIR

Two files are generated; the other files of that folder are written by hand (each says so):
- reporting-verbs.tsv: the reporting cue verbs below, each lemma with every inflection
  (lemminflect 0.2.3, MIT; unknown lemmas inflected by its rules).
- person-words.tsv: the one list of honorifics, titles and role nouns that stand before or for
  a person, each with the role it names ("Gov." and "governor" both name a governor) and the
  sex it implies; the curated entries below plus nameparser 2.6.0's titles (LGPL-2.1-or-later).

Adding a verb or a title is a change to the lists below and a run of this script.
"""
import os, re, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import datafiles  # noqa: E402

PACKAGES = {"lemminflect": "0.2.3", "nameparser": "2.6.0"}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Sources", "ParallaxCore", "Resources", "language", "en")

# Reporting verbs by class. speech: the verb introduces what someone said or wrote.
# naming: the verb puts a quoted label on something ("called it a “disgrace”").
# A particle after the lemma ("chime in") must follow the verb.
VERBS = {
    "speech": """
        say tell add write tweet retweet post state note argue insist claim warn explain recall suggest
        vow joke boast brag lament reiterate repeat conclude concede acknowledge admit deny imply implore
        fume gush exclaim assure reassure charge speculate ask reply respond counter retort quip muse
        declare announce predict continue complain contend maintain observe remark report reveal confirm
        stress emphasize emphasise urge caution shout yell scream whisper mutter cry promise pledge
        threaten testify inform assert allege accuse blast slam praise thank proclaim mock chant sing read
        quote cite recount reason opine agree object protest plead beg demand advise recommend propose
        wonder question interject summarize summarise hail decry denounce condemn rail rip snap scoff
        sneer tease taunt rant sigh laugh text email message blog confess disclose relate narrate clarify
        elaborate mention bemoan grumble gripe whine fret grant underscore highlight hint indicate signal
        alert forecast swear guarantee aver posit theorize theorise guess estimate inquire enquire query
        press challenge rebut refute answer echo concur pronounce comment scold lecture criticize
        criticise attack chide rebuke lambaste ridicule applaud welcome encourage write reflect recollect
        announce profess preach plead tout trumpet crow gloat sniff snarl growl bark thunder roar
        marvel rave gripe grouse carp needle jab quip wisecrack concede surmise predict warn
        instruct caution admonish remind assure vouch attest certify bash deride disparage insult belittle
        dismiss knock savage scorch skewer trash reference
        """,
    "naming": """
        call describe dub label brand term characterize characterise deem nickname liken compare
        """,
}
PHRASAL = [
    ("chime", "in"), ("point", "out"), ("go", "on"), ("lash", "out"), ("fire", "back"), ("shoot", "back"),
    ("hit", "back"), ("push", "back"), ("weigh", "in"), ("sound", "off"), ("spell", "out"), ("speak", "out"),
    ("cry", "out"), ("call", "out"), ("write", "in"), ("refer", "to"), ("put", "it"), ("sum", "up"),
    ("jump", "in"), ("cut", "in"), ("break", "in"),
]

# Honorifics, titles and roles: form, kind, role named, sex (m/f/empty).
# kind: honorific (Mr.), title (capitalised, before a name), title-plural (introduces several
# names), role (a lowercase noun that can stand for a person: "the spokesman").
PERSON_WORDS = [
    ("Mr.", "honorific", "", "m"), ("Mrs.", "honorific", "", "f"), ("Ms.", "honorific", "", "f"),
    ("Miss", "honorific", "", "f"), ("Mx.", "honorific", "", ""), ("Messrs.", "title-plural", "", "m"),
    ("Dr.", "honorific", "doctor", ""), ("Prof.", "honorific", "professor", ""), ("Rev.", "honorific", "reverend", ""),
    ("Sir", "honorific", "", "m"), ("Dame", "honorific", "", "f"), ("Lord", "title", "lord", "m"), ("Lady", "title", "lady", "f"),
    ("Secretary of State", "title", "secretary", ""), ("Attorney General", "title", "attorney general", ""),
    ("Chief of Staff", "title", "chief of staff", ""), ("Vice President", "title", "vice president", ""),
    ("President-elect", "title", "president-elect", ""), ("Vice President-elect", "title", "vice president-elect", ""),
    ("Speaker of the House", "title", "speaker", ""), ("House Speaker", "title", "speaker", ""),
    ("Majority Leader", "title", "leader", ""), ("Minority Leader", "title", "leader", ""),
    ("Prime Minister", "title", "prime minister", ""), ("Foreign Minister", "title", "minister", ""),
    ("Defense Secretary", "title", "secretary", ""), ("Press Secretary", "title", "press secretary", ""),
    ("Chief Justice", "title", "justice", ""), ("Lt. Gov.", "title", "lieutenant governor", ""),
    ("Lieutenant Governor", "title", "lieutenant governor", ""), ("Secretary-General", "title", "secretary-general", ""),
    ("Gov.", "title", "governor", ""), ("Govs.", "title-plural", "governor", ""), ("Sen.", "title", "senator", ""),
    ("Sens.", "title-plural", "senator", ""), ("Senators", "title-plural", "senator", ""), ("Rep.", "title", "representative", ""),
    ("Reps.", "title-plural", "representative", ""), ("Representative", "title", "representative", ""),
    ("Senator", "title", "senator", ""), ("Governor", "title", "governor", ""), ("Gen.", "title", "general", ""),
    ("Lt.", "title", "lieutenant", ""), ("Col.", "title", "colonel", ""), ("Capt.", "title", "captain", ""),
    ("Sgt.", "title", "sergeant", ""), ("Adm.", "title", "admiral", ""), ("Maj.", "title", "major", ""),
    ("Judge", "title", "judge", ""), ("Justice", "title", "justice", ""), ("Mayor", "title", "mayor", ""),
    ("President", "title", "president", ""), ("Secretary", "title", "secretary", ""), ("Attorney", "title", "attorney", ""),
    ("Chairman", "title", "chairman", "m"), ("Chairwoman", "title", "chairwoman", "f"), ("Commissioner", "title", "commissioner", ""),
    ("Ambassador", "title", "ambassador", ""), ("Minister", "title", "minister", ""), ("Pope", "title", "pope", "m"),
    ("Queen", "title", "queen", "f"), ("King", "title", "king", "m"), ("Prince", "title", "prince", "m"),
    ("Princess", "title", "princess", "f"), ("Chair", "title", "chair", ""), ("Chancellor", "title", "chancellor", ""),
    ("Speaker", "title", "speaker", ""), ("Premier", "title", "premier", ""), ("CEO", "title", "ceo", ""),
    ("Director", "title", "director", ""), ("Coach", "title", "coach", ""), ("Chief", "title", "chief", ""),
    ("Deputy", "title", "deputy", ""), ("Rabbi", "title", "rabbi", ""), ("Sheriff", "title", "sheriff", ""),
    ("Congressman", "title", "congressman", "m"), ("Congresswoman", "title", "congresswoman", "f"),
    ("Councilman", "title", "councilman", "m"), ("Councilwoman", "title", "councilwoman", "f"),
    ("Councilmember", "title", "councilmember", ""), ("Council Member", "title", "councilmember", ""),
    ("Assemblyman", "title", "assemblyman", "m"), ("Assemblywoman", "title", "assemblywoman", "f"),
    ("Del.", "title", "delegate", ""), ("Delegate", "title", "delegate", ""), ("Supervisor", "title", "supervisor", ""),
    ("Alderman", "title", "alderman", "m"), ("Trooper", "title", "trooper", ""), ("Officer", "title", "officer", ""),
    ("spokesman", "role", "spokesman", "m"), ("spokeswoman", "role", "spokeswoman", "f"),
    ("spokesperson", "role", "spokesperson", ""), ("lawyer", "role", "lawyer", ""), ("attorney", "role", "attorney", ""),
    ("adviser", "role", "adviser", ""), ("advisor", "role", "adviser", ""), ("aide", "role", "aide", ""),
    ("counsel", "role", "counsel", ""), ("candidate", "role", "candidate", ""), ("nominee", "role", "nominee", ""),
    ("challenger", "role", "challenger", ""), ("incumbent", "role", "incumbent", ""), ("staffer", "role", "staffer", ""),
    ("strategist", "role", "strategist", ""), ("analyst", "role", "analyst", ""), ("official", "role", "official", ""),
    ("correspondent", "role", "correspondent", ""), ("reporter", "role", "reporter", ""), ("columnist", "role", "columnist", ""),
    ("anchor", "role", "anchor", ""), ("host", "role", "host", ""), ("lawmaker", "role", "lawmaker", ""),
    ("senator", "role", "senator", ""), ("governor", "role", "governor", ""), ("congressman", "role", "congressman", "m"),
    ("congresswoman", "role", "congresswoman", "f"), ("secretary", "role", "secretary", ""), ("director", "role", "director", ""),
    ("chairman", "role", "chairman", "m"), ("chairwoman", "role", "chairwoman", "f"), ("president", "role", "president", ""),
    ("vice president", "role", "vice president", ""), ("president-elect", "role", "president-elect", ""),
    ("mayor", "role", "mayor", ""), ("judge", "role", "judge", ""), ("ceo", "role", "ceo", ""), ("founder", "role", "founder", ""),
    ("co-founder", "role", "founder", ""), ("businessman", "role", "businessman", "m"), ("businesswoman", "role", "businesswoman", "f"),
    ("activist", "role", "activist", ""), ("professor", "role", "professor", ""), ("economist", "role", "economist", ""),
    ("commissioner", "role", "commissioner", ""), ("sheriff", "role", "sheriff", ""), ("minister", "role", "minister", ""),
    ("chancellor", "role", "chancellor", ""), ("leader", "role", "leader", ""), ("speaker", "role", "speaker", ""),
    ("representative", "role", "representative", ""), ("prosecutor", "role", "prosecutor", ""), ("officer", "role", "officer", ""),
    ("chief", "role", "chief", ""), ("premier", "role", "premier", ""), ("general", "role", "general", ""),
    ("source", "role", "source", ""), ("witness", "role", "witness", ""), ("expert", "role", "expert", ""),
    ("executive", "role", "executive", ""), ("manager", "role", "manager", ""), ("organizer", "role", "organizer", ""),
    ("organiser", "role", "organizer", ""), ("narrator", "role", "narrator", ""), ("announcer", "role", "announcer", ""),
    ("moderator", "role", "moderator", ""), ("questioner", "role", "questioner", ""), ("voter", "role", "voter", ""),
    ("supporter", "role", "supporter", ""), ("critic", "role", "critic", ""), ("resident", "role", "resident", ""),
    ("protester", "role", "protester", ""), ("student", "role", "student", ""), ("teacher", "role", "teacher", ""),
    ("doctor", "role", "doctor", ""), ("physician", "role", "physician", ""), ("scientist", "role", "scientist", ""),
    ("researcher", "role", "researcher", ""), ("historian", "role", "historian", ""), ("author", "role", "author", ""),
    ("writer", "role", "writer", ""), ("editor", "role", "editor", ""), ("publisher", "role", "publisher", ""),
    ("pollster", "role", "pollster", ""), ("consultant", "role", "consultant", ""), ("operative", "role", "operative", ""),
    ("veteran", "role", "veteran", ""), ("mother", "role", "mother", "f"), ("father", "role", "father", "m"),
    ("wife", "role", "wife", "f"), ("husband", "role", "husband", "m"), ("widow", "role", "widow", "f"),
    ("son", "role", "son", "m"), ("daughter", "role", "daughter", "f"), ("brother", "role", "brother", "m"),
    ("sister", "role", "sister", "f"), ("man", "role", "man", "m"), ("woman", "role", "woman", "f"),
    ("actor", "role", "actor", "m"), ("actress", "role", "actress", "f"), ("singer", "role", "singer", ""),
    ("coach", "role", "coach", ""), ("player", "role", "player", ""), ("owner", "role", "owner", ""),
    ("employee", "role", "employee", ""), ("worker", "role", "worker", ""), ("member", "role", "member", ""),
    ("chair", "role", "chair", ""), ("deputy", "role", "deputy", ""), ("assistant", "role", "assistant", ""),
    ("ambassador", "role", "ambassador", ""), ("diplomat", "role", "diplomat", ""), ("envoy", "role", "envoy", ""),
    ("head", "role", "head", ""), ("boss", "role", "boss", ""), ("partner", "role", "partner", ""),
    ("friend", "role", "friend", ""), ("neighbor", "role", "neighbor", ""), ("neighbour", "role", "neighbor", ""),
    ("person", "role", "person", ""), ("people", "role", "people", ""), ("officials", "role", "official", ""),
    ("sources", "role", "source", ""), ("aides", "role", "aide", ""), ("lawmakers", "role", "lawmaker", ""),
    ("advisers", "role", "adviser", ""), ("experts", "role", "expert", ""), ("analysts", "role", "analyst", ""),
    ("critics", "role", "critic", ""), ("supporters", "role", "supporter", ""), ("voters", "role", "voter", ""),
    ("residents", "role", "resident", ""), ("protesters", "role", "protester", ""), ("demonstrators", "role", "demonstrator", ""),
    ("officers", "role", "officer", ""), ("prosecutors", "role", "prosecutor", ""), ("investigators", "role", "investigator", ""),
    ("investigator", "role", "investigator", ""), ("police", "role", "police", ""), ("democrats", "role", "democrat", ""),
    ("republicans", "role", "republican", ""),
]
# Adjectives and group words that nameparser chains ("federal", "national", "air"): alone they do
# not announce a person.
TITLE_EXCLUDE = set("""
her his me most first high national federal foreign grand group field flag law police military army navy
intelligence information business credit customs district division family kingdom knowledge computer film
opera ballet blues model host legal political private pro prime principal marketing mathematics analytics
english british discovery docket excellent met mystery civil classical corporate criminal designated
executive financial flying hereditary judicial literary metropolitan municipal operating petty presiding
biblical behavioral blessed appellate award-winning air bench banner bearer charge count canon cardinal
chair chairs member heir king's 1st 2nd 3rd 4th 5th 6th 7th 8th 9th 10th ab bg mg pd po1 po2 po3 msg dir
assoc exec fr hr mag maid master player pioneer printer prior pilot critic collector delegate expert
comic celebrity personality baseball coach leader manager owner chief deputy assistant associate
""".split())


def fetch(workdir):
    return datafiles.fetch(workdir, PACKAGES)


def write(name, header, lines):
    datafiles.write(OUT, name, header, lines)


def inflections(lemma):
    import lemminflect
    forms = lemminflect.getAllInflections(lemma, upos="VERB") or lemminflect.getAllInflectionsOOV(lemma, upos="VERB")
    out = {lemma}
    for tag in ("VB", "VBP", "VBZ", "VBD", "VBN", "VBG"):
        out.update(forms.get(tag, ()))
    return sorted(out)


def verbs():
    lines, seen = [], set()
    for cls, words in VERBS.items():
        for lemma in words.split():
            if (lemma, "") in seen:
                continue
            seen.add((lemma, ""))
            lines.append(f"{lemma}\t{cls}\t\t{' '.join(inflections(lemma))}")
    for lemma, particle in PHRASAL:
        lines.append(f"{lemma}\tspeech\t{particle}\t{' '.join(inflections(lemma))}")
    write("reporting-verbs.tsv", [
        "Reporting verbs: lemma<TAB>class<TAB>particle<TAB>every inflection, space-separated.",
        "class speech: introduces what someone said or wrote; naming: puts a quoted label on something.",
        "A particle, when given, must follow the verb (\"chime in\"). Generated by scripts/build-language-data.py",
        "(inflections from lemminflect 0.2.3, MIT); edit the lists in that script, not this file.",
    ], lines)


def person_words(x):
    sys.path.insert(0, x)
    from nameparser.config import titles as t  # noqa: E402
    out, seen = [], set()
    for form, kind, role, sex in PERSON_WORDS:
        out.append(f"{form}\t{kind}\t{role}\t{sex}")
        seen.add(form.lower().rstrip("."))
    for w in sorted(t.TITLES):
        if w in TITLE_EXCLUDE or w.rstrip(".") in seen or not re.match(r"^[a-z][a-z\-]+$", w) or len(w) < 3:
            continue
        out.append(f"{w}\trole\t{w}\t")
    write("person-words.tsv", [
        "Honorifics, titles and role nouns that stand before or for a person: the one list.",
        "form<TAB>kind<TAB>role it names<TAB>sex it implies (m, f or empty)",
        "kind honorific: Mr., Ms.; title: capitalised, before a name; title-plural: introduces several names;",
        "role: a lowercase noun that can stand for a person (\"the spokesman\").",
        "Generated by scripts/build-language-data.py: curated entries, then nameparser 2.6.0's titles (LGPL-2.1-or-later).",
    ], out)


def main():
    os.makedirs(OUT, exist_ok=True)
    if len(sys.argv) == 3 and sys.argv[1] == "--from":
        x = sys.argv[2]
    else:
        tmp = tempfile.mkdtemp()
        x = fetch(tmp)
    sys.path.insert(0, x)
    verbs()
    person_words(x)


if __name__ == "__main__":
    main()
