#!/usr/bin/env python3
"""The peers' side of bench/load: the same measurement as bench/peers/b4_load.py's children
(read time around the call only, CPU time, RSS before, peak RSS after resetting VmHWM), one JSON line.
usage: peer_load.py pandas CSV | astropy FITS | pyarrow PARQUET | polars PARQUET | make10m PATH | makeparquet PATH"""
import json
import sys
import time


def status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return 0


case, path = sys.argv[1], sys.argv[2]
if case == "make10m":
    import numpy as np
    rng = np.random.Generator(np.random.PCG64(10_000_006))
    a = rng.standard_normal((10_000_000, 6)) * 2 + 20
    np.savetxt(path, a, fmt="%.6f", delimiter=",", header="a,b,c,d,e,f", comments="")
    sys.exit(0)
if case == "makeparquet":  # 1M rows x 8 columns: 5 doubles, 1 float, 1 int64, 1 dictionary string; snappy, pyarrow's defaults
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq
    rng = np.random.Generator(np.random.PCG64(1_000_008))
    n = 1_000_000
    cols = {f"x{i}": rng.standard_normal(n) * 2 + 20 for i in range(5)}
    cols["mag"] = rng.standard_normal(n).astype(np.float32)
    cols["id"] = np.arange(n, dtype=np.int64) * 7919
    cols["cls"] = pa.array(np.array(["star", "galaxy", "qso"])[rng.integers(0, 3, n)])
    pq.write_table(pa.table(cols), path)
    sys.exit(0)
if case == "pyarrow":
    import pyarrow.parquet as pq
    fn = lambda: pq.read_table(path)  # noqa: E731
elif case == "polars":
    import polars as pl
    fn = lambda: pl.read_parquet(path)  # noqa: E731
elif case == "pandas":
    import pandas as pd
    fn = lambda: pd.read_csv(path)  # noqa: E731
else:
    from astropy.table import Table
    fn = lambda: Table.read(path)  # noqa: E731
before = status("VmRSS")
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
c0 = time.process_time()
t0 = time.perf_counter()
obj = fn()
dt = time.perf_counter() - t0
print(json.dumps({"read_s": dt, "cpu_s": time.process_time() - c0, "rss_before": before, "peak_rss": status("VmHWM"),
                  "shape": [len(obj), len(obj.columns)]}))
