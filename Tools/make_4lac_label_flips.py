"""Writes Samples/fermi_4lac_flipped.csv: 4LAC-DR3 with 10% of its bll/fsrq labels flipped (seeded).

For the audit gallery notebook (Notebooks/audit.alab) and bench/audit/real_4lac.py: the audit should
find the flipped labels. Standard library only, so the file is the same on every machine.
Rerun: python3 Tools/make_4lac_label_flips.py

Columns: id, the features the notebook uses (PL_Index, nu_syn, Energy_Flux100, Flux1000,
Variability_Index, LP_beta), `label` (flipped for the chosen rows: bll <-> fsrq), `catalogue`
(the 4LAC class, never a feature) and `flipped` (1 for the flipped rows).
"""
import csv
import os
import random

here = os.path.dirname(os.path.abspath(__file__))
source = os.path.join(here, "..", "Samples", "fermi_4lac.csv")
target = os.path.join(here, "..", "Samples", "fermi_4lac_flipped.csv")
columns = ["id", "PL_Index", "nu_syn", "Energy_Flux100", "Flux1000", "Variability_Index", "LP_beta"]

with open(source, newline="") as f:
    rows = list(csv.DictReader(f))
blazars = [i for i, r in enumerate(rows) if r["label"] in ("bll", "fsrq")]
chosen = set(random.Random(20261208).sample(blazars, round(0.10 * len(blazars))))
swap = {"bll": "fsrq", "fsrq": "bll"}
with open(target, "w", newline="") as f:
    out = csv.writer(f, lineterminator="\n")
    out.writerow(columns + ["label", "catalogue", "flipped"])
    for i, r in enumerate(rows):
        label = swap[r["label"]] if i in chosen else r["label"]
        out.writerow([r[c] for c in columns] + [label, r["label"], 1 if i in chosen else 0])
print(f"flipped {len(chosen)} of {len(blazars)} bll/fsrq labels; wrote {os.path.relpath(target)}")
