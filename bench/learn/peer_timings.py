#!/usr/bin/env python3
"""The peers' B2 (random forest scoring) and B3 (modAL margin loop) measurements, on the files
export_survey.py writes, so they can run side by side with astrolabe-learnbench on the same data in
the same session. Same settings as ../shared/bench/peers/b2_scoring.py and b3_active_learning.py.

    /tmp/i5venv/bin/python bench/learn/peer_timings.py DIR [b2] [b3]
(venv: scikit-learn==1.7.2 modAL-python==0.4.2.1 numpy; 1.7.2 because modAL 0.4.2.1 fails on 1.8+)
"""
import os
import sys
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")
d = sys.argv[1]
what = sys.argv[2:] or ["b2", "b3"]


def med(xs):
    return sorted(xs)[len(xs) // 2]


if "b2" in what:
    from modAL.disagreement import vote_entropy
    from modAL.models import ActiveLearner, Committee
    from sklearn.ensemble import RandomForestClassifier
    X = np.fromfile(f"{d}/survey_1m.colours.f64", dtype="<f8").reshape(-1, 4)
    y = np.fromfile(f"{d}/survey_1m.labels.i64", dtype="<i8")
    lab = np.fromfile(f"{d}/b2_labelled.i64", dtype="<i8")
    fits, preds, scores = [], [], []
    for run in range(6):
        m = RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=2)
        t0 = time.perf_counter(); m.fit(X[lab], y[lab]); t1 = time.perf_counter()
        p = m.predict_proba(X); t2 = time.perf_counter()
        part = np.partition(p, -2, axis=1)
        margin = part[:, -1] - part[:, -2]
        top = np.argpartition(margin, 100)[:100]
        t3 = time.perf_counter()
        if run:
            fits.append(t1 - t0); preds.append(t2 - t1); scores.append(t3 - t2)
    acc = (p.argmax(1) == y).mean()
    print(f"peer b2 rf: fit {med(fits):.4f} s, predict_proba 1M {med(preds):.4f} s, margin+top100 {med(scores):.4f} s, "
          f"total {med(fits) + med(preds) + med(scores):.4f} s, accuracy(1M) {acc:.4f}")
    times = []
    for run in range(3):
        t0 = time.perf_counter()
        c = Committee([ActiveLearner(RandomForestClassifier(n_estimators=100, random_state=k, n_jobs=2),
                                     X_training=X[lab], y_training=y[lab]) for k in range(5)])
        ve = vote_entropy(c, X)
        np.argpartition(-ve, 100)[:100]
        if run:
            times.append(time.perf_counter() - t0)
    print(f"peer b2 committee5 rf fit + modAL vote_entropy 1M + top100: {med(times):.4f} s")

if "b3" in what:
    from modAL.models import ActiveLearner
    from modAL.uncertainty import margin_sampling
    from sklearn.ensemble import RandomForestClassifier
    X = np.fromfile(f"{d}/survey_100k.colours.f64", dtype="<f8").reshape(-1, 4)
    y = np.fromfile(f"{d}/survey_100k.labels.i64", dtype="<i8")
    split = np.fromfile(f"{d}/b3_split_seed0.i64", dtype="<i8")
    init, rest, test = split[:10], split[10:80010], split[80010:]
    iters = int(os.environ.get("ITERS", 200))
    learner = ActiveLearner(RandomForestClassifier(n_estimators=100, n_jobs=2, random_state=0),
                            query_strategy=margin_sampling, X_training=X[init], y_training=y[init])
    Xp, yp = X[rest].copy(), y[rest].copy()
    per = []
    t0 = time.perf_counter()
    for _ in range(iters):
        a = time.perf_counter()
        qi = int(np.asarray(learner.query(Xp)[0]).ravel()[0])
        learner.teach(Xp[qi:qi + 1], yp[qi:qi + 1])
        Xp = np.delete(Xp, qi, axis=0); yp = np.delete(yp, qi)
        per.append(time.perf_counter() - a)
    total = time.perf_counter() - t0
    acc = (learner.predict(X[test]) == y[test]).mean()
    print(f"peer b3 modAL margin rf100: {iters} iterations {total:.4f} s, per-iteration median {med(per):.4f} s, "
          f"accuracy@{10 + iters} {acc:.4f}")
