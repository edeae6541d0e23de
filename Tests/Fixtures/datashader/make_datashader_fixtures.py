"""Reference aggregates and images made by datashader, for AstrolabePlotTests.

Run with datashader 0.19.1 (pip install datashader==0.19.1; numpy 2.4, pandas 3.1):
    python make_datashader_fixtures.py > datashader_fixtures.json   (in Tests/Fixtures/datashader)
Everything is seeded; the JSON holds the inputs too, so the Swift tests need no Python.
Images are lists of 'rrggbbaa' strings, row 0 = top (largest y), as Astrolabe stores them.
"""
import json
import sys

import datashader as ds
import datashader.transfer_functions as tf
import matplotlib
import numpy as np
import pandas as pd

W, H = 32, 24
XR, YR = (-1.0, 3.0), (0.0, 2.0)
VIRIDIS = [matplotlib.colors.to_hex(matplotlib.colormaps['viridis'](i / 255)) for i in range(256)]
KEY = ['#0072b2', '#e69f00', '#009e73', '#d55e00']


def points(n, seed):
    rng = np.random.Generator(np.random.PCG64(seed))
    cat = rng.integers(0, 4, n)
    cx = np.array([0.0, 1.2, 2.2, 0.8])[cat]
    cy = np.array([0.5, 1.4, 0.6, 1.0])[cat]
    x = cx + rng.normal(0, 0.35, n)
    y = cy + rng.normal(0, 0.25, n)
    v = rng.normal(10, 3, n) * (1 + cat)
    v[rng.random(n) < 0.05] = np.nan          # missing values are skipped by column reductions
    x[:5] = np.nan                             # NaN coordinates are skipped
    x[5], y[5] = XR[1], YR[1]                  # exactly on the upper bounds: last bin
    x[6], y[6] = XR[0], YR[0]                  # exactly on the lower bounds: first bin
    x[7] = 5.0                                 # outside: dropped
    return x, y, v, cat


def flip(a):
    """datashader rows run from ymin upwards; Astrolabe's from the top."""
    return np.asarray(a)[::-1]


def values(a):
    return [None if not np.isfinite(v) else float(v) for v in flip(a).ravel()]


def image(img):
    arr = flip(img.data).ravel().astype(np.uint32)
    return ['%02x%02x%02x%02x' % (p & 255, (p >> 8) & 255, (p >> 16) & 255, p >> 24) for p in arr]


def main():
    out = {'width': W, 'height': H, 'x_range': XR, 'y_range': YR, 'key': KEY,
           'versions': {'datashader': ds.__version__, 'numpy': np.__version__, 'pandas': pd.__version__}}
    x, y, v, cat = points(3000, 20260101)
    out['points'] = {'x': [None if np.isnan(a) else float(a) for a in x],
                     'y': [float(a) for a in y],
                     'v': [None if np.isnan(a) else float(a) for a in v],
                     'cat': [int(c) for c in cat]}
    df = pd.DataFrame({'x': x, 'y': y, 'v': v, 'cat': pd.Categorical(cat, categories=[0, 1, 2, 3])})
    cvs = ds.Canvas(plot_width=W, plot_height=H, x_range=XR, y_range=YR)
    count = cvs.points(df, 'x', 'y', agg=ds.count())
    out['count'] = [int(c) for c in flip(count.data).ravel()]
    aggs = {}
    for name, red in [('sum', ds.sum('v')), ('mean', ds.mean('v')), ('min', ds.min('v')),
                      ('max', ds.max('v')), ('std', ds.std('v')), ('any', ds.any())]:
        a = cvs.points(df, 'x', 'y', agg=red)
        aggs[name] = a
        out[name] = values(a.data.astype(float))
    shaded = {}
    for how in ['eq_hist', 'linear', 'log', 'cbrt']:
        shaded['count_' + how] = image(tf.shade(count, cmap=VIRIDIS, how=how))
    for how in ['linear', 'log', 'cbrt']:
        shaded['count_span_' + how] = image(tf.shade(count, cmap=VIRIDIS, how=how, span=(2, 20)))
    for name in ['sum', 'mean', 'std']:
        for how in ['eq_hist', 'linear']:
            shaded[name + '_' + how] = image(tf.shade(aggs[name], cmap=VIRIDIS, how=how))
    shaded['any_eq_hist'] = image(tf.shade(aggs['any'], cmap=VIRIDIS, how='eq_hist'))
    cats = cvs.points(df, 'x', 'y', agg=ds.count_cat('cat'))
    out['count_cat'] = [int(c) for c in flip(cats.data).ravel()]   # pixel-major, 4 per pixel
    for how in ['eq_hist', 'linear', 'log', 'cbrt']:
        shaded['cat_' + how] = image(tf.shade(cats, color_key=KEY, how=how))
    shaded['cat_log_min_alpha_100'] = image(tf.shade(cats, color_key=KEY, how='log', min_alpha=100))
    shaded['cat_linear_span'] = image(tf.shade(cats, color_key=KEY, how='linear', span=(1, 10)))
    out['shaded'] = shaded

    # Sparse points for spreading: datashader spreads the shaded image.
    sx, sy, _, _ = points(24, 7)
    sdf = pd.DataFrame({'x': sx, 'y': sy})
    sparse_img = tf.shade(cvs.points(sdf, 'x', 'y', agg=ds.count()), cmap=VIRIDIS, how='eq_hist')
    out['sparse'] = {'x': [None if np.isnan(a) else float(a) for a in sx], 'y': [float(a) for a in sy]}
    out['spread'] = {'image': image(sparse_img),
                     'circle_1': image(tf.spread(sparse_img, px=1)),
                     'circle_2': image(tf.spread(sparse_img, px=2)),
                     'square_1': image(tf.spread(sparse_img, px=1, shape='square')),
                     'dynspread': image(tf.dynspread(sparse_img)),
                     'dynspread_dense': image(tf.dynspread(tf.shade(count, cmap=VIRIDIS)))}
    # (dynspread picks px=1 here: the image equals tf.spread(sparse_img, px=1).)
    assert (tf.dynspread(sparse_img).data == tf.spread(sparse_img, px=1).data).all()
    json.dump(out, sys.stdout, separators=(',', ':'))


main()
