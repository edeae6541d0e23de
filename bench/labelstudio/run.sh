#!/bin/sh
# /predict latency: Astrolabe's `serve labelstudio` against a label-studio-ml + scikit-learn backend,
# same 1M-row table, same 100-tree forest size, same requests. Run from the repository root:
#   sh bench/labelstudio/run.sh
# Needs a release build (swift build -c release --product astrolabe) and bench/labelstudio/.venv
# (python3 -m venv bench/labelstudio/.venv && bench/labelstudio/.venv/bin/pip install -r bench/labelstudio/requirements.txt).
set -e
HERE=bench/labelstudio
PY=$HERE/.venv/bin/python
BIN=${ASTROLABE_BIN:-.build/release/astrolabe}
[ -f $HERE/out/survey.csv ] || $PY $HERE/make_data.py
A_PORT=${A_PORT:-9191}; P_PORT=${P_PORT:-9192}
{ cat $HERE/serve.alab; echo "export labelconfig survey to=$HERE/out/config.xml"; echo "serve labelstudio m port=$A_PORT"; } > $HERE/out/serve.alab
$BIN < $HERE/out/serve.alab 2> $HERE/out/astrolabe.log &
A_PID=$!
$PY $HERE/peer_backend.py $P_PORT > $HERE/out/peer.log 2>&1 &
P_PID=$!
trap 'kill $A_PID $P_PID 2>/dev/null' EXIT
for port in $A_PORT $P_PORT; do
  i=0; until curl -sf http://127.0.0.1:$port/health > /dev/null; do i=$((i+1)); [ $i -lt 600 ] || { echo "no server on $port"; exit 1; }; sleep 0.5; done
done
$PY $HERE/bench.py $A_PORT $P_PORT
