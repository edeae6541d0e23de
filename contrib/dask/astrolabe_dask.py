"""Classify and aggregate a partitioned Parquet catalogue on a Dask cluster with a model Astrolabe
exported (`export model M to=m.onnx`).

Astrolabe labels and trains on a sample in memory; this module takes the model to the whole
survey. Each partition is classified independently by onnxruntime on the worker that reads it
(what is sent: the model's bytes, once per worker; nothing is summed), and the predictions are
written as a partitioned Parquet catalogue beside the input's partitions. A density image is
an aggregate: each partition is counted into the same pixel grid and the grids are summed
(datashader on dask.dataframe), which equals Astrolabe's `export density` of the same rows.
"""
import json

import dask.dataframe as dd
import datashader
import numpy as np
import onnx
import onnxruntime
import pandas

_sessions = {}


def model_info(model_bytes):
    """The features (in input order) and classes (in output order) an exported model names."""
    meta = {p.key: p.value for p in onnx.load_from_string(model_bytes).metadata_props}
    return json.loads(meta["astrolabe.features"]), json.loads(meta["astrolabe.classes"])


def _session(model_bytes):
    """One onnxruntime session per model per worker process, made on first use."""
    key = hash(model_bytes)
    if key not in _sessions:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        _sessions[key] = onnxruntime.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])
    return _sessions[key]


def predict_partition(frame, model_bytes, id_column, features, classes):
    """Predictions for one partition: the id, the predicted class, one p_CLASS column per class."""
    x = frame[features].to_numpy(dtype=np.float64, na_value=np.nan)
    label, probabilities = _session(model_bytes).run(["label", "probabilities"], {"features": x})
    out = pandas.DataFrame({id_column: frame[id_column].to_numpy(), "predicted": label.astype(str)},
                           index=frame.index)
    for c, name in enumerate(classes):
        out["p_" + name] = probabilities[:, c]
    return out


def classify_catalogue(catalogue, model_path, output, id_column="id"):
    """Classifies every row of the Parquet files under `catalogue` with the ONNX model at
    `model_path` on the current Dask client (or the local scheduler) and writes the predictions
    under `output`, one Parquet file per input partition. Returns the number of partitions."""
    with open(model_path, "rb") as f:
        model_bytes = f.read()
    features, classes = model_info(model_bytes)
    frame = dd.read_parquet(catalogue, columns=[id_column] + features)
    meta = predict_partition(frame._meta, model_bytes, id_column, features, classes)
    predictions = frame.map_partitions(predict_partition, model_bytes, id_column, features, classes, meta=meta)
    predictions.to_parquet(output, write_index=False, compression="zstd")
    return frame.npartitions


def density(catalogue, x, y, width, height, x_range, y_range):
    """datashader's count of points per pixel over every partition (`Canvas.points` on a
    dask.dataframe): a `height × width` array of integers, row 0 at the smallest y."""
    frame = dd.read_parquet(catalogue, columns=[x, y])
    canvas = datashader.Canvas(plot_width=width, plot_height=height, x_range=x_range, y_range=y_range)
    return canvas.points(frame, x, y, agg=datashader.count()).values
