#!/usr/bin/env python3
"""Writes class_weights.json for ClassWeightingTests (scikit-learn 1.9.1).

    python3 Tests/AstrolabeLearnTests/Fixtures/make_class_weights.py

Data: Samples/{wine,breast_cancer,iris}.csv (id first, label last, classes numbered in sorted
order of their names); row i is a test row when i % 4 == 1 (as ClassifierReferenceTests). Iris
keeps only the first 110 rows of the training side so its classes are unbalanced.
For each data set and weighting: compute_class_weight on the training labels, the test-row
probabilities of DecisionTreeClassifier(class_weight=..., max_depth=D) with D the deepest (up to 8)
at which scikit-learn's tree gives the same probabilities (within 1e-12) for random_state 0..19:
deeper, splits that tie between features are broken by scikit-learn's random feature order, so
its own tree is not one tree (on these data sets from depth 2 or 3 on, weighted or not) and of LogisticRegression(class_weight=..., tol=1e-12) on standardised features, and
compute_sample_weight("balanced", y, indices=...) for a fixed bootstrap draw (balanced_subsample).
"""
import csv
import json
import os

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.class_weight import compute_class_weight, compute_sample_weight

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")


def load(name):
    rows = list(csv.reader(open(os.path.join(ROOT, "Samples", f"{name}.csv"))))[1:]
    X = np.array([[float(v) for v in r[1:-1]] for r in rows])
    names = [r[-1] for r in rows]
    classes = sorted(set(names))
    y = np.array([classes.index(v) for v in names])
    test = np.arange(len(y)) % 4 == 1
    train_rows = np.flatnonzero(~test)
    if name == "iris":
        train_rows = train_rows[:110]
    return X[train_rows], y[train_rows], X[test], y[test], len(classes), [int(i) for i in train_rows]


cases = []
for name in ["wine", "breast_cancer", "iris"]:
    Xtr, ytr, Xte, yte, k, train_rows = load(name)
    for weighting in ["balanced", {0: 3.0, 1: 0.5}]:
        present = np.unique(ytr)
        cw = compute_class_weight(weighting, classes=present, y=ytr)
        depth, tree = None, None
        for d in range(1, 9):
            fits = [DecisionTreeClassifier(class_weight=weighting, max_depth=d, random_state=s).fit(Xtr, ytr) for s in range(20)]
            probs = [f.predict_proba(Xte) for f in fits]
            if all(np.allclose(probs[0], p, rtol=0, atol=1e-12) for p in probs):
                depth, tree = d, fits[0]
        scaler = StandardScaler().fit(Xtr)
        logreg = LogisticRegression(class_weight=weighting, tol=1e-12, max_iter=100000).fit(scaler.transform(Xtr), ytr)
        rng = np.random.RandomState(7)
        indices = rng.randint(0, len(ytr), len(ytr))
        subsample = compute_sample_weight("balanced", ytr, indices=indices)
        cases.append({
            "dataset": name,
            "train_rows": train_rows,
            "weighting": weighting if isinstance(weighting, str) else {str(c): w for c, w in weighting.items()},
            "class_weights": [float(v) for v in cw],
            "tree_probabilities": [float(v) for v in tree.predict_proba(Xte).ravel()],
            "tree_depth": depth,
            "logistic_probabilities": [float(v) for v in logreg.predict_proba(scaler.transform(Xte)).ravel()],
            "bootstrap_indices": [int(i) for i in indices],
            "subsample_weights": [float(v) for v in subsample],
        })

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "class_weights.json"), "w") as f:
    json.dump({"sklearn": __import__("sklearn").__version__, "cases": cases}, f)
