"""cleanlab's half alone on DIR's probabilities (peer_audit.py writes them), to time back to back
with astrolabe-auditbench's core line.

  /work/refvenv/bin/python bench/audit/peer_core.py DIR
"""
import sys
import time

import numpy as np
from cleanlab.filter import find_label_issues
from cleanlab.rank import get_label_quality_scores

d = sys.argv[1]
labels = np.fromfile(d + "/y.i64", dtype=np.int64)
probs = np.fromfile(d + "/probs.f64").reshape(len(labels), -1)
runs = []
for _ in range(5):
    start = time.perf_counter()
    issues = find_label_issues(labels, probs)
    scores = get_label_quality_scores(labels, probs, method="self_confidence")
    runs.append(time.perf_counter() - start)
print(f"cleanlab find_label_issues + get_label_quality_scores: {sorted(runs)[2]:.3f} s (median of 5); {issues.sum()} flagged")
