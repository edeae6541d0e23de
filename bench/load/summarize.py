#!/usr/bin/env python3
"""Medians of bench/load runs and the ratios the issue asks for."""
import json
import os
import statistics
import sys

out = sys.argv[1]
med = {}
for name in sorted(os.listdir(out)):
    runs = [json.loads(l) for l in open(os.path.join(out, name)) if l.strip()]
    key = name[:-6]
    m = {k: statistics.median(r[k] for r in runs) for k in ["read_s", "cpu_s", "peak_rss", "rss_before"]}
    m["extra_rss"] = statistics.median(r["peak_rss"] - r["rss_before"] for r in runs)
    if "column_bytes" in runs[0]:
        m["column_bytes"] = runs[0]["column_bytes"]
        m["extra_rss_load"] = statistics.median(r["peak_rss_load"] - r["rss_before"] for r in runs)
        m["describe_s"] = statistics.median(r.get("describe_s", 0) for r in runs)
    med[key] = m
    print(f"{key:26s} read {m['read_s']*1000:8.1f} ms  cpu {m['cpu_s']*1000:8.1f} ms  "
          f"peak-before {m['extra_rss']/1e6:7.1f} MB" + (f"  columns {m['column_bytes']/1e6:6.1f} MB" if 'column_bytes' in m else ""))


def ratio(a, b, k):
    if a in med and b in med:
        print(f"{a} vs {b}: {med[b][k] / med[a][k]:.2f}x ({k})")


for k in ["read_s", "cpu_s"]:
    ratio("astrolabe_csv", "pandas_read_csv", k)
    ratio("astrolabe_fits", "astropy_fits", k)
    ratio("astrolabe_csv_points", "pandas_read_csv_points", k)
    ratio("astrolabe_parquet", "pyarrow_parquet", k)
    ratio("astrolabe_parquet", "polars_parquet", k)
for name in ["astrolabe_csv", "astrolabe_csv_float32", "astrolabe_fits", "astrolabe_10m_describe"]:
    if name in med:
        m = med[name]
        print(f"{name}: (peak - before) / column bytes = {m['extra_rss'] / m['column_bytes']:.2f}"
              + (f" (load alone {m['extra_rss_load'] / m['column_bytes']:.2f}, describe {m['describe_s']:.2f} s)"
                 if m.get("describe_s") else ""))
