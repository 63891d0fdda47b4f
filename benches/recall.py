#!/usr/bin/env python3
"""Recall check: inject one defect at a time into the seeds and see whether unlint reports it.

For every seed and every defect class below, up to 3 sites are picked at random (fixed seed, so
runs repeat); each mutated copy is linted alone with the embedded rules, and the findings that
were not in the unmutated file's output are compared with the mutated line:

- caught: a new finding within 3 lines of the defect (numbering rules may report the next
  paragraph or heading instead, anywhere);
- missed: no new finding at all;
- stray: new findings elsewhere only (printed: each is a finding the defect caused far from it).

    cargo build --release && python3 benches/recall.py [path/to/unlint]

Nothing here is a test (CI does not run it). The classes are the defects editors meet in UN
reports: numbering gaps and repeats, resolution years, document symbols, impossible dates,
terminology variants, spacing before punctuation, doubled words, section letters and numbers,
weekdays. See docs/recall.md.
"""
import collections
import json
import pathlib
import random
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
UNLINT = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target" / "release" / "unlint")
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SITES_PER_SEED = 3


def lint(text, tmp):
    path = pathlib.Path(tmp) / "doc.txt"
    path.write_text(text, encoding="utf-8")
    out = subprocess.run(
        [UNLINT, "--isolated", "--format", "json", str(path)], capture_output=True, text=True
    ).stdout
    return collections.Counter(
        (d["rule"], d["line"], d["message"]) for d in json.loads(out)["diagnostics"]
    )


CLASSES = {}
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"


def defect(f):
    CLASSES[f.__name__] = f
    return f


def matches(text, pattern):
    return list(re.finditer(pattern, text, re.M))


@defect
def paragraph_skipped(t):
    """« 12. » renumbered « 13. »: a gap before it and a repeat after it."""
    ms = [m for m in matches(t, r"^(\d{1,3})\.(?=\s)") if int(m.group(1)) > 1]
    return [(m.start(1), m.end(1), str(int(m.group(1)) + 1)) for m in ms]


@defect
def paragraph_repeated(t):
    ms = [m for m in matches(t, r"^(\d{1,3})\.(?=\s)") if int(m.group(1)) > 2]
    return [(m.start(1), m.end(1), str(int(m.group(1)) - 1)) for m in ms]


@defect
def subparagraph_skipped(t):
    ms = matches(t, r"^\s*([b-h])\)\s")
    return [(m.start(1), m.end(1), chr(ord(m.group(1)) + 1)) for m in ms]


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@defect
def section_skipped(t):
    """« II. Informations générales » renumbered « III. »."""
    ms = [m for m in matches(t, r"^\s*([IVX]+)\.\s+[A-ZÉ]") if m.group(1) in ROMAN[1:-1]]
    return [(m.start(1), m.end(1), ROMAN[ROMAN.index(m.group(1)) + 1]) for m in ms]


@defect
def subsection_skipped(t):
    ms = matches(t, r"^\s*([B-G])\.\s+[A-ZÉ][a-zé]")
    return [(m.start(1), m.end(1), chr(ord(m.group(1)) + 1)) for m in ms]


WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


@defect
def wrong_weekday(t):
    ms = matches(t, rf"\b({'|'.join(WEEKDAYS)}) \d{{1,2}} ({MONTHS}) \d{{4}}")
    return [(m.start(1), m.end(1), WEEKDAYS[(WEEKDAYS.index(m.group(1)) + 1) % 7]) for m in ms]


@defect
def resolution_year(t):
    """« En 2013, dans sa résolution 22/8 » said to be from seven years earlier."""
    ms = matches(t, r"(?:[Ee]n|adoptée en) (\d{4}),? (?:dans sa|dans la|par sa) résolution \d+/\d+")
    return [(m.start(1), m.end(1), str(int(m.group(1)) - 7)) for m in ms]


@defect
def symbol_typo(t):
    ms = matches(t, r"\b(?:CTOC/COP|UNODC/CCPCJ|A/RES)/[\w./-]+")
    out = []
    for m in ms:
        s = m.group(0)
        typo = s.replace("CCPCJ", "CCPCIJ").replace("CTOC/COP", "CTOC/CPO").replace("A/RES", "A/REZ")
        out.append((m.start(), m.end(), typo))
    return out


SHORT = {"février": "30", "avril": "31", "juin": "31", "septembre": "31", "novembre": "31"}


@defect
def impossible_date(t):
    ms = matches(t, rf"\b(\d{{1,2}}) ({MONTHS}) \d{{4}}")
    return [(m.start(1), m.end(1), SHORT.get(m.group(2), "32")) for m in ms]


@defect
def terminology_variant(t):
    pairs = [
        ("preuves électroniques", "preuves numériques"),
        ("cybercriminalité", "cyber-criminalité"),
        ("États Membres", "Etats-membres"),
        ("drogue et le crime", "drogues et le crime"),
    ]
    return [(m.start(), m.end(), b) for a, b in pairs for m in re.finditer(re.escape(a), t)]


@defect
def space_before_comma(t):
    return [(m.start(1), m.end(1), " ,") for m in matches(t, r"[a-zé]{4,}(,) ")]


@defect
def doubled_word(t):
    ms = matches(t, r"\b(les|des|la|le|de) [a-zé]{5,}")
    return [(m.start(1), m.end(1), f"{m.group(1)} {m.group(1)}") for m in ms]


FOLD = str.maketrans("àâäéèêëîïôöùûüç", "aaaeeeeiioouuuc")


@defect
def missing_accent(t):
    """« pénale » written « penale »: a lower-case word with an accent before its last two letters."""
    ms = matches(t, r"(?<![\w’'-])([a-z]*[àâéèêîôûç][a-zàâéèêîôûç]{2,})(?![\w’'-])")
    return [(m.start(1), m.end(1), m.group(1).translate(FOLD)) for m in ms]


@defect
def footnote_skipped(t):
    """A footnote « 3 Voir … » under the `____` separator renumbered « 4 »."""
    ms = [m for m in matches(t, r"^ (\d{1,2}) (?=\S)") if int(m.group(1)) > 1]
    return [(m.start(1), m.end(1), str(int(m.group(1)) + 1)) for m in ms]


def main():
    rng = random.Random(7)
    stats = collections.defaultdict(lambda: collections.Counter())
    with tempfile.TemporaryDirectory() as tmp:
        for seed in SEEDS:
            text = seed.read_text(encoding="utf-8")
            base = lint(text, tmp)
            for name, make in CLASSES.items():
                sites = make(text)
                rng.shuffle(sites)
                for start, end, replacement in sites[:SITES_PER_SEED]:
                    mutated = text[:start] + replacement + text[end:]
                    line = text.count("\n", 0, start) + 1
                    new = list(lint(mutated, tmp) - base)
                    near = [d for d in new if abs(d[1] - line) <= 3 or d[0].startswith("numbering/")]
                    where = f"{seed.name}:{line} {text[start:end]!r} -> {replacement!r}"
                    stats[name]["sites"] += 1
                    if near:
                        stats[name]["caught"] += 1
                    elif new:
                        stats[name]["stray"] += 1
                        print(f"stray  {name}: {where}: {[d[0] for d in new]}")
                    else:
                        print(f"missed {name}: {where}")
    print()
    print("| defect | caught | sites |")
    print("|---|---|---|")
    total = collections.Counter()
    for name in CLASSES:
        s = stats[name]
        total.update(s)
        print(f"| {name.replace('_', ' ')} | {s['caught']} | {s['sites']} |")
    print(f"| all | {total['caught']} | {total['sites']} |")


if __name__ == "__main__":
    main()
