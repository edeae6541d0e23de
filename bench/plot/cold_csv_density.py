"""The Python side of the whole-process benchmark: CSV of 1M points -> datashader density PNG.

Same work as `astrolabe -c "load points_1m.csv as p" -c "plot density x y spread=0 to=OUT.png"`:
read the CSV, automatic ranges, count on a 1000x1000 canvas, eq_hist viridis, PNG.
Usage: python cold_csv_density.py points_1m.csv out.png
"""
import sys

import datashader as ds
import datashader.transfer_functions as tf
import matplotlib
import pandas as pd

df = pd.read_csv(sys.argv[1])
cmap = [matplotlib.colors.to_hex(matplotlib.colormaps["viridis"](i / 255)) for i in range(256)]
agg = ds.Canvas(plot_width=1000, plot_height=1000).points(df, "x", "y", agg=ds.count())
tf.shade(agg, cmap=cmap, how="eq_hist").to_pil().save(sys.argv[2], format="PNG")
