#!/usr/bin/env bash
# Load benchmark, side by side with the peers' B4 (pandas.read_csv, astropy Table.read) on the
# same generated files. Every run is a fresh process; medians of REPEATS runs after one warm-up.
# ONLY=regex picks cases by name (e.g. ONLY='astrolabe_fits|astropy_fits').
#
#   bash bench/load/run.sh DATA_DIR [PYTHON]
#
# DATA_DIR holds survey_1m.csv, survey_1m.fits and points_1m.csv (x, y with 17 significant digits,
# the input of the density-image benchmark) from /work/shared/bench/peers/gen_data.py
# (python gen_data.py --outdir DATA_DIR --skip-10m). PYTHON has pandas and astropy (default:
# the peers' venv). Also writes and loads a 10M x 6 float CSV for the memory target and describe
# when BIG=1: BIG_CSV names it (default DATA/points_10m_6.csv; point it outside a shared DATA).
# Prints one JSON line per run and a summary of ratios.
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

# The cases take turns, run after run, so a neighbour's load (the machine is shared) hits all of
# them alike rather than whichever happened to run during it.
CASES=(
    "astrolabe_csv|$BENCH csv $DATA/survey_1m.csv"
    "astrolabe_csv_float32|$BENCH csv $DATA/survey_1m.csv --float32"
    "astrolabe_fits|$BENCH fits $DATA/survey_1m.fits"
    "pandas_read_csv|$PY $HERE/peer_load.py pandas $DATA/survey_1m.csv"
    "astrolabe_csv_points|$BENCH csv $DATA/points_1m.csv"
    "pandas_read_csv_points|$PY $HERE/peer_load.py pandas $DATA/points_1m.csv"
    "astropy_fits|$PY $HERE/peer_load.py astropy $DATA/survey_1m.fits"
    "astrolabe_parquet|$BENCH parquet $DATA/parquet_1m_8.parquet"
    "pyarrow_parquet|$PY $HERE/peer_load.py pyarrow $DATA/parquet_1m_8.parquet"
    "polars_parquet|$PY $HERE/peer_load.py polars $DATA/parquet_1m_8.parquet"
)
# The 1M x 8 Parquet file (pyarrow's defaults: snappy, dictionary pages) is written here when missing.
[ -f "$DATA/parquet_1m_8.parquet" ] || "$PY" "$HERE/peer_load.py" makeparquet "$DATA/parquet_1m_8.parquet"
for round in $(seq 0 "$REPEATS"); do  # round 0 is the warm-up (page cache), not recorded
    for case in "${CASES[@]}"; do
        name=${case%%|*}
        if [ -n "${ONLY:-}" ] && ! [[ $name =~ ^($ONLY)$ ]]; then continue; fi
        # shellcheck disable=SC2086
        if [ "$round" = 0 ]; then ${case#*|} >/dev/null; else ${case#*|} >> "$OUT/$name.jsonl"; fi
    done
done
if [ "${BIG:-0}" = 1 ]; then
    BIG_CSV=${BIG_CSV:-$DATA/points_10m_6.csv}
    [ -f "$BIG_CSV" ] || "$PY" "$HERE/peer_load.py" make10m "$BIG_CSV"
    "$BENCH" csv "$BIG_CSV" --describe >/dev/null
    for _ in $(seq "$REPEATS"); do "$BENCH" csv "$BIG_CSV" --describe; done > "$OUT/astrolabe_10m_describe.jsonl"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
"$PY" "$HERE/summarize.py" "$OUT"
