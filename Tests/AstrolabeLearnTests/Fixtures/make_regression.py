"""Writes regression.json: scikit-learn's regression trees, metrics and forest quality on the SDSS
photo-z sample (Samples/sdss_mgs_photoz.csv), for RegressionReferenceTests.

Run from the repository root with scikit-learn installed:
    python Tests/AstrolabeLearnTests/Fixtures/make_regression.py

Features are rounded to 3 decimals (written so) and then made float32 (scikit-learn trees compare float32
values), so both sides see the same numbers, ties included.
"""
import csv, json, pathlib
import numpy as np
import sklearn
from sklearn.tree import DecisionTreeRegressor
from sklearn.ensemble import RandomForestRegressor
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.neighbors import KNeighborsRegressor
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error, mean_absolute_error, r2_score

root = pathlib.Path(__file__).resolve().parents[3]
rows = list(csv.DictReader(open(root / "Samples/sdss_mgs_photoz.csv")))
names = ["u_minus_g", "g_minus_r", "r_minus_i", "i_minus_z", "r"]
rounded = [[round(float(r[n]), 3) for n in names] for r in rows]
X = np.array(rounded, dtype=np.float64).astype(np.float32).astype(np.float64)
y = np.array([float(r["z_spec"]) for r in rows])
train, test = np.arange(0, 600), np.arange(600, 900)

# Trees on every feature (where several features cut a small node into the same two parts, the
# threshold depends on scikit-learn's random feature order: the test compares test rows only where
# that cannot happen, at depth 3) and on one feature (g - r; no such ties: every threshold is fixed).
trees = []
for depth, leaf, columns in [(None, 1, [0, 1, 2, 3, 4]), (3, 1, [0, 1, 2, 3, 4]), (6, 5, [0, 1, 2, 3, 4]), (None, 3, [0, 1, 2, 3, 4]),
                             (None, 1, [1]), (5, 4, [1])]:
    t = DecisionTreeRegressor(max_depth=depth, min_samples_leaf=leaf, random_state=0).fit(X[train][:, columns], y[train])
    trees.append({"max_depth": depth, "min_samples_leaf": leaf, "columns": columns, "node_count": int(t.tree_.node_count),
                  "train_predictions": t.predict(X[train][:, columns]).tolist(),
                  "test_predictions": t.predict(X[test][:, columns]).tolist()})

def photoz(z, p):
    dz = (p - z) / (1 + z)
    return {"rmse": float(np.sqrt(mean_squared_error(z, p))), "mae": float(mean_absolute_error(z, p)),
            "nmad": float(1.4826 * np.median(np.abs(dz - np.median(dz)))),
            "outliers": float(np.mean(np.abs(dz) > 0.15)), "bias": float(np.mean(dz)), "r2": float(r2_score(z, p))}

# Deterministic regressors (ties aside) on the same split.
others = {
    "boosting": GradientBoostingRegressor(random_state=0),
    "knn": KNeighborsRegressor(n_neighbors=5, algorithm="brute"),
    "linear": LinearRegression(),
}
models = {name: m.fit(X[train], y[train]).predict(X[test]).tolist() for name, m in others.items()}
models["boosting-1"] = GradientBoostingRegressor(random_state=0).fit(X[train][:, [1]], y[train]).predict(X[test][:, [1]]).tolist()

# The metrics on a fixed pair of vectors (the depth-6 tree's test predictions).
metric_pred = np.array(trees[2]["test_predictions"])
metrics = {"truth": y[test].tolist(), "predicted": metric_pred.tolist(), **photoz(y[test], metric_pred)}

# Forest quality on the whole sample: 7,500 training rows, 2,500 test rows, 30 trees, 10 seeds.
big_train, big_test = np.arange(0, 7500), np.arange(7500, len(y))
forest = []
for seed in range(10):
    f = RandomForestRegressor(n_estimators=30, random_state=seed, n_jobs=2).fit(X[big_train], y[big_train])
    forest.append(photoz(y[big_test], f.predict(X[big_test])))
summary = {k: {"mean": float(np.mean([f[k] for f in forest])), "std": float(np.std([f[k] for f in forest]))}
           for k in forest[0]}

out = {"sklearn": sklearn.__version__, "features": names, "train": train.tolist(), "test": test.tolist(),
       "X": rounded, "y": y.tolist(), "trees": trees, "models": models, "metrics": metrics,
       "forest": {"train_rows": 7500, "trees": 30, "seeds": 10, **summary}}
(pathlib.Path(__file__).parent / "regression.json").write_text(json.dumps(out))
print({k: round(v["mean"], 5) for k, v in summary.items()}, {k: round(v["std"], 5) for k, v in summary.items()})
