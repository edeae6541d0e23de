"""AUBC of the query strategies on the real catalogues in Samples/, as the product computes it.

For each data set (and, with --sorted, the same rows sorted by class) this writes a small .alab
script: load the CSV, a forest on every numeric column (ids, labels, splits and the spectroscopic
redshift left out), then `simulate` at each budget with the strategies compared; it runs it with
the astrolabe binary and collects the AUBC column into one markdown table.

Usage (stdlib only; paths relative to the repository root):
    python3 bench/learn/strategy_aubc.py --binary .build-rel/release/astrolabe \
        --budgets 50,100,200 --repeats 10 --strategies random,margin,adaptive [--sorted] [--datasets iris,wine]

Not part of `make test`: the full protocol (9 data sets × 2 orders × 3 budgets × 10 seeds) takes
hours on two cores.
"""
import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile

DATASETS = ["iris", "wine", "breast_cancer", "digits", "penguins", "statlog_landsat_satellite",
            "loss_supernova_types", "fermi_4lac", "sdss_mgs_photoz"]
LEFT_OUT = {"id", "label", "split", "z_spec", "class_raw", "DataRelease", "RAJ2000", "DEJ2000", "ra", "dec"}


def numeric_columns(path):
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        ok = [True] * len(header)
        seen = [0] * len(header)
        for n, row in enumerate(reader):
            if n >= 2000:
                break
            for i, value in enumerate(row[:len(header)]):
                if value == "" or not ok[i]:
                    continue
                try:
                    float(value)
                    seen[i] += 1
                except ValueError:
                    ok[i] = False
    return [h for h, good, s in zip(header, ok, seen) if good and s > 0 and h not in LEFT_OUT]


def sorted_copy(path, directory):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    label = header.index("label")
    body.sort(key=lambda r: r[label])
    out = os.path.join(directory, os.path.basename(path).replace(".csv", "_sorted.csv"))
    with open(out, "w", newline="") as f:
        csv.writer(f).writerows([header] + body)
    return out


def quoted(name):
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else "`" + name + "`"


def run(binary, csv_path, budgets, repeats, strategies, directory):
    features = ",".join(quoted(c) for c in numeric_columns(csv_path))
    lines = [f"load {csv_path} as t id=id label=label", f"model m features={features} trees=50"]
    for budget in budgets:
        lines.append(f"simulate m oracle=label budget={budget} repeats={repeats} strategies={strategies}")
    script = os.path.join(directory, "run.alab")
    with open(script, "w") as f:
        f.write("\n".join(lines) + "\n")
    out = subprocess.run([binary, "run", script], capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stdout[-2000:] + out.stderr[-2000:])
        return None
    results, budget_index = {}, -1
    names = strategies.split(",")
    for line in out.stdout.splitlines():
        if line.startswith("simulate m:"):
            budget_index += 1
        cells = line.split()
        if cells and cells[0] in names and len(cells) > 2 and budget_index >= 0 and (budgets[budget_index], cells[0]) not in results:
            try:
                results[(budgets[budget_index], cells[0])] = (float(cells[1]), float(cells[2]))
            except ValueError:
                pass
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/debug/astrolabe")
    parser.add_argument("--budgets", default="50,100,200")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--strategies", default="random,margin,adaptive")
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--sorted", action="store_true", help="also run each data set sorted by class")
    args = parser.parse_args()
    budgets = [int(b) for b in args.budgets.split(",")]
    names = args.strategies.split(",")
    print("| data set | order | budget | " + " | ".join(names) + " |")
    print("|---|---|---|" + "---|" * len(names))
    with tempfile.TemporaryDirectory() as directory:
        for name in args.datasets.split(","):
            path = os.path.join("Samples", name + ".csv")
            orders = [("file", path)] + ([("by class", sorted_copy(path, directory))] if args.sorted else [])
            for order, csv_path in orders:
                results = run(args.binary, csv_path, budgets, args.repeats, args.strategies, directory)
                if results is None:
                    print(f"| {name} | {order} | failed | " + " | ".join("" for _ in names) + " |")
                    continue
                for budget in budgets:
                    cells = [f"{results[(budget, s)][0]:.3f} ± {results[(budget, s)][1]:.3f}" if (budget, s) in results else "—"
                             for s in names]
                    print(f"| {name} | {order} | {budget} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
