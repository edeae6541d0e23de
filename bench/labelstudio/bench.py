"""POST /predict with 100 tasks (random rows of the 1M-row table, seeded), 40 times after 5
warm-up requests, to each backend in turn; prints the median latencies and their ratio.
usage: python bench.py ASTROLABE_PORT PEER_PORT"""
import json
import random
import statistics
import sys
import time
import urllib.request

CONFIG = open(__file__.replace("bench.py", "out/config.xml")).read()


def timings(port, batches):
    # As Label Studio does before asking for predictions (label-studio-ml loads its model here).
    setup = json.dumps({"project": "1.1700000000", "schema": CONFIG, "hostname": "", "access_token": ""}).encode()
    urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/setup", data=setup,
                                                  headers={"Content-Type": "application/json"}), timeout=120).read()
    out = []
    for n, ids in enumerate(batches):
        body = json.dumps({"tasks": [{"id": k + 1, "data": {"id": str(i)}} for k, i in enumerate(ids)],
                           "project": "1.1700000000", "label_config": CONFIG, "params": {}}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/predict", data=body, headers={"Content-Type": "application/json"})
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            results = json.load(response)["results"]
        elapsed = time.perf_counter() - start
        assert len(results) == len(ids), results
        if n >= 5:
            out.append(elapsed * 1000)
    return out


rng = random.Random(7)
batches = [[rng.randrange(1_000_000) for _ in range(100)] for _ in range(45)]
astrolabe = timings(int(sys.argv[1]), batches)
peer = timings(int(sys.argv[2]), batches)
a, p = statistics.median(astrolabe), statistics.median(peer)
print(f"/predict, 100 tasks, 1M-row table, 100-tree forest: astrolabe median {a:.2f} ms "
      f"(min {min(astrolabe):.2f}), label-studio-ml + scikit-learn median {p:.2f} ms (min {min(peer):.2f}); ratio {p / a:.1f}x")
