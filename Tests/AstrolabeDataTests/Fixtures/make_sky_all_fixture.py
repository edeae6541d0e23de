#!/usr/bin/env python3
"""Writes astropy's "all matches" of sky_left.csv against sky_right.csv, for `join ... sky find=all`.

Run from this folder, after make_sky_fixtures.py, with astropy 8.0.2 and numpy 2.4.6:
    python make_sky_all_fixture.py
Output (committed): sky_all_expected.csv, one line per pair within 5 arcsec from
astropy.coordinates.search_around_sky (left row, right row, separation in arcsec written with repr), sorted
by left row, then separation, then right row. The poles are crowded (several partners per row).
"""
import numpy as np
from astropy import units as u
from astropy.coordinates import SkyCoord, search_around_sky


def read(name):
    data = np.loadtxt(name, delimiter=",", skiprows=1, dtype=float)
    return SkyCoord(data[:, 0] * u.deg, data[:, 1] * u.deg)


left, right = read("sky_left.csv"), read("sky_right.csv")
i, j, sep, _ = search_around_sky(left, right, 5 * u.arcsec)  # i into left, j into right
order = np.lexsort((j, sep.arcsec, i))
with open("sky_all_expected.csv", "w") as f:
    f.write("left,right,sep_arcsec\n")
    for k in order:
        f.write(f"{int(i[k])},{int(j[k])},{float(sep.arcsec[k])!r}\n")
