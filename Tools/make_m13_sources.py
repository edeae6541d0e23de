"""Samples/m13_sources.csv: the brightest local maxima of Samples/m13.fits (the DSS image of the
globular cluster M13 shipped by astropy), with their sky positions from the image's WCS.

Not an external catalogue: a plain peak finder over the real image, so that the cutout gallery has
rows whose positions fall on a real image. Columns: id (m13-NN, by decreasing peak), ra/dec (deg,
astropy.wcs all_pix2world of the peak pixel, 0-based), x/y (pixels), peak (image counts), background
(median of the 15×15 box), flux (5×5 box sum minus background), sharpness (peak minus background over
flux), r_arcsec (distance from the image centre). No labels: classes are given by looking.
Pinned: astropy==8.0.2 numpy==2.4.6. Rerun from the repository root:
    /work/refvenv/bin/python Tools/make_m13_sources.py
"""
import csv

import numpy as np
from astropy.io import fits
from astropy.wcs import WCS
from numpy.lib.stride_tricks import sliding_window_view

data = fits.getdata("Samples/m13.fits").astype(float)
wcs = WCS(fits.getheader("Samples/m13.fits"))
ny, nx = data.shape
pad = np.pad(data, 3, mode="edge")
window_max = sliding_window_view(pad, (7, 7)).max(axis=(2, 3))
peaks = np.argwhere((data == window_max) & (data > np.percentile(data, 60)))
rows = []
for y, x in peaks:
    if x < 8 or y < 8 or x >= nx - 8 or y >= ny - 8:
        continue
    background = float(np.median(data[y - 7:y + 8, x - 7:x + 8]))
    flux = float(data[y - 2:y + 3, x - 2:x + 3].sum() - 25 * background)
    if flux <= 0:
        continue
    rows.append((float(data[y, x]), int(x), int(y), background, flux))
rows.sort(key=lambda r: (-r[0], r[2], r[1]))
rows = rows[:60]
centre = np.array([(nx - 1) / 2, (ny - 1) / 2])
with open("Samples/m13_sources.csv", "w", newline="") as f:
    out = csv.writer(f)
    out.writerow(["id", "ra", "dec", "x", "y", "peak", "background", "flux", "sharpness", "r_arcsec"])
    for k, (peak, x, y, background, flux) in enumerate(rows):
        ra, dec = wcs.all_pix2world(x, y, 0)
        r = float(np.hypot(x - centre[0], y - centre[1])) * abs(fits.getheader("Samples/m13.fits")["CDELT1"]) * 3600
        out.writerow([f"m13-{k + 1:02d}", f"{float(ra):.6f}", f"{float(dec):.6f}", x, y, f"{peak:.0f}", f"{background:.1f}",
                      f"{flux:.1f}", f"{(peak - background) / flux:.4f}", f"{r:.1f}"])
