#!/usr/bin/env python3
"""Compare `cyberkg extract --json` between two builds on a broad set of texts.

Speed work on the extractor must not change what it finds. This runs an old and a new
binary on the golden fixtures, the eval texts and mutated variants of both (case,
punctuation, shuffled sentences, word edits, odd Unicode: long s, the Kelvin sign,
non-breaking spaces, curly quotes) and reports every text whose output differs.

    cd /work/main && go build -o /tmp/cyberkg-old ./cmd/cyberkg
    go build -o /tmp/cyberkg-new ./cmd/cyberkg
    python3 scrapers/extract/compare_binaries.py /tmp/cyberkg-old /tmp/cyberkg-new [EVALDIR]

Exit status 1 when any output differs.
"""

import glob
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))

CUE_WORDS = ["allegedly", "not", "no evidence of", "hackers", "malware attack", "state-sponsored", "the heist",
             "was hacked", "stole $5 million from", "attributed to", "backed by", "ransomware gang", "North Korea's",
             "Lazarus Group", "APT38", "said", "according to", "the June 24 hack", "cyber heist", "worked with"]


def base_texts(evaldir):
    texts = {}
    for f in sorted(glob.glob(os.path.join(HERE, "testdata", "*.txt"))):
        with open(f, encoding="utf-8") as fh:
            texts[os.path.basename(f)] = fh.read()
    for f in sorted(glob.glob(os.path.join(evaldir, "*.json"))):
        with open(f, encoding="utf-8") as fh:
            texts["eval-" + os.path.basename(f)] = json.load(fh)["text"]
    return texts


def sentences(text):
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


def mutations(name, text, rnd):
    words = text.split(" ")
    out = {
        "upper": text.upper(),
        "lower": text.lower(),
        "swapcase": text.swapcase(),
        "title": text.title(),
        "semicolons": text.replace(". ", "; "),
        "nocommas": text.replace(",", ""),
        "morecommas": text.replace(" and ", ", and ").replace(" was ", ", was "),
        "longs": "".join("\u017f" if c == "s" and rnd.random() < 0.3 else c for c in text),
        "kelvin": "".join("\u212a" if c in "kK" and rnd.random() < 0.5 else c for c in text),
        "nbsp": "".join("\u00a0" if c == " " and rnd.random() < 0.2 else c for c in text),
        "curly": text.replace("'", "\u2019").replace('"', "\u201c"),
        "straight": text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"'),
        "dashes": text.replace("-", "\u2014"),
        "tabs": text.replace(" ", "\t", 20),
        "dotted-i": text.replace("I", "\u0130", 5),
    }
    for i in range(4):
        s = sentences(text)
        rnd.shuffle(s)
        out[f"shuffled{i}"] = " ".join(s)
    for i in range(8):
        w = list(words)
        for _ in range(max(1, len(w) // 15)):
            j = rnd.randrange(len(w))
            op = rnd.randrange(4)
            if op == 0 and len(w) > 1:
                del w[j]
            elif op == 1:
                w.insert(j, rnd.choice(CUE_WORDS))
            elif op == 2 and j + 1 < len(w):
                w[j], w[j + 1] = w[j + 1], w[j]
            else:
                w.insert(j, w[j])
        out[f"edited{i}"] = " ".join(w)
    return {f"{name}~{k}": v for k, v in out.items()}


def run(binary, path):
    p = subprocess.run([binary, "extract", "--json", path], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    old, new = sys.argv[1], sys.argv[2]
    evaldir = sys.argv[3] if len(sys.argv) > 3 else os.path.join(HERE, "..", "..", "..", "shared", "eval", "dev")
    rnd = random.Random(3)
    texts = base_texts(evaldir)
    if len(texts) < 10:
        sys.exit(f"only {len(texts)} base texts: is {evaldir} there?")
    for name, text in list(texts.items()):
        texts.update(mutations(name, text, rnd))
    with tempfile.TemporaryDirectory() as dir:
        paths = {}
        for i, (name, text) in enumerate(texts.items()):
            paths[name] = os.path.join(dir, f"{i}.txt")
            with open(paths[name], "w", encoding="utf-8") as fh:
                fh.write(text)
        names = list(texts)
        with ThreadPoolExecutor(2) as pool:
            olds = list(pool.map(lambda n: run(old, paths[n]), names))
            news = list(pool.map(lambda n: run(new, paths[n]), names))
    differ = [n for n, a, b in zip(names, olds, news) if a != b]
    facts = sum(o[1].count('"type"') for o in olds)
    print(f"{len(names)} texts, {facts} facts in the old output, {len(differ)} differ")
    for n in differ:
        print("differs:", n)
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
