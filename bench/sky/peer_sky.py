#!/usr/bin/env python3
"""The peers' side of bench/sky/run.sh: one timed operation per process, one JSON line.

    peer_sky.py generate DIR N            writes DIR/left.csv, DIR/right.csv (N rows each: the right
                                          catalogue is the left one moved by ~1 arcsec, shuffled, with
                                          a tenth replaced by unrelated positions), DIR/cat.vot (BINARY2),
                                          DIR/cat_tabledata.vot and DIR/cat.csv.gz (N rows x 8 columns)
    peer_sky.py astropy_match LEFT RIGHT RADIUS    SkyCoord.match_to_catalog_sky, then the radius cut
    peer_sky.py astropy_votable PATH               astropy.io.votable.parse_single_table(...).to_table()
    peer_sky.py pandas_csv_gz PATH | polars_csv_gz PATH
Pinned: astropy 8.0.2, numpy 2.4.6, pandas 3.1.2, polars 2.2.0.
"""
import json
import sys
import time

import numpy as np


def generate(out, n):
    import pandas as pd
    from astropy.io.votable import from_table
    from astropy.table import Table

    rng = np.random.default_rng(1)
    ra = rng.uniform(0, 360, n)
    dec = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    pd.DataFrame({"ra": ra, "dec": dec}).to_csv(f"{out}/left.csv", index=False, float_format="%.12g")
    r_ra = np.mod(ra + rng.normal(0, 1, n) / 3600 / np.maximum(np.cos(np.radians(dec)), 1e-6), 360)
    r_dec = np.clip(dec + rng.normal(0, 1, n) / 3600, -90, 90)
    other = rng.uniform(size=n) < 0.1
    r_ra[other] = rng.uniform(0, 360, other.sum())
    r_dec[other] = np.degrees(np.arcsin(rng.uniform(-1, 1, other.sum())))
    order = rng.permutation(n)
    pd.DataFrame({"ra": r_ra[order], "dec": r_dec[order]}).to_csv(f"{out}/right.csv", index=False, float_format="%.12g")
    cols = {"ra": ra, "dec": dec, "g": rng.normal(19, 1, n), "r": rng.normal(18.5, 1, n),
            "flux": rng.lognormal(0, 1, n).astype(np.float32), "n": rng.integers(0, 1000, n).astype(np.int32),
            "flag": rng.uniform(size=n) < 0.5, "kind": rng.choice(["star", "galaxy", "qso"], n)}
    t = Table(cols)
    for fmt, path in [("binary2", "cat.vot"), ("tabledata", "cat_tabledata.vot")]:
        v = from_table(t)
        v.get_first_table().format = fmt
        if fmt == "binary2":
            v.version = "1.3"
        v.to_xml(f"{out}/{path}")
    pd.DataFrame(cols).to_csv(f"{out}/cat.csv.gz", index=False, compression="gzip")


def timed(case, body, **extra):
    t0, c0 = time.perf_counter(), time.process_time()
    rows = body()
    print(json.dumps({"case": case, "rows": rows, "seconds": time.perf_counter() - t0,
                      "cpu": time.process_time() - c0, **extra}))


def main():
    what = sys.argv[1]
    if what == "generate":
        generate(sys.argv[2], int(sys.argv[3]))
    elif what == "astropy_match":
        import pandas as pd
        from astropy import units as u
        from astropy.coordinates import SkyCoord
        left, right = pd.read_csv(sys.argv[2]), pd.read_csv(sys.argv[3])
        radius = float(sys.argv[4])
        a = SkyCoord(left.ra.values * u.deg, left.dec.values * u.deg)
        b = SkyCoord(right.ra.values * u.deg, right.dec.values * u.deg)

        def run():
            idx, sep, _ = a.match_to_catalog_sky(b)
            return int((sep.arcsec <= radius).sum())
        timed("astropy_match", run)
    elif what == "astropy_votable":
        from astropy.io.votable import parse_single_table
        timed("astropy_votable", lambda: len(parse_single_table(sys.argv[2]).to_table()), path=sys.argv[2])
    elif what == "pandas_csv_gz":
        import pandas as pd
        timed("pandas_csv_gz", lambda: len(pd.read_csv(sys.argv[2])), path=sys.argv[2])
    elif what == "polars_csv_gz":
        import polars as pl
        timed("polars_csv_gz", lambda: pl.read_csv(sys.argv[2]).height, path=sys.argv[2])


main()
