#!/usr/bin/env python3
"""Writes the VOTable, ECSV and compressed-CSV fixtures of the format reader tests with astropy,
and what astropy reads back from each file.

Run from this folder with astropy 8.0.2 and numpy 2.4.6 (pip install astropy==8.0.2 numpy==2.4.6):
    python make_formats_fixtures.py
Outputs (committed): types_tabledata.vot, types_binary.vot, types_binary2.vot, types.ecsv,
stars.csv.bz2, stars.csv.xz, comma_header.tsv.bz2/.xz, types.ecsv.xz, units.fits and formats_expected.json: for every file, every column astropy reads,
with its unit and description and its cells (floats as float.hex() strings so the comparison is
bit for bit, integers as numbers, booleans as 0/1, strings as strings, masked cells as null).
"""
import bz2
import json
import lzma
import math

import numpy as np
from astropy.io import votable
from astropy.io.votable.tree import VOTableFile
from astropy.table import MaskedColumn, Table

n = 6


def masked(values, dtype, mask):
    return MaskedColumn(np.array(values, dtype=dtype), mask=mask)


def table():
    t = Table()
    t["u8"] = masked([0, 1, 127, 200, 255, 3], np.uint8, [0, 0, 0, 0, 0, 1])
    t["i16"] = masked([-32768, -1, 0, 1, 32767, 9], np.int16, [0, 0, 1, 0, 0, 0])
    t["i32"] = masked([-2**31, -5, 0, 7, 2**31 - 1, 4], np.int32, [0, 1, 0, 0, 0, 0])
    t["i64"] = masked([-2**53, -3, 0, 2**40, 2**53, 8], np.int64, [0, 0, 0, 1, 0, 0])
    t["f32"] = masked([0.1, -2.5, 1e-30, 3.4e38, np.nan, 1.0], np.float32, [0, 0, 0, 0, 0, 1])
    t["f64"] = masked([0.1, -2.5, 1e-300, 1.7976931348623157e308, np.inf, 5e-324], np.float64, [0, 0, 0, 0, 0, 1])
    t["flag"] = masked([True, False, True, False, True, False], bool, [0, 0, 0, 1, 0, 0])
    t["ok"] = masked([True, True, False, False, True, False], bool, [0, 0, 0, 1, 0, 0])
    t["name"] = masked(["alpha", "beta gamma", "", "δ Cep", "x" * 12, "ok"], "U12", [0, 0, 1, 0, 0, 0])
    t["vec"] = np.array([[1.5, 2.5, 3.5]] * n) * np.arange(1, n + 1)[:, None]
    t["f64"].unit = "deg"
    t["f64"].description = "Right ascension (ICRS)"
    t["f32"].unit = "mag"
    t["i32"].description = "count, with a ‘quote’ and: colon"
    return t


def cells(column):
    out = []
    data = np.ma.getdata(column)
    mask = np.ma.getmaskarray(column)
    for value, m in zip(data, mask):
        if m:
            out.append(None)
        elif isinstance(value, (bytes, np.bytes_)):
            out.append(value.decode("utf-8"))
        elif isinstance(value, str):
            out.append(value)
        elif isinstance(value, (bool, np.bool_)):
            out.append(int(value))
        elif np.issubdtype(type(value), np.integer):
            out.append(int(value))
        else:
            v = float(value)
            out.append(None if math.isnan(v) else v.hex())
    return out


def describe(t):
    columns = []
    for name in t.colnames:
        c = t[name]
        if c.ndim > 1:  # a fixed array: one column per element, as the readers make them
            for e in range(c.shape[1]):
                columns.append({"name": f"{name}_{e}", "unit": str(c.unit) if c.unit else None,
                                "description": c.description, "cells": cells(c[:, e])})
        else:
            columns.append({"name": name, "unit": str(c.unit) if c.unit else None,
                            "description": c.description, "cells": cells(c)})
    return columns


expected = {}
for fmt in ["tabledata", "binary", "binary2"]:
    path = f"types_{fmt}.vot"
    vot = VOTableFile.from_table(table())
    vot.get_first_table().format = fmt
    # BINARY has no null flags: masked integers need a <VALUES null="..."> (tested in every format).
    nulls = {"u8": 254, "i16": 12345, "i32": -999999, "i64": -99}
    for field in vot.get_first_table().fields:
        if field.name in nulls:
            field.values.null = nulls[field.name]
        if field.name == "ok":  # astropy writes booleans as bit; this one as boolean (which has a null, `?`)
            field.datatype = "boolean"
    if fmt == "binary2":
        vot.version = "1.3"
    vot.to_xml(path)
    expected[path] = describe(votable.parse_single_table(path).to_table())

# ECSV: the same columns but the array one (an ECSV subtype, which the reader refuses by name).
ecsv = table()
ecsv.remove_column("vec")
ecsv.write("types.ecsv", format="ascii.ecsv", overwrite=True)
expected["types.ecsv"] = describe(Table.read("types.ecsv", format="ascii.ecsv"))

# FITS with TUNITn and TCOMMn: the header as astropy.io.fits reads it is the reference.
from astropy.io import fits

hdu = fits.BinTableHDU.from_columns([
    fits.Column(name="ra", format="D", unit="deg", array=np.array([10.5, 20.25])),
    fits.Column(name="flux", format="E", unit="erg/cm2/s", array=np.array([1e-12, 2e-12], dtype=np.float32)),
    fits.Column(name="n", format="J", array=np.array([1, 2], dtype=np.int32)),
])
hdu.header["TCOMM1"] = "Right ascension, ICRS"
hdu.header["TCOMM2"] = "Energy flux 0.1-100 GeV"
hdu.writeto("units.fits", overwrite=True)
with fits.open("units.fits") as f:
    h = f[1].header
    expected["units.fits"] = [{"name": h.get(f"TTYPE{i}"), "unit": h.get(f"TUNIT{i}"), "description": h.get(f"TCOMM{i}")}
                              for i in range(1, h["TFIELDS"] + 1)]

stars = b"name,ra,dec\nVega,279.2347,38.7837\nDeneb,310.3580,45.2803\n"
with open("stars.csv.bz2", "wb") as f:
    f.write(bz2.compress(stars))
with open("stars.csv.xz", "wb") as f:
    f.write(lzma.compress(stars))

# A TSV whose header has a comma in a name: only the name `.tsv` says tab, also when compressed.
tsv = "name,alias\tmag\nVega\t0.03\n".encode()
with open("comma_header.tsv.bz2", "wb") as f:
    f.write(bz2.compress(tsv))
with open("comma_header.tsv.xz", "wb") as f:
    f.write(lzma.compress(tsv))
with open("types.ecsv", "rb") as source, open("types.ecsv.xz", "wb") as f:
    f.write(lzma.compress(source.read()))

with open("formats_expected.json", "w") as f:
    json.dump(expected, f, indent=1, ensure_ascii=False)
    f.write("\n")
