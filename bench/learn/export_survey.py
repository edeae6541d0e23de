#!/usr/bin/env python3
"""Writes the peers' synthetic surveys (../shared/bench/peers/gen_data.py, same seeds) as raw
little-endian binaries that astrolabe-learnbench maps directly, plus B2's 1,000 labelled rows:
    survey_{100k,1m}.colours.f64   rows x 4 float64 (u-g, g-r, r-i, i-z)
    survey_{100k,1m}.labels.i64    rows int64 (0 star, 1 galaxy, 2 qso)
    b2_labelled.i64                Generator(PCG64(0)).choice(1_000_000, 1000, replace=False)
    b3_split_seed0.i64             B3 seed 0: 10 initial rows, then the 80,000 pool rows, then 20,000 test rows
Run: python bench/learn/export_survey.py OUTDIR   (numpy and scikit-learn needed)
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "bench", "peers"))
from gen_data import SEED_SURVEY, SIZES, make_survey  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for key in ["100k", "1m"]:
    ids, mags, z, label = make_survey(SIZES[key], SEED_SURVEY[key])
    col = np.stack([mags["u"] - mags["g"], mags["g"] - mags["r"], mags["r"] - mags["i"], mags["i"] - mags["z"]], 1)
    np.ascontiguousarray(col, dtype="<f8").tofile(os.path.join(out, f"survey_{key}.colours.f64"))
    label.astype("<i8").tofile(os.path.join(out, f"survey_{key}.labels.i64"))
np.random.Generator(np.random.PCG64(0)).choice(1_000_000, 1000, replace=False).astype("<i8").tofile(
    os.path.join(out, "b2_labelled.i64"))

from sklearn.model_selection import train_test_split  # noqa: E402

y = np.fromfile(os.path.join(out, "survey_100k.labels.i64"), dtype="<i8")
idx = np.arange(len(y))
pool, test = train_test_split(idx, test_size=0.2, stratify=y, random_state=0)
init, rest = train_test_split(pool, train_size=10, stratify=y[pool], random_state=0)
np.concatenate([init, rest, test]).astype("<i8").tofile(os.path.join(out, "b3_split_seed0.i64"))
