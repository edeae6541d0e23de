"""Reference decisions for StoppingRuleTests, written by small-text's stopping criteria.

Pinned: small-text==1.4.1 scikit-learn==1.9.1 numpy
Rerun:  /work/refvenv/bin/python Tests/AstrolabeLearnTests/Fixtures/make_stopping.py
Writes: Tests/AstrolabeLearnTests/Fixtures/stopping.json

Each case is a sequence of fits over a fixed stopping set: predicted classes and probabilities
per fit, converging towards a final model (fewer rows change, probabilities sharpen), and the
decision after each fit of KappaAverage, OverallUncertainty and ClassificationChange at several
settings.
"""
import json
import os

import numpy as np
from small_text.stopping_criteria import ClassificationChange, KappaAverage, OverallUncertainty

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261208)


def sequence(rows, classes, fits):
    final = rng.integers(0, classes, rows)
    predictions, probabilities = [], []
    for f in range(fits):
        flip = rng.random(rows) < 0.5 * (0.6 ** f)
        pred = np.where(flip, rng.integers(0, classes, rows), final)
        sharp = 1.0 + 3.0 * f
        logits = rng.normal(0, 1, (rows, classes))
        logits[np.arange(rows), pred] += sharp
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        p = np.round(p, 6)  # what the JSON holds is what small-text saw
        predictions.append(pred)
        probabilities.append(p)
    return predictions, probabilities


cases = []
for n, (rows, classes, fits) in enumerate([(60, 2, 14), (100, 3, 16), (40, 5, 12), (120, 2, 20), (25, 4, 10),
                                           (150, 3, 18), (80, 6, 15), (50, 2, 12)]):
    predictions, probabilities = sequence(rows, classes, fits)
    decisions = []
    for kappa, window in [(0.99, 3), (0.9, 2), (0.8, 3), (0.95, 1)]:
        c = KappaAverage(classes, window_size=window, kappa=kappa)
        decisions.append({"rule": "kappa", "threshold": kappa, "window": window,
                          "stop": [bool(c.stop(predictions=p)) for p in predictions]})
    for threshold in [0.05, 0.2, 0.4]:
        c = OverallUncertainty(classes, threshold=threshold)
        decisions.append({"rule": "uncertainty", "threshold": threshold, "window": 0,
                          "stop": [bool(c.stop(predictions=pr, proba=p, indices_stopping=np.arange(rows)))
                                   for pr, p in zip(predictions, probabilities)]})
    for threshold in [0.0, 0.02, 0.1]:
        c = ClassificationChange(classes, threshold=threshold)
        decisions.append({"rule": "change", "threshold": threshold, "window": 0,
                          "stop": [bool(c.stop(predictions=p)) for p in predictions]})
    cases.append({"classes": classes,
                  "predictions": [p.tolist() for p in predictions],
                  "probabilities": [p.ravel().tolist() for p in probabilities],
                  "decisions": decisions})

with open(os.path.join(here, "stopping.json"), "w") as f:
    json.dump({"cases": cases}, f)
