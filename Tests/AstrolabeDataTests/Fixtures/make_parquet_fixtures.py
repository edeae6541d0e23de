#!/usr/bin/env python3
"""Writes the Parquet fixtures of the Parquet reader tests with pyarrow, and what pyarrow reads back.

Requirements: pyarrow==26.0.1 (numpy as pyarrow needs it). Rerun from this folder:
    /path/to/python make_parquet_fixtures.py
Outputs (committed), in parquet/:
  t_<codec>_v<page version>_<dict|plain>.parquet  one table (100 rows, 4 row groups of at most 32 rows,
      pages of a few rows) for every codec (none, snappy, zstd, gzip) × data page version (1, 2) ×
      dictionary encoding on/off (and one in Parquet format 1.0: PLAIN_DICTIONARY pages); numbers with nulls in several patterns, a required column,
      booleans, text and a dictionary (categorical) column.
  nested.parquet, int96.parquet, duplicate.parquet  files the reader refuses (a list column, INT96
      times, two columns of one name).
  expected.json  the file names, and (once: every fixture holds the same table) the values pyarrow.parquet.read_table returns: numbers as
      the hex of their IEEE-754 double bits (float32 widened exactly; integers converted to double;
      booleans 1/0), text as strings, nulls as null. The Swift tests compare bit for bit.
"""
import json
import os
import struct

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "parquet")
N = 100
rng = np.random.default_rng(20261207)


def nulls(pattern):
    """Null masks: none, every third, all but the first, all, a run in the middle."""
    if pattern == "none":
        return np.zeros(N, bool)
    if pattern == "third":
        return np.arange(N) % 3 == 1
    if pattern == "mostly":
        return np.arange(N) > 0
    if pattern == "all":
        return np.ones(N, bool)
    return (np.arange(N) >= 40) & (np.arange(N) < 70)


def table():
    ints = lambda lo, hi, dt: rng.integers(lo, hi, N, endpoint=True, dtype=dt)
    f32 = rng.normal(0, 1e3, N).astype(np.float32)
    f32[:6] = [np.nan, np.inf, -np.inf, -0.0, 1e-45, 3.4028235e38]
    f64 = rng.normal(0, 1, N) * 10.0 ** rng.integers(-300, 300, N)
    f64[:6] = [np.nan, np.inf, -np.inf, -0.0, 5e-324, 1.7976931348623157e308]
    words = ["alpha", "béta", "", "γάμμα", "x" * 40, "Gaia DR3 1234"]
    cols = {
        "i8": pa.array(ints(-128, 127, np.int8), mask=nulls("third")),
        "i16": pa.array(ints(-32768, 32767, np.int16), mask=nulls("run")),
        "i32": pa.array(ints(-2**31, 2**31 - 1, np.int32), mask=nulls("none")),
        "i64": pa.array(ints(-2**63, 2**63 - 1, np.int64), mask=nulls("third")),
        "u8": pa.array(ints(0, 255, np.uint8), mask=nulls("mostly")),
        "u16": pa.array(ints(0, 65535, np.uint16), mask=nulls("none")),
        "u32": pa.array(ints(0, 2**32 - 1, np.uint32), mask=nulls("run")),
        "u64": pa.array(ints(0, 2**64 - 1, np.uint64), mask=nulls("third")),
        "f32": pa.array(f32, mask=nulls("run")),
        "f64": pa.array(f64, mask=nulls("third")),
        "empty": pa.array(np.zeros(N), mask=nulls("all")),
        "flag": pa.array(rng.integers(0, 1, N, endpoint=True).astype(bool), mask=nulls("third")),
        "name": pa.array([words[i % len(words)] + str(i % 7) for i in range(N)], mask=nulls("run")),
        "cls": pa.array([["star", "galaxy", "qso"][i % 3] for i in range(N)], mask=nulls("third")).dictionary_encode(),
        "small": pa.array(rng.integers(0, 3, N)),  # few distinct values: long RLE runs in the dictionary indices
    }
    fields = [pa.field(k, v.type, nullable=(k != "i32")) for k, v in cols.items()]
    return pa.Table.from_arrays(list(cols.values()), schema=pa.schema(fields))


def bits(x):
    return struct.pack(">d", float(x)).hex()


def expected(t):
    out = {}
    for name in t.column_names:
        col = t.column(name)
        if pa.types.is_dictionary(col.type):
            col = col.cast(col.type.value_type)
        values = col.to_pylist()
        if pa.types.is_string(col.type):
            out[name] = values
        elif pa.types.is_boolean(col.type):
            out[name] = [None if v is None else bits(1.0 if v else 0.0) for v in values]
        else:
            out[name] = [None if v is None else bits(v) for v in values]
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    t = table()
    result = {}
    for codec in ["none", "snappy", "zstd", "gzip"]:
        for version in ["1.0", "2.0"]:
            for dictionary in [True, False]:
                name = f"t_{codec}_v{version[0]}_{'dict' if dictionary else 'plain'}.parquet"
                path = os.path.join(OUT, name)
                pq.write_table(t, path, compression=codec, data_page_version=version, use_dictionary=dictionary,
                               row_group_size=32, data_page_size=128, write_batch_size=8,
                               write_statistics=True, store_schema=False)
                result[name] = expected(pq.read_table(path))
    # Parquet format 1.0 (older writers): dictionary data pages say PLAIN_DICTIONARY, not RLE_DICTIONARY.
    name = "t_snappy_v1_dict_format1.parquet"
    pq.write_table(t, os.path.join(OUT, name), version="1.0", compression="snappy", row_group_size=32,
                   data_page_size=128, write_batch_size=8, store_schema=False)
    result[name] = expected(pq.read_table(os.path.join(OUT, name)))
    # Every file holds the same table: the values are stored once, after checking pyarrow agrees.
    first = next(iter(result.values()))
    assert all(values == first for values in result.values())
    result = {"files": sorted(result), "columns": first}
    nested = pa.table({"x": pa.array([1.0, 2.0]), "v": pa.array([[1, 2], [3]])})
    pq.write_table(nested, os.path.join(OUT, "nested.parquet"))
    times = pa.table({"x": pa.array([1.0, 2.0]), "t": pa.array([0, 1], pa.timestamp("ns"))})
    pq.write_table(times, os.path.join(OUT, "int96.parquet"), use_deprecated_int96_timestamps=True)
    twice = pa.Table.from_arrays([pa.array([1.0]), pa.array([2.0])], names=["a", "a"])
    pq.write_table(twice, os.path.join(OUT, "duplicate.parquet"))
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(result, f, indent=0, sort_keys=True, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
