"""The peers' side of bench/audit: a seeded 1M-row table (3 overlapping Gaussian classes in 4
features, 10% of labels moved to another class), scikit-learn's out-of-fold RandomForest
probabilities (cross_val_predict, 5 stratified folds) and cleanlab's find_label_issues +
get_label_quality_scores on them, each timed; writes DIR for astrolabe-auditbench.

  /work/refvenv/bin/python bench/audit/peer_audit.py DIR [TREES] [ROWS]
Pinned: cleanlab==2.9.0 scikit-learn==1.9.1 numpy==2.4.6
"""
import os
import sys
import time

import numpy as np
from cleanlab.filter import find_label_issues
from cleanlab.rank import get_label_quality_scores
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_predict

out = sys.argv[1]
trees = int(sys.argv[2]) if len(sys.argv) > 2 else 10
n = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20261208)
truth = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
centres = np.array([[0, 0, 0, 0], [1.5, 1, 0, 0.5], [0, 1.5, 1.5, 0]])
x = centres[truth] + rng.normal(size=(n, 4))
labels = truth.copy()
moved = rng.random(n) < 0.10
labels[moved] = (labels[moved] + rng.integers(1, 3, moved.sum())) % 3
x.astype(np.float64).tofile(os.path.join(out, "x.f64"))
labels.astype(np.int64).tofile(os.path.join(out, "y.i64"))
print(f"rows {n}, moved labels {moved.sum()}, trees {trees}")

start = time.perf_counter()
probs = cross_val_predict(RandomForestClassifier(n_estimators=trees, n_jobs=2, random_state=0), x, labels,
                          cv=StratifiedKFold(5, shuffle=True, random_state=0), method="predict_proba")
oof = time.perf_counter() - start
probs.astype(np.float64).tofile(os.path.join(out, "probs.f64"))

runs = []
for _ in range(3):
    start = time.perf_counter()
    issues = find_label_issues(labels, probs)
    scores = get_label_quality_scores(labels, probs, method="self_confidence")
    runs.append(time.perf_counter() - start)
issues.astype(np.uint8).tofile(os.path.join(out, "cleanlab_flags.u8"))
core = sorted(runs)[1]
print(f"sklearn cross_val_predict (5 folds, {trees}-tree RandomForest, n_jobs=2): {oof:.3f} s")
print(f"cleanlab find_label_issues + get_label_quality_scores: {core:.3f} s (median of 3); {issues.sum()} flagged")
print(f"peer audit total {oof + core:.3f} s")
