#!/usr/bin/env bash
# Label-model benchmark: Astrolabe's rule analysis and label models beside snorkel (LFAnalysis,
# MajorityLabelVoter, LabelModel) and crowd-kit (Dawid–Skene, through its own M/E steps with abstain
# a response, as the tests compare), on one generated label matrix of N rows × 9 rules, 3 classes.
# Each case is a fresh process (timings exclude start-up and reading the file); the median of
# REPEATS runs is reported, with the ratio peer / Astrolabe. crowd-kit's Dawid–Skene takes about five
# seconds per EM iteration on a million rows, so it runs CROWDKIT_ITER iterations (default 5) and the
# two are compared per iteration (each side's whole time, set-up included, over its iterations;
# Astrolabe runs to convergence or 100).
#
#   bash bench/rules/run.sh [PYTHON] [N]
#
# PYTHON has snorkel, crowd-kit, numpy, pandas (versions in peer_rules.py; default /work/refvenv/bin/python),
# N rows (default 1,000,000). The matrix goes to $RULES_DATA (default /tmp/astrolabe-rules-bench).
set -euo pipefail
PY=${1:-/work/refvenv/bin/python}
N=${2:-1000000}
REPEATS=${REPEATS:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATA=${RULES_DATA:-/tmp/astrolabe-rules-bench}
cd "$ROOT"
swift build -c release --scratch-path .build-rel --product astrolabe-rulesbench >/dev/null
BENCH="$ROOT/.build-rel/release/astrolabe-rulesbench"
[ -f "$DATA/votes.bin" ] || "$PY" "$HERE/peer_rules.py" generate "$DATA" "$N"
ITER=${CROWDKIT_ITER:-5}

CASES=(
    "astrolabe_lf_summary|$BENCH summary $DATA"
    "snorkel_lf_summary|$PY $HERE/peer_rules.py summary $DATA"
    "astrolabe_majority|$BENCH majority $DATA"
    "snorkel_majority|$PY $HERE/peer_rules.py majority $DATA"
    "astrolabe_dawid_skene|$BENCH generative $DATA"
    "crowdkit_dawid_skene|$PY $HERE/peer_rules.py crowdkit $DATA $ITER"
    "snorkel_labelmodel|$PY $HERE/peer_rules.py snorkel $DATA"
)
OUT=$(mktemp)
for round in $(seq 1 "$REPEATS"); do
    for case in "${CASES[@]}"; do
        name=${case%%|*}
        # shellcheck disable=SC2086
        line=$(${case#*|})
        echo "$line"
        echo "$name $(echo "$line" | "$PY" -c 'import json,sys; d = json.load(sys.stdin); print(d["seconds"], d.get("iterations", 0))')" >> "$OUT"
    done
done
"$PY" - "$OUT" <<'PYEOF'
import statistics, sys
times, iterations = {}, {}
for line in open(sys.argv[1]):
    name, seconds, its = line.split()
    times.setdefault(name, []).append(float(seconds))
    iterations[name] = int(its)
med = {k: statistics.median(v) for k, v in times.items()}
for k, v in sorted(med.items()):
    print(f"{k:28s} {v:8.3f} s" + (f" ({iterations[k]} iterations)" if iterations[k] else ""))
for ours, peer in [("astrolabe_lf_summary", "snorkel_lf_summary"), ("astrolabe_majority", "snorkel_majority"),
                   ("astrolabe_dawid_skene", "snorkel_labelmodel")]:
    print(f"{peer} / {ours}: {med[peer] / med[ours]:.1f}x")
per = lambda k: med[k] / iterations[k]
print(f"crowdkit_dawid_skene / astrolabe_dawid_skene per EM iteration: {per('crowdkit_dawid_skene') / per('astrolabe_dawid_skene'):.1f}x")
PYEOF
