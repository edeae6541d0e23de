"""Writes the simulated annotators' answers of Notebooks/annotators.alab (the lines between the
`# BEGIN answers` / `# END answers` markers are printed here; paste them or rerun).

Three annotators label the same 4LAC-DR3 blazars from Samples/fermi_4lac.csv, simulated from the
catalogue's own classes with known skills: alice (an expert, right 95% of the time), bob (good,
85%, answers three quarters of the sources) and carol (careless, 60%, answers last). Seeded, so the
same lines every time. Standard library only.

Run: python3 Tools/gen_annotators_notebook.py
"""
import csv
import os
import random

here = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(14)
with open(os.path.join(here, "..", "Samples", "fermi_4lac.csv"), newline="") as f:
    known = [(r["id"], r["label"]) for r in csv.DictReader(f) if r["label"] in ("bll", "fsrq") and r["nu_syn"]]
chosen = sorted(rng.sample(known, 48))
other = {"bll": "fsrq", "fsrq": "bll"}


def answer(truth, skill):
    return truth if rng.random() < skill else other[truth]


def quote(text):
    return '"' + text + '"' if " " in text else text


blocks = []
for name, skill, share in (("alice", 0.95, 1.0), ("bob", 0.85, 0.75), ("carol", 0.6, 1.0)):
    lines = [f"annotator {name}"]
    for i, (source, truth) in enumerate(chosen):
        if rng.random() >= share:
            continue
        line = f"teach {quote(source)} {answer(truth, skill)}"
        if name == "bob":
            line += f" confidence={rng.choice(['0.6', '0.8', '0.9'])}"
        if name == "alice" and i in (3, 17):
            line += ' note="faint optical counterpart, check the spectrum"'
        lines.append(line)
    blocks.append("\n".join(lines))
print("\n\n".join(blocks))
