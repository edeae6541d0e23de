"""scikit-learn's RandomForestRegressor (100 trees, n_jobs=2) fit + predict on the SDSS photo-z
sample: the same 7,500 training and 2,500 test rows as astrolabe-regressbench.

    python bench/regress/sklearn_forest.py Samples/sdss_mgs_photoz.csv [repeats]
"""
import sys, time
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestRegressor

d = pd.read_csv(sys.argv[1])
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
X = d[["u_minus_g", "g_minus_r", "r_minus_i", "i_minus_z", "r"]].to_numpy()
y = d["z_spec"].to_numpy()
fits, preds = [], []
for run in range(repeats):
    m = RandomForestRegressor(n_estimators=100, random_state=run, n_jobs=2)
    t0 = time.perf_counter(); m.fit(X[:7500], y[:7500]); t1 = time.perf_counter()
    p = m.predict(X[7500:]); t2 = time.perf_counter()
    fits.append(t1 - t0); preds.append(t2 - t1)
z = y[7500:]
dz = (p - z) / (1 + z)
print("sklearn   fit %.4f s  predict %.4f s  RMSE %.5f  NMAD %.5f" % (
    np.median(fits), np.median(preds), np.sqrt(np.mean((p - z) ** 2)), 1.4826 * np.median(np.abs(dz - np.median(dz)))))
