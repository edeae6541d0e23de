#!/usr/bin/env python3
"""Writes the sky cross-match fixtures: two catalogues and astropy's match of one to the other.

Run from this folder with astropy 8.0.2 and numpy 2.4.6 (pip install astropy==8.0.2 numpy==2.4.6):
    python make_sky_fixtures.py
Outputs (committed): sky_left.csv and sky_right.csv (ra, dec in degrees, written with repr so the
Swift tests read the very same doubles), and sky_expected.csv: for every left row the row of its
nearest right neighbour and the separation in arcseconds (repr), from
SkyCoord.match_to_catalog_sky. Positions crowd the poles and RA = 0/360 on purpose.
"""
import numpy as np
from astropy import units as u
from astropy.coordinates import SkyCoord

rng = np.random.default_rng(17)


def sphere(n):
    ra = rng.uniform(0, 360, n)
    dec = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    return ra, dec


def near_poles(n):
    ra = rng.uniform(0, 360, n)
    dec = np.where(rng.uniform(size=n) < 0.5, 1, -1) * (90 - rng.uniform(0, 0.01, n))
    return ra, dec


def across_ra_zero(n):
    ra = np.mod(rng.uniform(-0.01, 0.01, n), 360)
    return ra, rng.uniform(-80, 80, n)


parts = [sphere(1500), near_poles(400), across_ra_zero(400)]
left_ra = np.concatenate([p[0] for p in parts])
left_dec = np.concatenate([p[1] for p in parts])
# The right catalogue: most left positions again, moved by up to ~2 arcsec, plus unrelated ones.
moved = rng.uniform(size=left_ra.size) < 0.8
offset_dec = rng.normal(0, 1.0, left_ra.size) / 3600
offset_ra = rng.normal(0, 1.0, left_ra.size) / 3600 / np.maximum(np.cos(np.radians(left_dec)), 1e-6)
right_ra = np.mod(left_ra[moved] + offset_ra[moved], 360)
right_dec = np.clip(left_dec[moved] + offset_dec[moved], -90, 90)
extra = [sphere(600), near_poles(200), across_ra_zero(200)]
right_ra = np.concatenate([right_ra] + [p[0] for p in extra])
right_dec = np.concatenate([right_dec] + [p[1] for p in extra])
order = rng.permutation(right_ra.size)
right_ra, right_dec = right_ra[order], right_dec[order]

left = SkyCoord(left_ra * u.deg, left_dec * u.deg)
right = SkyCoord(right_ra * u.deg, right_dec * u.deg)
idx, sep, _ = left.match_to_catalog_sky(right)

for name, ra, dec in [("sky_left.csv", left_ra, left_dec), ("sky_right.csv", right_ra, right_dec)]:
    with open(name, "w") as f:
        f.write("ra,dec\n")
        for a, d in zip(ra, dec):
            f.write(f"{float(a)!r},{float(d)!r}\n")
with open("sky_expected.csv", "w") as f:
    f.write("right,sep_arcsec\n")
    for i, s in zip(idx, sep.arcsec):
        f.write(f"{int(i)},{float(s)!r}\n")
