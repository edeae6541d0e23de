#!/usr/bin/env python3
"""Writes b5_protocol.json: the exact splits of ../shared/bench/peers/b5_learning_curves.py (B5), so
astrolabe-learnbench can replay the same experiment and compare AUBC with the recorded modAL runs.

For each dataset (scikit-learn's load_wine / load_breast_cancer / load_digits, in their row order, the
same rows as ../shared/data/sklearn_*.csv) and seed 0..9: the test rows, the 5 initial rows, and the
positions the `random` strategy draws (Generator(PCG64(seed)).integers over the shrinking pool), all
computed with B5's own code. Run: /tmp/skvenv/bin/python bench/learn/b5_protocol.py
"""
import json
import os

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.model_selection import train_test_split

N_INIT, MAX_BUDGET = 5, 200


def initial(pool, y, seed):
    classes = np.unique(y[pool])
    if N_INIT >= len(classes):
        init, _ = train_test_split(pool, train_size=N_INIT, stratify=y[pool], random_state=seed)
        return np.asarray(init)
    rng = np.random.Generator(np.random.PCG64(seed))
    chosen = rng.choice(classes, N_INIT, replace=False)
    return np.array([rng.choice(pool[y[pool] == c]) for c in chosen])


out = {}
for name, loader in [("wine", load_wine), ("breast_cancer", load_breast_cancer), ("digits", load_digits)]:
    y = loader().target
    idx = np.arange(len(y))
    runs = []
    for seed in range(10):
        pool, test = train_test_split(idx, test_size=0.25, stratify=y, random_state=seed)
        init = initial(pool, y, seed)
        rest = np.setdiff1d(pool, init)
        budget = min(MAX_BUDGET, len(pool))
        rng = np.random.Generator(np.random.PCG64(seed))
        n = len(rest)
        picks = []
        for _ in range(budget - N_INIT):
            picks.append(int(rng.integers(n)))
            n -= 1
        runs.append({"seed": seed, "test": sorted(int(i) for i in test), "pool": sorted(int(i) for i in pool),
                     "initial": [int(i) for i in init], "random_picks": picks, "budget": budget})
    out[name] = runs
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "b5_protocol.json")
json.dump(out, open(path, "w"), separators=(",", ":"))
print("wrote", path)
