#!/usr/bin/env python3
"""Generates a synthetic news corpus from the seed articles for the entity benchmark.

    python3 scripts/make-synthetic-corpus.py [OUT_DIR] [MEGABYTES]

Defaults: .bench-out/synthetic, 12 MB. Each article (about 40 KB) is built from the seeds'
paragraphs with their sentences shuffled and person names, places and organisations swapped
for others, so names, titles, dates and numbers keep realistic shapes. Deterministic (seeded).
"""
import os, random, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "corpus")
FIRST = ["Maria", "James", "Aisha", "Tomas", "Linda", "Kenji", "Olga", "Samuel", "Grace", "Victor", "Nadia", "Robert"]
LAST = ["Okafor", "Lindqvist", "Moreau", "Castellano", "Whitfield", "Nakamura", "Petrov", "Haldane", "Brennan",
        "Ostrowski", "Delacroix", "Fairbanks", "Raffensperger", "Kemp", "Biden", "Trump"]
PLACES = ["Georgia", "Ohio", "Arizona", "Nevada", "Michigan", "Wisconsin", "Moscow", "Atlanta", "Denver", "Tulsa"]
SWAPS = [("Brad Raffensperger", "full"), ("Brian Kemp", "full"), ("Joe Biden", "full"), ("Donald Trump", "full"),
         ("Mark Meadows", "full"), ("Cleta Mitchell", "full"), ("Ryan Germany", "full"), ("Bob Bauer", "full")]


def paragraphs():
    out = []
    for name in sorted(os.listdir(SEEDS)):
        if not name.endswith(".txt"):
            continue
        text = open(os.path.join(SEEDS, name), encoding="utf-8").read()
        for p in re.split(r"\n\s*\n|\n", text):
            p = p.strip()
            if len(p) > 40 and not p.startswith("date "):
                out.append(p)
    return out


def mutate(p, rng):
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", p)
    rng.shuffle(sentences)
    p = " ".join(sentences)
    for full, _ in SWAPS:
        if full in p:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            p = p.replace(full, f"{first} {last}").replace(full.split()[-1], last)
    if "Georgia" in p and rng.random() < 0.5:
        p = p.replace("Georgia", rng.choice(PLACES))
    return p


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".bench-out", "synthetic")
    megabytes = float(sys.argv[2]) if len(sys.argv) > 2 else 12
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        if f.endswith(".txt"):
            os.remove(os.path.join(out, f))
    rng = random.Random(20210104)
    paras = paragraphs()
    total, n = 0, 0
    while total < megabytes * 1024 * 1024:
        body = []
        size = 0
        while size < 40_000:
            p = mutate(rng.choice(paras), rng)
            body.append(p)
            size += len(p.encode("utf-8")) + 2
        text = "\n\n".join(body) + "\n"
        with open(os.path.join(out, f"{n:05d}.txt"), "w", encoding="utf-8") as f:
            f.write(text)
        total += len(text.encode("utf-8"))
        n += 1
    print(f"{n} articles, {total / 1e6:.1f} MB in {out}")


if __name__ == "__main__":
    main()
