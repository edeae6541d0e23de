"""Reference values for the cutout and SED tests, written by the reference libraries themselves.

Pinned: astropy==8.0.2 numpy==2.4.6 astroquery==0.4.11 requests==2.34.2 matplotlib==3.11.2 pillow==13.0.0
Rerun from the repository root:
    /work/refvenv/bin/python Tests/AstrolabeKernelTests/Fixtures/cutouts/make_cutout_references.py
It reads Samples/m13.fits (a real DSS image shipped by astropy) and the astroquery test image
below, and writes references.json next to this script.
"""
import json
import os

import numpy as np
import requests
import astropy.units as u
from astropy.coordinates import Angle, Latitude, Longitude
from astropy.io import fits
from astropy.visualization import AsinhStretch, LinearStretch, MinMaxInterval, ZScaleInterval
from astropy.wcs import WCS
from astroquery.hips2fits import conf, hips2fits

here = os.path.dirname(os.path.abspath(__file__))
m13 = fits.getdata("Samples/m13.fits").astype(float)
m13_header = fits.getheader("Samples/m13.fits")

# A second, different image: a gradient with NaNs and outliers, built here (its stretch is the
# point, not its content), to exercise the rejection loop and NaN handling.
rng = np.random.default_rng(7)
synthetic = rng.normal(100.0, 5.0, (37, 53)) + np.linspace(0, 30, 53)[None, :]
synthetic[3, 4] = np.nan
synthetic[10, 10:20] = 5000.0
synthetic[20, 5] = -800.0

def stretches(data):
    flat = data.ravel()
    zs = ZScaleInterval()
    lo, hi = zs.get_limits(flat)
    z = zs(flat)  # linear stretch after ZScaleInterval (clip=True)
    a = AsinhStretch()(zs(flat))
    l = MinMaxInterval()(flat)
    pick = list(range(0, flat.size, max(1, flat.size // 400)))
    def values(v):
        return [None if not np.isfinite(v[k]) else float(v[k]) for k in pick]
    return {"zscale_limits": [float(lo), float(hi)], "indices": pick,
            "zscale": values(z), "asinh": values(a), "linear": values(l)}

# The astroquery UKIDSS test image: a real UKIRT frame with a CD matrix (its header only is kept).
import astroquery  # for the path of its test data
ukidss = os.path.join(os.path.dirname(astroquery.__file__), "ukidss/tests/data/image.fits")
headers = {"m13": m13_header, "ukidss": fits.getheader(ukidss, 1)}
wcs_cases = []
for name, header in headers.items():
    w = WCS(header)
    ny, nx = header["NAXIS2"], header["NAXIS1"]
    for (px, py) in [(0, 0), (nx / 2, ny / 3), (nx - 1, ny - 1), (12.25, 200.75), (nx + 40, -30)]:
        ra, dec = w.all_pix2world(px, py, 0)
        ra, dec = float(ra), float(dec)
        x, y = w.all_world2pix(ra, dec, 0)
        wcs_cases.append({"header": name, "ra": ra, "dec": dec, "x": float(x), "y": float(y)})

urls = []
for survey, ra, dec, fov_arcsec, size in [("CDS/P/DSS2/red", 250.4226, 36.4602, 20, 128),
                                          ("CDS/P/DSS2/color", 0.00123, -89.5, 90, 64),
                                          ("P/2MASS/J", 359.99999, 12.345678901234, 1.5, 256),
                                          ("CDS/P/SDSS9/g", 187.70593, 12.39112, 300, 100)]:
    payload = hips2fits.query(hips=survey, width=size, height=size, projection="TAN",
                              ra=Longitude(ra * u.deg), dec=Latitude(dec * u.deg), fov=Angle(fov_arcsec * u.arcsec),
                              get_query_payload=True)
    url = requests.Request("GET", conf.server[0] if isinstance(conf.server, list) else conf.server, params=payload).prepare().url
    urls.append({"survey": survey, "ra": ra, "dec": dec, "fov_arcsec": fov_arcsec, "size": size, "url": url})

mags = [-2.5, 0.0, 12.3456, 18.149183, 19.655096, 24.0, 30.5]
ab = [{"mag": m, "jy": float((m * u.ABmag).to(u.Jy).value)} for m in mags]
nufnu = []
for jy, nm in [(1.0, 354.0), (3.7e-5, 477.0), (2.2e-3, 913.0), (12.5, 2159.0)]:
    nu = (nm * u.nm).to(u.Hz, equivalencies=u.spectral())
    nufnu.append({"jy": jy, "nm": nm, "erg_s_cm2": float((jy * u.Jy * nu).to(u.erg / u.s / u.cm**2).value)})

out = {"m13": stretches(m13), "synthetic": {"shape": list(synthetic.shape),
        "data": [None if not np.isfinite(v) else float(v) for v in synthetic.ravel()], **stretches(synthetic)},
       "headers": {k: h.tostring() for k, h in headers.items()}, "wcs": wcs_cases, "hips2fits": urls,
       "abmag": ab, "nufnu": nufnu}
with open(os.path.join(here, "references.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")

# A small JPEG (PIL, quality 95) for the decoder test: a red-to-blue gradient, 24×16, and the
# RGB of its top-left and bottom-right pixels as PIL decodes them (libjpeg-turbo underneath too).
from PIL import Image
gradient = Image.new("RGB", (24, 16))
for x in range(24):
    for y in range(16):
        gradient.putpixel((x, y), (255 - 10 * x, 8 * y, 10 * x))
gradient.save(os.path.join(here, "gradient.jpg"), quality=95)
decoded = Image.open(os.path.join(here, "gradient.jpg")).convert("RGB")
with open(os.path.join(here, "gradient.json"), "w") as f:
    json.dump({"size": list(decoded.size), "top_left": list(decoded.getpixel((0, 0))),
               "bottom_right": list(decoded.getpixel((23, 15)))}, f)
    f.write("\n")
