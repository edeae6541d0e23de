"""Where astrolabe's flags differ from cleanlab's on the same probabilities (DIR from peer_audit.py
and astrolabe-auditbench): cleanlab orders rows of equal margin by numpy's unstable quicksort;
findLabelIssues by row. With numpy's argsort made stable inside cleanlab, the flags are equal.

  /work/refvenv/bin/python bench/audit/peer_ties.py DIR
"""
import sys
import types

import numpy as np
import cleanlab.filter as clf

d = sys.argv[1]
labels = np.fromfile(d + "/y.i64", dtype=np.int64)
probs = np.fromfile(d + "/probs.f64").reshape(len(labels), -1)
ours = np.fromfile(d + "/astrolabe_flags.u8", dtype=np.uint8).astype(bool)
theirs = np.fromfile(d + "/cleanlab_flags.u8", dtype=np.uint8).astype(bool)
print(f"flags differ on {np.sum(ours != theirs)} of {len(labels)} rows with numpy's default argsort")
stable = types.SimpleNamespace(**{k: getattr(np, k) for k in dir(np) if not k.startswith("__")})
stable.argsort = lambda a, *args, **kw: np.argsort(a, kind="stable")
clf.np = stable
flags = clf.find_label_issues(labels, probs, n_jobs=1)
print(f"flags differ on {np.sum(ours != flags)} rows with a stable argsort (ties by row, as findLabelIssues)")
