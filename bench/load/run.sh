#!/usr/bin/env bash
# Load benchmark, side by side with the peers' B4 (pandas.read_csv, astropy Table.read) on the
# same generated files. Every run is a fresh process; medians of REPEATS runs after one warm-up.
#
#   bash bench/load/run.sh DATA_DIR [PYTHON]
#
# DATA_DIR holds survey_1m.csv and survey_1m.fits from /work/shared/bench/peers/gen_data.py
# (python gen_data.py --outdir DATA_DIR --skip-10m). PYTHON has pandas and astropy (default:
# the peers' venv). Also writes and loads a 10M x 6 float CSV (points_10m_6.csv) for the memory
# target when BIG=1. Prints one JSON line per run and a summary of ratios.
set -euo pipefail
DATA=${1:?usage: run.sh DATA_DIR [PYTHON]}
PY=${2:-$HOME/.cache/astrolabe-peers/venv/bin/python}
REPEATS=${REPEATS:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
swift build -c release --product astrolabe-bench >/dev/null
BENCH="$ROOT/.build/release/astrolabe-bench"
OUT=$(mktemp -d)

run() { # name command...
    local name=$1; shift
    "$@" >/dev/null  # warm-up (page cache)
    for _ in $(seq "$REPEATS"); do "$@"; done > "$OUT/$name.jsonl"
}
run astrolabe_csv "$BENCH" csv "$DATA/survey_1m.csv"
run astrolabe_csv_float32 "$BENCH" csv "$DATA/survey_1m.csv" --float32
run astrolabe_fits "$BENCH" fits "$DATA/survey_1m.fits"
run pandas_read_csv "$PY" "$HERE/peer_load.py" pandas "$DATA/survey_1m.csv"
run astropy_fits "$PY" "$HERE/peer_load.py" astropy "$DATA/survey_1m.fits"
if [ "${BIG:-0}" = 1 ]; then
    [ -f "$DATA/points_10m_6.csv" ] || "$PY" "$HERE/peer_load.py" make10m "$DATA/points_10m_6.csv"
    REPEATS=1 run astrolabe_10m_describe "$BENCH" csv "$DATA/points_10m_6.csv" --describe
fi
"$PY" "$HERE/summarize.py" "$OUT"
