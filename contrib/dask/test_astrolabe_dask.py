"""contrib/dask against Astrolabe: on a LocalCluster of 2 worker processes (loopback), the
exported model classifies an 8-partition catalogue exactly as Astrolabe's `predict` does, and
datashader's density aggregate on Dask equals Astrolabe's `export density` of the same rows; and
Astrolabe's `load DIR` reads the partitioned predictions back.

Needs ASTROLABE_BIN (the astrolabe executable); `make test-dask` sets it.
"""
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import pandas
import pyarrow.parquet as pq
from dask.distributed import Client, LocalCluster

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import astrolabe_dask  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
FEATURES = ["u_minus_g", "g_minus_r", "r_minus_i", "i_minus_z", "r"]
SCRIPT = f"""
load {ROOT / 'Samples/sdss_mgs_photoz.csv'} as sdss id=id label=label
model m classifier=forest features={','.join(FEATURES)} initial=2000 trees=30
model b classifier=boosting features={','.join(FEATURES)} initial=2000 estimators=20 scaling=standard
export model m to=m.onnx
export model b to=b.onnx
export sdss.parquet columns=id,{','.join(FEATURES)} with=predict:m,predict:b
export density u_minus_g g_minus_r to=density.csv bins=120x80 xrange=0:3 yrange=0:1.5
"""


class DaskRecipeTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        binary = os.environ.get("ASTROLABE_BIN")
        if not binary:
            raise unittest.SkipTest("ASTROLABE_BIN is not set (make test-dask sets it)")
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = pathlib.Path(cls.tmp.name)
        (cls.dir / "make.alab").write_text(SCRIPT)
        subprocess.run([binary, "run", "make.alab", "--quiet"], cwd=cls.dir, check=True)
        cls.astrolabe = pq.read_table(cls.dir / "sdss.parquet").to_pandas()
        # The catalogue: 8 Parquet partitions of the features (and ids) only.
        catalogue = cls.dir / "catalogue"
        catalogue.mkdir()
        table = pq.read_table(cls.dir / "sdss.parquet", columns=["id"] + FEATURES)
        step = -(-table.num_rows // 8)
        for p in range(8):
            pq.write_table(table.slice(p * step, step), catalogue / f"part-{p}.parquet")
        cls.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None)
        cls.client = Client(cls.cluster)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()
        cls.tmp.cleanup()

    def check_predictions(self, model):
        output = self.dir / f"predictions-{model}"
        partitions = astrolabe_dask.classify_catalogue(str(self.dir / "catalogue"), str(self.dir / f"{model}.onnx"),
                                                       str(output))
        self.assertEqual(partitions, 8)
        self.assertEqual(len(list(output.glob("*.parquet"))), 8)
        got = pq.read_table(output).to_pandas().set_index("id").loc[self.astrolabe["id"]]
        self.assertEqual(len(got), len(self.astrolabe))
        self.assertTrue((got["predicted"].to_numpy() == self.astrolabe[f"{model}_predicted"].to_numpy()).all())
        for column in [c for c in got.columns if c.startswith("p_")]:
            difference = np.abs(got[column].to_numpy() - self.astrolabe[f"{model}_{column}"].to_numpy()).max()
            self.assertLessEqual(difference, 1e-6, column)

    def test_forest_predictions_equal_astrolabe(self):
        self.check_predictions("m")
        # Astrolabe's `load DIR` reads the partitioned predictions Dask wrote as one table.
        (self.dir / "back.alab").write_text("load predictions-m as back\nexport back.csv\n")
        subprocess.run([os.environ["ASTROLABE_BIN"], "run", "back.alab", "--quiet"], cwd=self.dir, check=True)
        back = pandas.read_csv(self.dir / "back.csv")
        dask_side = pq.read_table(self.dir / "predictions-m").to_pandas()
        self.assertEqual(len(back), len(self.astrolabe))
        self.assertEqual(sorted(back["id"]), sorted(dask_side["id"]))

    def test_boosting_predictions_equal_astrolabe(self):
        self.check_predictions("b")

    def test_datashader_density_on_dask_equals_astrolabe(self):
        counts = astrolabe_dask.density(str(self.dir / "catalogue"), "u_minus_g", "g_minus_r", 120, 80, (0, 3), (0, 1.5))
        grid = pandas.read_csv(self.dir / "density.csv")
        expected = np.zeros((80, 120), dtype=np.int64)
        expected[grid["y_bin"], grid["x_bin"]] = grid["count"]
        self.assertGreater(expected.sum(), 9000)
        np.testing.assert_array_equal(counts.astype(np.int64), expected)


if __name__ == "__main__":
    unittest.main()
