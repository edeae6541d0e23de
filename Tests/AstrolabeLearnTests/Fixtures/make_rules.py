"""Reference values for WeakLabelModelTests, written by the reference libraries.

Pinned: snorkel==0.10.0 crowd-kit==1.4.2 numpy==2.4.6 pandas==3.1.2
Rerun:  /work/refvenv/bin/python Tests/AstrolabeLearnTests/Fixtures/make_rules.py
Writes: Tests/AstrolabeLearnTests/Fixtures/rules.json

A seeded synthetic table of 30,000 rows, 3 classes (balance 0.5/0.3/0.2) and 9 labelling rules,
each voting one class (its polarity) with a known accuracy when it fires, independently of the
others given the true class. (votes, known labels and labels stored as base64 bytes of value + 1.) Half the rows carry a known label (the rest -1).

- lf_summary: snorkel's LFAnalysis.lf_summary — coverage, overlaps, conflicts on all rows;
  correct, incorrect and empirical accuracy on the rows with a known label — and the totals
  label_coverage / label_overlap / label_conflict.
- majority: snorkel's MajorityLabelVoter(cardinality=3): predict_proba and predict
  (tie_break_policy="abstain").
- generative: Dawid-Skene by crowd-kit's own DawidSkene._m_step / _e_step with each rule an
  annotator whose answers include "abstain" (response 3, never a true class), started from the
  vote shares of the non-abstain answers (uniform where a row has none), 100 iterations or until
  crowd-kit's evidence lower bound stops rising by 1e-5 per answer, as DawidSkene.fit does.
  (crowd-kit's DawidSkene.fit on the rows' votes alone cannot learn a rule that only ever votes
  one class: its confusion row is the same for every true class.) Its labels (argmax) and each
  rule's accuracy when it votes, P(Y = k | rule votes k).
"""
import base64
import json
import os

import numpy as np
import pandas as pd
from crowdkit.aggregation import DawidSkene
from snorkel.labeling import LFAnalysis
from snorkel.labeling.model import MajorityLabelVoter

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261208)

n, K = 30_000, 3
priors = np.array([0.5, 0.3, 0.2])
# (polarity, accuracy when it fires, chance it fires on a row of its class)
rules = [(0, 0.90, 0.40), (0, 0.75, 0.35), (0, 0.85, 0.20),
         (1, 0.80, 0.45), (1, 0.65, 0.40), (1, 0.92, 0.25),
         (2, 0.85, 0.50), (2, 0.70, 0.35), (2, 0.80, 0.30)]
y = rng.choice(K, size=n, p=priors)
L = np.full((n, len(rules)), -1, dtype=int)
for j, (k, acc, p) in enumerate(rules):
    # P(fire | other class) from the accuracy: acc = pi_k p / (pi_k p + (1 - pi_k) q).
    q = priors[k] * p * (1 - acc) / (acc * (1 - priors[k]))
    fire = np.where(y == k, rng.random(n) < p, rng.random(n) < q)
    L[fire, j] = k
known = rng.random(n) < 0.5
gold = np.where(known, y, -1)

# lf_summary: coverage/overlaps/conflicts over all rows, correct/incorrect on the known rows.
every = LFAnalysis(L).lf_summary()
judged = LFAnalysis(L[known]).lf_summary(Y=y[known])
summary = []
for j in range(len(rules)):
    summary.append({
        "polarity": [int(v) for v in every["Polarity"].iloc[j]],
        "coverage": float(every["Coverage"].iloc[j]),
        "overlaps": float(every["Overlaps"].iloc[j]),
        "conflicts": float(every["Conflicts"].iloc[j]),
        "correct": int(judged["Correct"].iloc[j]),
        "incorrect": int(judged["Incorrect"].iloc[j]),
        "empirical_accuracy": float(judged["Emp. Acc."].iloc[j]),
    })
analysis = LFAnalysis(L)
totals = {"coverage": float(analysis.label_coverage()), "overlap": float(analysis.label_overlap()),
          "conflict": float(analysis.label_conflict())}

voter = MajorityLabelVoter(cardinality=K)
majority_proba = voter.predict_proba(L)
majority_labels = voter.predict(L, tie_break_policy="abstain")

# Dawid-Skene through crowd-kit's own steps, abstain a response (label K).
rows, cols = np.nonzero(np.ones_like(L, dtype=bool))
data = pd.DataFrame({"task": rows, "worker": cols, "label": np.where(L[rows, cols] < 0, K, L[rows, cols])})
shares = np.zeros((n, K))
for j in range(len(rules)):
    voted = L[:, j] >= 0
    shares[voted, L[voted, j]] += 1
counts = shares.sum(axis=1, keepdims=True)
shares = np.where(counts > 0, shares / np.maximum(counts, 1), 1.0 / K)
probas = pd.DataFrame(shares, index=pd.Index(range(n), name="task"), columns=pd.Index(range(K), name="label"))
ds = DawidSkene(n_iter=100)
priors_hat = probas.mean()
errors = DawidSkene._m_step(data, probas)
loss = -np.inf
for iteration in range(100):
    probas = DawidSkene._e_step(data, priors_hat, errors)
    priors_hat = probas.mean()
    errors = DawidSkene._m_step(data, probas)
    new_loss = ds._evidence_lower_bound(data, probas, priors_hat, errors) / len(data)
    if new_loss - loss < ds.tol:
        break
    loss = new_loss
P = probas.sort_index().to_numpy()
accuracies = []
for j, (k, _, _) in enumerate(rules):
    e = errors.loc[(j, k)]  # P(rule j answers k | true class c), per c
    voted = sum(priors_hat[c] * e[c] for c in range(K))
    accuracies.append(float(priors_hat[k] * e[k] / voted))

def pack(values):
    return base64.b64encode((np.asarray(values) + 1).astype(np.uint8).tobytes()).decode()


# Each rule's accuracy on this sample (the fraction of its votes that are right, by the hidden truth).
realised = [float((y[L[:, j] >= 0] == k).mean()) for j, (k, _, _) in enumerate(rules)]
out = {
    "rows": n, "classes": K, "rules": len(rules),
    # Row-major votes and the known labels as base64 bytes of value + 1 (0 = abstain / unknown).
    "votes": pack(L.flatten()),
    "gold": pack(gold),
    "true_accuracies": [r[1] for r in rules],
    "realised_accuracies": realised,
    "summary": summary, "totals": totals,
    "majority_probabilities": majority_proba[:500].flatten().tolist(),
    "majority_labels": pack(majority_labels),
    "generative_labels": pack(P.argmax(axis=1)),
    "generative_accuracies": accuracies,
    "generative_priors": priors_hat.tolist(),
    "generative_iterations": iteration + 1,
}
with open(os.path.join(here, "rules.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("accuracies true", [r[1] for r in rules])
print("accuracies realised", [round(a, 3) for a in realised])
print("accuracies crowd-kit steps", [round(a, 3) for a in accuracies])
print("iterations", iteration + 1, "priors", priors_hat.tolist())
