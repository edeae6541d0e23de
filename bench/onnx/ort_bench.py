"""The peer side of `astrolabe-learnbench onnx DIR` (`ort_bench.py DIR [MODEL ...]`) (bench/onnx/README.md): onnxruntime runs each
exported model on the same 1M rows (1 and 2 threads, median of 3) and is compared with
Astrolabe's probabilities (largest absolute difference, rows whose first-maximum class differs);
pyarrow writes the same table as Parquet (zstd, same row groups; median of 3) and reads
Astrolabe's file back equal.
"""
import sys
import time

import numpy as np
import onnx
import onnxruntime
import pyarrow.parquet as pq

directory = sys.argv[1]
x = np.fromfile(f"{directory}/x.bin", dtype=np.float64).reshape(-1, 6)


def median_time(run, repeats=3):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


for name in sys.argv[2:] or ["forest", "boosting", "logistic", "extra-trees"]:
    model = onnx.load(f"{directory}/{name}.onnx")
    onnx.checker.check_model(model, full_check=True)
    expected = np.fromfile(f"{directory}/{name}.p.bin", dtype=np.float64).reshape(len(x), -1)
    for threads in (1, 2):
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        session = onnxruntime.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
        result = {}
        seconds = median_time(lambda: result.update(out=session.run(["label", "probabilities"], {"features": x})))
        label, p = result["out"]
        print(f"onnxruntime {name} ({threads} thread{'s' if threads > 1 else ''}) 1M rows: {seconds:.4f} s; "
              f"max |Δp| {np.abs(p - expected).max():.2e}; argmax differs on {(p.argmax(1) != expected.argmax(1)).sum()} rows")

table = pq.read_table(f"{directory}/t.parquet")
seconds = median_time(lambda: pq.write_table(table, f"{directory}/t_pyarrow.parquet", compression="zstd", row_group_size=131072))
back = pq.read_table(f"{directory}/t_pyarrow.parquet")
print(f"pyarrow Parquet write 1M × 8 (zstd): {seconds:.4f} s; Astrolabe's file reads back equal: {back.equals(table)}")
