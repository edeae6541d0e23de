"""Reference values for LabelIssuesTests, written by cleanlab.

Pinned: cleanlab==2.9.0 scikit-learn==1.9.1 numpy==2.4.6
Rerun:  /work/refvenv/bin/python Tests/AstrolabeLearnTests/Fixtures/make_label_issues.py
Writes: Tests/AstrolabeLearnTests/Fixtures/label_issues.json

Each case: seeded synthetic classes with a share of labels flipped, out-of-fold probabilities
from scikit-learn's cross_val_predict (continuous, so no ties at a pruning cut), and what
cleanlab.filter.find_label_issues (defaults: filter_by='prune_by_noise_rate') flags and
cleanlab.rank.get_label_quality_scores(method='self_confidence') scores.
"""
import json
import os

import numpy as np
from cleanlab.count import compute_confident_joint, get_confident_thresholds
from cleanlab.filter import find_label_issues
from cleanlab.rank import get_label_quality_scores
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict, StratifiedKFold
from sklearn.naive_bayes import GaussianNB

here = os.path.dirname(os.path.abspath(__file__))


def case(name, n, k, flip, seed, weights=None, model=None, sep=1.0):
    x, truth = make_classification(n_samples=n, n_features=6, n_informative=4, n_redundant=0, n_classes=k,
                                   n_clusters_per_class=1, weights=weights, class_sep=sep, random_state=seed)
    rng = np.random.default_rng(seed)
    labels = truth.copy()
    flipped = rng.random(n) < flip
    labels[flipped] = (labels[flipped] + rng.integers(1, k, flipped.sum())) % k
    clf = model or LogisticRegression(max_iter=1000)
    probs = cross_val_predict(clf, x, labels, cv=StratifiedKFold(5, shuffle=True, random_state=seed), method="predict_proba")
    issues = find_label_issues(labels, probs, n_jobs=1)
    scores = get_label_quality_scores(labels, probs, method="self_confidence")
    joint = compute_confident_joint(labels, probs)
    return {
        "name": name, "classes": k,
        "labels": labels.tolist(), "probabilities": probs.ravel().tolist(),
        "flagged": np.flatnonzero(issues).tolist(), "quality": scores.tolist(),
        "thresholds": get_confident_thresholds(labels, probs).tolist(),
        "confident_joint": joint.tolist(), "flipped": np.flatnonzero(labels != truth).tolist(),
    }


cases = [
    case("binary", 2000, 2, 0.10, 11),
    case("three classes", 1500, 3, 0.15, 12, sep=1.5),
    case("four unbalanced", 1200, 4, 0.08, 13, weights=[0.55, 0.3, 0.1, 0.05], model=GaussianNB()),
    case("five noisy", 800, 5, 0.30, 14, sep=0.7),
]
with open(os.path.join(here, "label_issues.json"), "w") as f:
    json.dump({"cases": cases}, f, separators=(",", ":"))
for c in cases:
    print(c["name"], "flagged", len(c["flagged"]), "of", len(c["labels"]), "flipped", len(c["flipped"]),
          "joint", c["confident_joint"])
