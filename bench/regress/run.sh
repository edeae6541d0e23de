#!/bin/sh
# Regression forest fit + predict, Astrolabe beside scikit-learn, on the photo-z sample (both on
# the machine's cores: scikit-learn n_jobs=2). Run from the repository root:
#     sh bench/regress/run.sh [python]
set -e
PY=${1:-python3}
swift build -c release --scratch-path .build-rel --product astrolabe-regressbench >/dev/null
.build-rel/release/astrolabe-regressbench Samples/sdss_mgs_photoz.csv 5
"$PY" bench/regress/sklearn_forest.py Samples/sdss_mgs_photoz.csv 5
