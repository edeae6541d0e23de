#!/usr/bin/env python3
"""Reference numbers for Tests/AstrolabeLearnTests/ClassifierReferenceTests.swift.

Run with scikit-learn 1.9.1 (any recent version gives the same numbers for the deterministic models):
    python3 -m venv /tmp/skvenv && /tmp/skvenv/bin/pip install scikit-learn==1.9.1
    /tmp/skvenv/bin/python bench/learn/sklearn_reference.py

Data: ../shared/data/sklearn_{iris,wine,breast_cancer,digits}.csv (id first, label last; classes
numbered in sorted order of their names). Split: row i is a test row when i % 4 == 1, so both sides
are fixed without any random generator. Scaling is fitted on the training rows only.
Deterministic models (kNN, Gaussian NB, logistic regression solved to a tight tolerance) are compared
probability for probability: the sum of p^2 over the test rows, and the probabilities of the first test
row. Randomised ones (trees, forests, boosting) by test accuracy, mean over seeds 0..9.
"""
import csv
import os

import numpy as np
from sklearn.ensemble import AdaBoostClassifier, ExtraTreesClassifier, GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import RobustScaler, StandardScaler
from sklearn.tree import DecisionTreeClassifier

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data")


def load(name):
    rows = list(csv.reader(open(os.path.join(DATA, f"sklearn_{name}.csv"))))[1:]
    X = np.array([[float(v) for v in r[1:-1]] for r in rows])
    names = [r[-1] for r in rows]
    classes = sorted(set(names))
    y = np.array([classes.index(v) for v in names])
    test = np.arange(len(y)) % 4 == 1
    return X[~test], y[~test], X[test], y[test]


def scaled(kind, Xtr, Xte):
    if kind == "none":
        return Xtr, Xte
    s = (StandardScaler() if kind == "standard" else RobustScaler()).fit(Xtr)
    return s.transform(Xtr), s.transform(Xte)


def exact(label, model, Xtr, ytr, Xte, yte):
    p = model.fit(Xtr, ytr).predict_proba(Xte)
    acc = (p.argmax(1) == yte).mean()
    print(f"{label}: acc {acc:.6f} sum_p2 {np.sum(p * p)!r} first {[float(v) for v in p[0]]}")


def randomised(label, make, Xtr, ytr, Xte, yte, seeds=10):
    accs = [(make(s).fit(Xtr, ytr).predict(Xte) == yte).mean() for s in range(seeds)]
    print(f"{label}: mean acc {np.mean(accs):.4f} min {np.min(accs):.4f} max {np.max(accs):.4f}")


for name in ["iris", "wine", "breast_cancer", "digits"]:
    Xtr, ytr, Xte, yte = load(name)
    for kind in ["standard", "robust"]:
        a, b = scaled(kind, Xtr, Xte)
        exact(f"{name} knn5 {kind}", KNeighborsClassifier(5), a, ytr, b, yte)
        exact(f"{name} knn5-distance {kind}", KNeighborsClassifier(5, weights="distance"), a, ytr, b, yte)
    exact(f"{name} gnb none", GaussianNB(), Xtr, ytr, Xte, yte)
    a, b = scaled("standard", Xtr, Xte)
    exact(f"{name} logreg standard", LogisticRegression(C=1.0, tol=1e-12, max_iter=100000), a, ytr, b, yte)
    exact(f"{name} logreg-C0.1 standard", LogisticRegression(C=0.1, tol=1e-12, max_iter=100000), a, ytr, b, yte)
    randomised(f"{name} tree", lambda s: DecisionTreeClassifier(random_state=s), Xtr, ytr, Xte, yte)
    randomised(f"{name} extratrees", lambda s: ExtraTreesClassifier(100, random_state=s), Xtr, ytr, Xte, yte)
    randomised(f"{name} adaboost", lambda s: AdaBoostClassifier(random_state=s), Xtr, ytr, Xte, yte)
    randomised(f"{name} gboost", lambda s: GradientBoostingClassifier(random_state=s), Xtr, ytr, Xte, yte,
               seeds=3 if name == "digits" else 10)
