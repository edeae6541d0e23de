"""Reference values for AgreementTests and DawidSkeneTests, written by the reference libraries.

Pinned: krippendorff==0.9.0 scikit-learn==1.9.1 statsmodels==0.15.0 crowd-kit==1.4.2 numpy==2.4.6 pandas==3.1.2
Rerun:  /work/refvenv/bin/python Tests/AstrolabeLearnTests/Fixtures/make_agreement.py
Writes: Tests/AstrolabeLearnTests/Fixtures/agreement.json and dawid_skene.json
Answers are class indices; -1 is a missing answer.
"""
import json
import os

import krippendorff
import numpy as np
import pandas as pd
from crowdkit.aggregation import DawidSkene
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261207)


def matrix_to_list(m):
    return [[-1 if np.isnan(v) else int(v) for v in row] for row in m]


# Krippendorff's own example (the krippendorff package's README): 3 coders x 15 units, values 1-4.
nan = np.nan
documented = np.array([[nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
                       [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
                       [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4]])
cases = [{"name": "documented", "coders": matrix_to_list(documented), "classes": 5,
          "alpha": float(krippendorff.alpha(reliability_data=documented, level_of_measurement="nominal"))}]
while len(cases) < 25:
    coders, units, classes = int(rng.integers(2, 7)), int(rng.integers(8, 60)), int(rng.integers(2, 6))
    truth = rng.integers(0, classes, units)
    m = np.where(rng.random((coders, units)) < 0.75, truth, rng.integers(0, classes, (coders, units))).astype(float)
    m[rng.random((coders, units)) < 0.3] = nan
    pairable = (np.sum(~np.isnan(m), axis=0) >= 2)
    values = m[:, pairable]
    if len(np.unique(values[~np.isnan(values)])) < 2:
        continue  # alpha undefined: a single value among pairable answers
    alpha = krippendorff.alpha(reliability_data=m, level_of_measurement="nominal", value_domain=list(range(classes)))
    cases.append({"name": f"random{len(cases)}", "coders": matrix_to_list(m), "classes": classes, "alpha": float(alpha)})

cohen = []
for i in range(20):
    classes, n = int(rng.integers(2, 6)), int(rng.integers(5, 80))
    a = rng.integers(0, classes, n)
    b = np.where(rng.random(n) < 0.6, a, rng.integers(0, classes, n))
    cohen.append({"a": a.tolist(), "b": b.tolist(), "classes": classes, "kappa": float(cohen_kappa_score(a, b))})

fleiss = []
for i in range(20):
    raters, classes, n = int(rng.integers(2, 7)), int(rng.integers(2, 6)), int(rng.integers(5, 60))
    truth = rng.integers(0, classes, n)
    answers = np.where(rng.random((n, raters)) < 0.7, truth[:, None], rng.integers(0, classes, (n, raters)))
    counts = np.stack([(answers == c).sum(axis=1) for c in range(classes)], axis=1)
    fleiss.append({"answers": answers.tolist(), "classes": classes, "kappa": float(fleiss_kappa(counts, method="fleiss"))})

with open(os.path.join(here, "agreement.json"), "w") as f:
    json.dump({"krippendorff": cases, "cohen": cohen, "fleiss": fleiss}, f, indent=1)

# A simulated crowd: 4 annotators with known confusion matrices (one careless), 3 classes.
classes, items = 3, 1500
priors = np.array([0.5, 0.3, 0.2])
truth = rng.choice(classes, size=items, p=priors)
true_confusions = []
for skill in (0.9, 0.8, 0.7, 0.4):
    m = np.full((classes, classes), (1 - skill) / (classes - 1))
    np.fill_diagonal(m, skill)
    true_confusions.append(m)
rows = []
for item in range(items):
    for worker, m in enumerate(true_confusions):
        if rng.random() < 0.8:
            rows.append((item, worker, int(rng.choice(classes, p=m[truth[item]]))))
frame = pd.DataFrame(rows, columns=["task", "worker", "label"])
ds = DawidSkene(n_iter=100)
labels = ds.fit_predict(frame)
answered = sorted(frame.task.unique())
with open(os.path.join(here, "dawid_skene.json"), "w") as f:
    json.dump({"classes": classes, "items": items, "annotators": len(true_confusions),
               "answers": [list(r) for r in rows],
               "truth": truth.tolist(),
               "true_confusions": [m.tolist() for m in true_confusions],
               "reference_labels": {str(t): int(labels[t]) for t in answered}}, f)
print("wrote", len(cases), "alpha cases,", len(cohen), "cohen,", len(fleiss), "fleiss,", len(rows), "crowd answers")
