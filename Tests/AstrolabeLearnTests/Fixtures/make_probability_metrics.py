#!/usr/bin/env python3
"""Writes probability_metrics.json for ProbabilityMetricsTests and CalibrationTests (scikit-learn 1.9.1,
scipy).

    python3 Tests/AstrolabeLearnTests/Fixtures/make_probability_metrics.py

Data: Samples/{breast_cancer,wine,digits}.csv as ClassifierReferenceTests reads them. A
scikit-learn random forest (50 trees, seed 0) is fitted on rows i % 4 in {0, 2}; its probabilities
on the calibration rows (i % 4 == 3) and test rows (i % 4 == 1) are the inputs, written here, so
the Swift side needs no forest of its own. Written: balanced_accuracy_score, recall_score(macro),
matthews_corrcoef, average_precision_score per class, brier_score_loss (1-D for two classes, 2-D
otherwise), calibration_curve(n_bins=10) of the top-label confidence and the ECE (numpy, Guo et al.
2017, the same bins), and the test probabilities after CalibratedClassifierCV(FrozenEstimator(forest),
method=isotonic|sigmoid) fitted on the calibration rows; for sigmoid also Platt's exact optimum
(scipy L-BFGS-B to gtol 1e-12 on sklearn's own loss, then Newton steps), which scikit-learn's gtol=1e-6 only approaches.
"""
import csv
import json
import os

import numpy as np
from scipy.optimize import minimize
from sklearn.calibration import CalibratedClassifierCV, calibration_curve
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import (average_precision_score, balanced_accuracy_score, brier_score_loss,
                             matthews_corrcoef, recall_score)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")


def load(name):
    rows = list(csv.reader(open(os.path.join(ROOT, "Samples", f"{name}.csv"))))[1:]
    X = np.array([[float(v) for v in r[1:-1]] for r in rows])
    names = [r[-1] for r in rows]
    classes = sorted(set(names))
    return X, np.array([classes.index(v) for v in names]), len(classes)


def platt_exact(f, y):
    prior0 = float(np.sum(y <= 0)); prior1 = len(y) - prior0
    T = np.where(y > 0, (prior1 + 1.0) / (prior1 + 2.0), 1.0 / (prior0 + 2.0))

    def loss_grad(ab):
        z = ab[0] * f + ab[1]
        loss = np.sum(T * np.logaddexp(0, z) + (1 - T) * np.logaddexp(0, -z))
        d = T - 1 / (1 + np.exp(z))
        return loss, np.array([d @ f, d.sum()])

    ab0 = np.array([0.0, np.log((prior0 + 1.0) / (prior1 + 1.0))])
    r = minimize(loss_grad, ab0, method="L-BFGS-B", jac=True, options={"gtol": 1e-12, "ftol": 0, "maxiter": 10000})
    ab = r.x
    for _ in range(20):  # Newton steps polish L-BFGS-B's answer to the optimum itself
        z = ab[0] * f + ab[1]
        p = 1 / (1 + np.exp(z))
        d, h = T - p, p * (1 - p)
        g = np.array([d @ f, d.sum()])
        H = np.array([[h @ (f * f), h @ f], [h @ f, h.sum()]])
        ab = ab - np.linalg.solve(H, g)
    return ab


def ece(y, p, bins=10):
    pred = p.argmax(1); conf = p.max(1); correct = (pred == y).astype(float)
    ids = np.searchsorted(np.linspace(0, 1, bins + 1)[1:-1], conf)
    total = 0.0
    for b in range(bins):
        m = ids == b
        if m.any():
            total += m.sum() / len(y) * abs(correct[m].mean() - conf[m].mean())
    return total


cases = []
for name in ["breast_cancer", "wine", "digits"]:
    X, y, k = load(name)
    i = np.arange(len(y))
    fit_rows, cal_rows, test_rows = (i % 4 == 0) | (i % 4 == 2), i % 4 == 3, i % 4 == 1
    forest = RandomForestClassifier(50, random_state=0).fit(X[fit_rows], y[fit_rows])
    p_cal, p_test = forest.predict_proba(X[cal_rows]), forest.predict_proba(X[test_rows])
    y_cal, y_test = y[cal_rows], y[test_rows]
    pred = p_test.argmax(1)
    conf = p_test.max(1)
    prob_true, prob_pred = calibration_curve(pred == y_test, conf, n_bins=10)
    case = {
        "dataset": name, "classes": k,
        "calibration_probabilities": p_cal.ravel().tolist(), "calibration_truth": y_cal.tolist(),
        "test_probabilities": p_test.ravel().tolist(), "test_truth": y_test.tolist(),
        "balanced_accuracy": balanced_accuracy_score(y_test, pred),
        "macro_recall": recall_score(y_test, pred, average="macro", zero_division=0),
        "matthews": matthews_corrcoef(y_test, pred),
        "average_precision": [average_precision_score(y_test == c, p_test[:, c]) for c in range(k)],
        "brier": brier_score_loss(y_test, p_test[:, 1]) if k == 2 else brier_score_loss(y_test, p_test, labels=list(range(k))),
        "curve_true": prob_true.tolist(), "curve_predicted": prob_pred.tolist(),
        "ece": ece(y_test, p_test),
    }
    for method in ["isotonic", "sigmoid"]:
        calibrated = CalibratedClassifierCV(FrozenEstimator(forest), method=method).fit(X[cal_rows], y_cal)
        case[f"{method}_test"] = calibrated.predict_proba(X[test_rows]).ravel().tolist()
    columns = [1] if k == 2 else list(range(k))
    case["platt_exact"] = [platt_exact(p_cal[:, c], (y_cal == c).astype(float)).tolist() for c in columns]
    iso = IsotonicRegression(out_of_bounds="clip").fit(p_cal[:, columns[0]], (y_cal == columns[0]).astype(float))
    case["isotonic_first_column"] = iso.predict(p_test[:, columns[0]]).tolist()
    cases.append(case)

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "probability_metrics.json"), "w") as f:
    json.dump({"sklearn": __import__("sklearn").__version__, "cases": cases}, f)
