"""Checks models Astrolabe exported with `export model` against the predictions it exported.

usage: check_onnx.py MODEL.onnx:TABLE.csv:PREFIX ...

For each model: onnx.checker (full check) accepts it; onnxruntime runs it on the features the model
names (metadata `astrolabe.features`, read from the CSV Astrolabe wrote with `with=predict:PREFIX`);
prints one JSON object per model with the largest absolute difference between onnxruntime's
probabilities and Astrolabe's PREFIX_p_CLASS columns, and the rows whose label (and whose argmax)
differ from PREFIX_predicted.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime
import pandas


def check(model_path, csv_path, prefix):
    model = onnx.load(model_path)
    onnx.checker.check_model(model, full_check=True)
    meta = {p.key: p.value for p in model.metadata_props}
    features = json.loads(meta["astrolabe.features"])
    classes = json.loads(meta["astrolabe.classes"])
    table = pandas.read_csv(csv_path, keep_default_na=False, na_values=[""])
    x = table[features].to_numpy(dtype=np.float64)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    label, probabilities = session.run(["label", "probabilities"], {"features": x})
    expected = table[[f"{prefix}_p_{c}" for c in classes]].to_numpy(dtype=np.float64)
    predicted = table[f"{prefix}_predicted"].astype(str).to_numpy()
    return {
        "model": model_path,
        "rows": int(len(table)),
        "max_abs_difference": float(np.abs(probabilities - expected).max()),
        "label_mismatches": int((label.astype(str) != predicted).sum()),
        "argmax_mismatches": int((probabilities.argmax(axis=1) != expected.argmax(axis=1)).sum()),
        "classes": classes,
    }


if __name__ == "__main__":
    for spec in sys.argv[1:]:
        print(json.dumps(check(*spec.split(":"))))
