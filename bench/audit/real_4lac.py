"""4LAC-DR3 with 10% of bll/fsrq labels swapped (Samples/fermi_4lac_flipped.csv): how many of the
swapped labels `audit` flags, next to cleanlab fed scikit-learn's out-of-fold RandomForest
probabilities on the same features.

Run from the repository root:
  /work/refvenv/bin/python bench/audit/real_4lac.py [ASTROLABE_BINARY]   (default .build/debug/astrolabe)
Needs cleanlab 2.9.0, scikit-learn 1.9.1, pandas.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
from cleanlab.filter import find_label_issues
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_predict

binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/astrolabe")
data = pd.read_csv("Samples/fermi_4lac_flipped.csv")
known = data[data.label.isin(["bll", "fsrq"])].copy()
flipped = set(known.id[known.flipped == 1])


def score(flagged):
    hits = len(flagged & flipped)
    return len(flagged), hits, hits / max(len(flagged), 1), hits / len(flipped)


with tempfile.TemporaryDirectory() as tmp:
    script = os.path.join(tmp, "audit.alab")
    csv = os.path.join(tmp, "flagged.csv")
    with open(script, "w") as f:
        f.write(f"""load {os.path.abspath('Samples/fermi_4lac_flipped.csv')} as blazars id=id label=label
classes bll fsrq unknown=bcu
feature log_nu_syn = log10(nu_syn)
feature hardness = log10(Energy_Flux100 / Flux1000)
model m classifier=forest features=PL_Index,log_nu_syn,hardness,Variability_Index
audit m folds=5 to={csv}
""")
    subprocess.run([binary, "run", script, "--quiet"], check=True, cwd=tmp)
    ours = set(pd.read_csv(csv).id)

x = np.column_stack([known.PL_Index, np.log10(known.nu_syn), np.log10(known.Energy_Flux100 / known.Flux1000),
                     known.Variability_Index])
y = (known.label == "fsrq").astype(int).to_numpy()
rows = []
for seed in range(5):
    probs = cross_val_predict(RandomForestClassifier(n_estimators=100, random_state=seed, n_jobs=2), x, y,
                              cv=StratifiedKFold(5, shuffle=True, random_state=seed), method="predict_proba")
    issues = find_label_issues(y, probs, n_jobs=1)
    rows.append(score(set(known.id[issues])))

print(f"swapped labels: {len(flipped)} of {len(known)} bll/fsrq rows")
print(f"{'':34s} {'flagged':>8s} {'swapped found':>14s} {'precision':>10s} {'recall':>8s}")
n, hits, p, r = score(ours)
print(f"{'astrolabe audit (forest, 5 folds)':34s} {n:8d} {hits:14d} {p:10.3f} {r:8.3f}")
for seed, (n, hits, p, r) in enumerate(rows):
    print(f"{'cleanlab + sklearn RF, seed ' + str(seed):34s} {n:8d} {hits:14d} {p:10.3f} {r:8.3f}")
mean = np.mean([row[2:] for row in rows], axis=0)
print(f"{'cleanlab + sklearn RF, mean':34s} {'':8s} {'':14s} {mean[0]:10.3f} {mean[1]:8.3f}")
