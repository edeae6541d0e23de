#!/usr/bin/env python3
"""Writes the FITS fixtures of the FITS reader tests with astropy, and what astropy reads back.

Run from this folder with astropy 8 (pip install astropy): python make_fits_fixtures.py
Outputs (committed): types.fits, ascii.fits, vla.fits, and expected.json: for every column of every table,
the physical values (numbers as {"n": repr(value)}, text as strings) astropy.table.Table.read returns (masked and NaN cells as null), so the Swift
tests compare cfitsio's reading with astropy's, value by value.
"""
import json
import math

import numpy as np
from astropy.io import fits
from astropy.table import Table

n = 7
rng = np.random.default_rng(20240601)

cols = [
    fits.Column(name="u8", format="B", array=np.array([0, 1, 2, 127, 128, 254, 255], dtype=np.uint8)),
    fits.Column(name="i16", format="I", array=np.array([-32768, -1, 0, 1, 2, 32766, 32767], dtype=np.int16)),
    fits.Column(name="i32", format="J", array=np.array([-2**31, -5, 0, 5, 7, 2**31 - 2, 2**31 - 1], dtype=np.int32)),
    fits.Column(name="i64", format="K", array=np.array([-2**53, -3, 0, 3, 2**40, 2**53 - 1, 2**53], dtype=np.int64)),
    fits.Column(name="f32", format="E", array=np.array([0.1, -2.5, 1e-30, 3.4e38, np.nan, 1.0, -0.0], dtype=np.float32)),
    fits.Column(name="f64", format="D", array=np.array([0.1, -2.5, 1e-300, 1.7976931348623157e308, np.nan, np.inf, -np.inf])),
    fits.Column(name="flag", format="L", array=np.array([True, False, True, True, False, False, True])),
    fits.Column(name="name", format="12A", array=np.array(["alpha", "beta gamma", "", "delta", "x" * 12, "trail  ", "z"])),
    # Undefined integers: TNULL
    fits.Column(name="withnull", format="J", null=-999, array=np.array([1, -999, 3, -999, 5, 6, -999], dtype=np.int32)),
    # Unsigned 16-bit: stored as I with TZERO = 32768
    fits.Column(name="u16", format="I", bzero=32768, array=np.array([0, 1, 32767, 32768, 40000, 65534, 65535], dtype=np.uint16)),
    # Unsigned 32-bit: J with TZERO = 2147483648
    fits.Column(name="u32", format="J", bzero=2**31, array=np.array([0, 1, 2**31, 2**32 - 1, 5, 6, 7], dtype=np.uint32)),
    # Scaled: physical = raw * 0.01 + 100
    # (TSCAL/TZERO are set in the header below, over these raw integers)
    fits.Column(name="scaled", format="I", array=np.array([0, 150, -1, -10000, 10000, 1, 5025], dtype=np.int16)),
    # Vector column: three floats per row
    fits.Column(name="vec", format="3D", array=np.arange(n * 3, dtype=np.float64).reshape(n, 3) / 4),
]
sources = fits.BinTableHDU.from_columns(cols, name="SOURCES")
fits.HDUList([fits.PrimaryHDU(), sources]).writeto("types.fits", overwrite=True)
with fits.open("types.fits", mode="update") as f:
    f[1].header["TSCAL12"] = 0.01
    f[1].header["TZERO12"] = 100.0
sources = fits.open("types.fits")[1].copy()
other = fits.BinTableHDU.from_columns([fits.Column(name="k", format="J", array=np.array([10, 20], dtype=np.int32))],
                                      name="OTHER")
fits.HDUList([fits.PrimaryHDU(), sources, other]).writeto("types.fits", overwrite=True)

# An ASCII table (XTENSION = 'TABLE'): numbers written as text, read through cfitsio's conversions.
ascii = fits.TableHDU.from_columns([
    fits.Column(name="n", format="I6", array=np.array([1, -20, 300, 0, 7], dtype=np.int32)),
    fits.Column(name="x", format="E14.6", array=np.array([0.5, -1.25e-3, 2.0e10, 0.0, 3.5], dtype=np.float32)),
    fits.Column(name="y", format="D24.16", array=np.array([0.1, -2.5, 1e-300, 123456.789, 1.0])),
    fits.Column(name="word", format="A6", array=np.array(["one", "two", "", "four", "five"])),
], name="ASCII")
fits.HDUList([fits.PrimaryHDU(), ascii]).writeto("ascii.fits", overwrite=True)

vla = fits.Column(name="spectrum", format="PD()", array=np.array([np.array([1.0]), np.array([1.0, 2.0])], dtype=object))
fits.HDUList([fits.PrimaryHDU(), fits.BinTableHDU.from_columns(
    [fits.Column(name="id", format="J", array=np.array([1, 2], dtype=np.int32)), vla])]).writeto("vla.fits", overwrite=True)


def cell(v):
    if v is np.ma.masked:
        return None
    if isinstance(v, (bytes, np.bytes_)):
        v = v.decode("utf-8")
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_)):
        return {"n": "1" if v else "0"}
    f = float(v)
    if math.isnan(f):
        return None
    # Numbers as their shortest round-trip text, so no JSON parser's rounding gets in the way.
    return {"n": repr(f)}


expected = {}
for file, hdu in [("types.fits", "SOURCES"), ("types.fits", "OTHER"), ("ascii.fits", "ASCII")]:
    t = Table.read(file, hdu=hdu)
    table = {}
    for name in t.colnames:
        col = t[name]
        if col.ndim == 2:
            for e in range(col.shape[1]):
                table[f"{name}_{e}"] = [cell(col[r][e]) for r in range(len(col))]
        else:
            table[name] = [cell(col[r]) for r in range(len(col))]
    expected[hdu] = table
with open("expected.json", "w") as f:
    json.dump(expected, f, indent=1, ensure_ascii=False)
    f.write("\n")
print("wrote types.fits, ascii.fits, vla.fits, expected.json")
