#!/usr/bin/env python3
"""List a reproducible sample of PolNeAR direct quotes whose speaker is a bare pronoun.

Usage: python3 scripts/sample-pronoun-quotes.py [DATA_DIR]

DATA_DIR is the PolNeAR development split (default: ../shared/data/polnear-dev,
relative to the current directory). It holds text/NAME.txt and
attributions/NAME_ANNOTATOR.ann (brat standoff); when an article has several
annotator files, the one whose annotator id sorts first is used.

Gold direct quotes follow the benchmark rules: inside each Content (segments
joined when only whitespace or one character separates them, widened over an
adjacent quote mark), every stretch between double quote marks is one quote,
marks excluded. Straight and curly double quotes count; in New York Times
texts two apostrophes ('') also count; single marks do not. A quote left open
at a line end closes there. When several attributions yield the same span, the
one with the shortest Content segment gives the Source.

A quote is kept when its Source text, stripped and lower-cased, is one of the
bare pronouns in PRONOUNS. The kept quotes are sorted by (file name, start),
then random.Random(2016).sample(items, 120) draws the sample (all items when
there are fewer than 120); the seed 2016 is fixed so the list never changes.
The sample is sorted by (file, start) again and printed as TSV lines:
file<TAB>start<TAB>end<TAB>pronoun, where file is the text name without .txt
and start/end are code-point offsets of the text between the quote marks.
"""
import os
import random
import sys

PRONOUNS = {'he', 'she', 'they', 'it', 'i', 'we', 'you', 'him', 'her', 'his',
            'its', 'their', 'them', 'me', 'us'}
SEED = 2016
SAMPLE_SIZE = 120


def annotation_file(data_dir, name):
    """The annotator file of `name` whose annotator id sorts first."""
    adir = os.path.join(data_dir, 'attributions')
    prefix = name + '_'
    ids = sorted(f[len(prefix):-4] for f in os.listdir(adir)
                 if f.startswith(prefix) and f.endswith('.ann')
                 and '_' not in f[len(prefix):-4])
    return os.path.join(adir, prefix + ids[0] + '.ann') if ids else None


def load(data_dir, name):
    with open(os.path.join(data_dir, 'text', name + '.txt'), encoding='utf-8') as f:
        text = f.read()
    spans, events = {}, []
    path = annotation_file(data_dir, name)
    if path is None:
        return text, spans, events
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line:
                continue
            parts = line.split('\t')
            if parts[0].startswith('T') and len(parts) >= 2:
                label, _, offsets = parts[1].partition(' ')
                segs = [tuple(map(int, s.split())) for s in offsets.split(';')]
                spans[parts[0]] = (label, segs)
            elif parts[0].startswith('E') and len(parts) >= 2:
                args = dict(a.split(':', 1) for a in parts[1].split()[1:] if ':' in a)
                events.append(args)
    return text, spans, events


def mark_width(text, i, nyt):
    """Width of a double quote mark at i (0 when none)."""
    if text[i] in '"\u201c\u201d':
        return 1
    if nyt and text.startswith("''", i):
        return 2
    return 0


def gold_quotes(data_dir, name):
    """(text, [(start, end, source_text_or_None), ...]) for one article."""
    text, spans, events = load(data_dir, name)
    nyt = name.startswith('nyt')
    found = {}
    for e in events:
        if 'Content' not in e or e['Content'] not in spans:
            continue
        _, segs = spans[e['Content']]
        src = None
        if 'Source' in e and e['Source'] in spans:
            src = ' '.join(text[a:b] for a, b in spans[e['Source']][1])
        joined = []
        for a, b in sorted(segs):
            if joined and (a - joined[-1][1] <= 1 or text[joined[-1][1]:a].strip() == ''):
                joined[-1] = (joined[-1][0], max(b, joined[-1][1]))
            else:
                joined.append((a, b))
        for a, b in joined:
            if a > 0 and mark_width(text, a - 1, False):
                a -= 1
            elif nyt and a > 1 and text[a - 2:a] == "''":
                a -= 2
            if b < len(text) and mark_width(text, b, nyt):
                b += mark_width(text, b, nyt)
            i, opened = a, None
            while i < b:
                m = mark_width(text, i, nyt)
                if text[i] == '\n' and opened is not None:
                    if i > opened:
                        found.setdefault((opened, i), []).append((b - a, src))
                    opened = None
                if m:
                    if opened is None:
                        opened = i + m
                    else:
                        if i > opened:
                            found.setdefault((opened, i), []).append((b - a, src))
                        opened = None
                    i += m
                    continue
                i += 1
            if opened is not None and b > opened:
                found.setdefault((opened, b), []).append((b - a, src))
    quotes = []
    for (a, b), cands in sorted(found.items()):
        cands.sort(key=lambda x: x[0])
        quotes.append((a, b, cands[0][1]))
    return text, quotes


def main():
    data_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join('..', 'shared', 'data', 'polnear-dev')
    names = sorted(f[:-4] for f in os.listdir(os.path.join(data_dir, 'text')) if f.endswith('.txt'))
    items = []
    for name in names:
        _, quotes = gold_quotes(data_dir, name)
        for a, b, src in quotes:
            if src is not None and src.strip().lower() in PRONOUNS:
                items.append((name, a, b, src.strip().lower()))
    items.sort(key=lambda x: (x[0], x[1]))
    sample = random.Random(SEED).sample(items, min(SAMPLE_SIZE, len(items)))
    sample.sort(key=lambda x: (x[0], x[1]))
    for name, a, b, pron in sample:
        print(f'{name}\t{a}\t{b}\t{pron}')


if __name__ == '__main__':
    main()
