"""Peers of the rules benchmark (bench/rules/run.sh): the label matrix generator and the Python
reference timings, each printing one JSON line {"case", "seconds", ...}.

Pinned: snorkel==0.10.0 crowd-kit==1.4.2 numpy==2.4.6 pandas==3.1.2 torch (snorkel's)

  python peer_rules.py generate DIR N          # DIR/votes.bin: N x 9 int8 votes (-1 abstain), 3 classes
  python peer_rules.py summary DIR             # snorkel LFAnalysis.lf_summary + label_coverage/conflict
  python peer_rules.py majority DIR            # snorkel MajorityLabelVoter.predict_proba + predict
  python peer_rules.py snorkel DIR             # snorkel LabelModel.fit (defaults: 100 epochs) + predict_proba
  python peer_rules.py crowdkit DIR ITER       # crowd-kit DawidSkene's M/E steps, abstain a response, ITER iterations

The matrix is drawn as in Tests/AstrolabeLearnTests/Fixtures/make_rules.py: 9 one-class rules of
known accuracy, conditionally independent given the class (balance 0.5/0.3/0.2).
"""
import json
import os
import sys
import time

import numpy as np

K = 3
RULES = [(0, 0.90, 0.40), (0, 0.75, 0.35), (0, 0.85, 0.20),
         (1, 0.80, 0.45), (1, 0.65, 0.40), (1, 0.92, 0.25),
         (2, 0.85, 0.50), (2, 0.70, 0.35), (2, 0.80, 0.30)]
PRIORS = np.array([0.5, 0.3, 0.2])


def generate(directory, n):
    rng = np.random.default_rng(20261208)
    y = rng.choice(K, size=n, p=PRIORS)
    L = np.full((n, len(RULES)), -1, dtype=np.int8)
    for j, (k, acc, p) in enumerate(RULES):
        q = PRIORS[k] * p * (1 - acc) / (acc * (1 - PRIORS[k]))
        fire = np.where(y == k, rng.random(n) < p, rng.random(n) < q)
        L[fire, j] = k
    os.makedirs(directory, exist_ok=True)
    L.tofile(os.path.join(directory, "votes.bin"))
    y.astype(np.int8).tofile(os.path.join(directory, "truth.bin"))
    with open(os.path.join(directory, "meta.json"), "w") as f:
        json.dump({"rows": n, "rules": len(RULES), "classes": K}, f)


def load(directory):
    meta = json.load(open(os.path.join(directory, "meta.json")))
    L = np.fromfile(os.path.join(directory, "votes.bin"), dtype=np.int8).reshape(meta["rows"], meta["rules"]).astype(int)
    return L


def report(case, seconds, **extra):
    print(json.dumps({"case": case, "seconds": seconds, **extra}))


def main():
    what, directory = sys.argv[1], sys.argv[2]
    if what == "generate":
        generate(directory, int(sys.argv[3]))
        return
    L = load(directory)
    if what == "summary":
        from snorkel.labeling import LFAnalysis
        start = time.perf_counter()
        analysis = LFAnalysis(L)
        analysis.lf_summary()
        coverage, conflict = analysis.label_coverage(), analysis.label_conflict()
        report("snorkel_lf_summary", time.perf_counter() - start, coverage=coverage, conflict=conflict)
    elif what == "majority":
        from snorkel.labeling.model import MajorityLabelVoter
        start = time.perf_counter()
        voter = MajorityLabelVoter(cardinality=K)
        voter.predict_proba(L)
        labels = voter.predict(L, tie_break_policy="abstain")
        report("snorkel_majority", time.perf_counter() - start, labelled=int((labels >= 0).sum()))
    elif what == "snorkel":
        from snorkel.labeling.model import LabelModel
        start = time.perf_counter()
        model = LabelModel(cardinality=K, verbose=False)
        model.fit(L, seed=42)
        model.predict_proba(L)
        report("snorkel_labelmodel", time.perf_counter() - start, accuracies=[round(float(a), 3) for a in model.get_weights()])
    elif what == "crowdkit":
        import pandas as pd
        from crowdkit.aggregation import DawidSkene
        iterations = int(sys.argv[3])
        start = time.perf_counter()
        n = L.shape[0]
        rows, cols = np.nonzero(np.ones_like(L, dtype=bool))
        data = pd.DataFrame({"task": rows, "worker": cols, "label": np.where(L[rows, cols] < 0, K, L[rows, cols])})
        shares = np.zeros((n, K))
        for j in range(L.shape[1]):
            voted = L[:, j] >= 0
            shares[voted, L[voted, j]] += 1
        counts = shares.sum(axis=1, keepdims=True)
        shares = np.where(counts > 0, shares / np.maximum(counts, 1), 1.0 / K)
        probas = pd.DataFrame(shares, index=pd.Index(range(n), name="task"), columns=pd.Index(range(K), name="label"))
        priors = probas.mean()
        errors = DawidSkene._m_step(data, probas)
        for _ in range(iterations):
            probas = DawidSkene._e_step(data, priors, errors)
            priors = probas.mean()
            errors = DawidSkene._m_step(data, probas)
        report("crowdkit_dawid_skene", time.perf_counter() - start, iterations=iterations)


if __name__ == "__main__":
    main()
