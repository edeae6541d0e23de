#!/usr/bin/env bash
# Sky cross-match and format-load benchmark: Astrolabe beside astropy (SkyCoord.match_to_catalog_sky,
# astropy.io.votable), pandas and polars (gzip CSV), on the same generated files. Each case is a fresh
# process; the median of REPEATS runs after a warm-up is reported, with the ratio peer / Astrolabe.
#
#   bash bench/sky/run.sh [PYTHON] [N]
#   ONLY=match,csv_gz bash bench/sky/run.sh     (only the cases whose names contain one of these)
#
# PYTHON has astropy, pandas and polars (versions in peer_sky.py; default /work/refvenv/bin/python),
# N rows per catalogue (default 1,000,000). Files go to $SKY_DATA (default /tmp/astrolabe-sky-bench).
set -euo pipefail
PY=${1:-/work/refvenv/bin/python}
N=${2:-1000000}
REPEATS=${REPEATS:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATA=${SKY_DATA:-/tmp/astrolabe-sky-bench}
mkdir -p "$DATA"
cd "$ROOT"
swift build -c release --scratch-path .build-rel --product astrolabe-skybench >/dev/null
BENCH="$ROOT/.build-rel/release/astrolabe-skybench"
[ -f "$DATA/left.csv" ] || "$PY" "$HERE/peer_sky.py" generate "$DATA" "$N"

CASES=(
    "astrolabe_match|$BENCH match $DATA/left.csv $DATA/right.csv 1.5"
    "astropy_match|$PY $HERE/peer_sky.py astropy_match $DATA/left.csv $DATA/right.csv 1.5"
    "astrolabe_votable|$BENCH load $DATA/cat.vot"
    "astropy_votable|$PY $HERE/peer_sky.py astropy_votable $DATA/cat.vot"
    "astrolabe_votable_tabledata|$BENCH load $DATA/cat_tabledata.vot"
    "astropy_votable_tabledata|$PY $HERE/peer_sky.py astropy_votable $DATA/cat_tabledata.vot"
    "astrolabe_csv_gz|$BENCH load $DATA/cat.csv.gz"
    "pandas_csv_gz|$PY $HERE/peer_sky.py pandas_csv_gz $DATA/cat.csv.gz"
    "polars_csv_gz|$PY $HERE/peer_sky.py polars_csv_gz $DATA/cat.csv.gz"
)
if [ -n "${ONLY:-}" ]; then
    KEPT=()
    for case in "${CASES[@]}"; do
        name=${case%%|*}
        for part in ${ONLY//,/ }; do [[ $name == *"$part"* ]] && { KEPT+=("$case"); break; }; done
    done
    CASES=("${KEPT[@]}")
fi
OUT=$(mktemp)
for round in $(seq 0 "$REPEATS"); do  # round 0 warms the page cache and is not kept
    for case in "${CASES[@]}"; do
        name=${case%%|*}
        # shellcheck disable=SC2086
        line=$(${case#*|})
        echo "$line"
        [ "$round" = 0 ] || echo "$name $(echo "$line" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')" >> "$OUT"
    done
done
"$PY" - "$OUT" <<'PYEOF'
import statistics, sys
times = {}
for line in open(sys.argv[1]):
    name, seconds = line.split()
    times.setdefault(name, []).append(float(seconds))
med = {k: statistics.median(v) for k, v in times.items()}
for k, v in sorted(med.items()):
    print(f"{k:32s} {v:8.3f} s")
for ours, peers in [("astrolabe_match", ["astropy_match"]), ("astrolabe_votable", ["astropy_votable"]),
                    ("astrolabe_votable_tabledata", ["astropy_votable_tabledata"]),
                    ("astrolabe_csv_gz", ["pandas_csv_gz", "polars_csv_gz"])]:
    for peer in peers:
        if peer not in med or ours not in med:
            continue
        print(f"{peer} / {ours}: {med[peer] / med[ours]:.1f}x")
PYEOF
