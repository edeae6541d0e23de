"""Writes out/survey.csv: 1,000,000 rows, an id, 8 numeric features and a class label (three
Gaussian blobs, seeded), the table both ML backends serve."""
import os
import numpy as np

rng = np.random.default_rng(16)
n = 1_000_000
labels = rng.integers(0, 3, n)
centres = rng.normal(0, 1.5, (3, 8))
x = centres[labels] + rng.normal(0, 1.0, (n, 8))
os.makedirs(os.path.join(os.path.dirname(__file__), "out"), exist_ok=True)
with open(os.path.join(os.path.dirname(__file__), "out", "survey.csv"), "w") as f:
    f.write("id," + ",".join(f"f{i}" for i in range(1, 9)) + ",label\n")
    names = np.array(["a", "b", "c"])[labels]
    for start in range(0, n, 100_000):
        block = [f"{i}," + ",".join(f"{v:.6f}" for v in x[i]) + f",{names[i]}" for i in range(start, min(n, start + 100_000))]
        f.write("\n".join(block) + "\n")
