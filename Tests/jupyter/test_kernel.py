"""Conformance of `astrolabe kernel` with the real Jupyter clients.

Run by `make test` from the project's virtual environment:
    ASTROLABE_BIN=.build/debug/astrolabe .venv/bin/python -m unittest Tests/jupyter/test_kernel.py

It installs the kernelspec into a temporary prefix (`astrolabe kernel install --prefix`), then
  * runs jupyter_kernel_test's conformance suite (kernel_info, execute with stdout, stderr,
    display_data, execute_result and error, complete, is_complete, inspect, history),
  * checks that messages signed with the wrong key are dropped, and that interrupt and shutdown work,
  * executes a notebook with nbclient and validates it, and every notebook in Notebooks/, with nbformat.
"""
import atexit
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(os.environ.get("ASTROLABE_BIN", os.path.join(ROOT, ".build/debug/astrolabe")))
PREFIX = tempfile.mkdtemp(prefix="astrolabe-kernelspec-")
WORK = tempfile.mkdtemp(prefix="astrolabe-kernel-work-")
atexit.register(shutil.rmtree, PREFIX, True)
atexit.register(shutil.rmtree, WORK, True)

subprocess.run([BIN, "kernel", "install", "--prefix", PREFIX], check=True, stdout=subprocess.DEVNULL)
os.environ["JUPYTER_PATH"] = os.path.join(PREFIX, "share", "jupyter")
os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(WORK, "runtime")
# Kernels start in the current directory: a scratch folder with the samples and two small tables.
os.symlink(os.path.join(ROOT, "Samples"), os.path.join(WORK, "Samples"))
with open(os.path.join(WORK, "hello.csv"), "w") as f:
    f.write("id,x\na,1\nb,2\n")
with open(os.path.join(WORK, "twice.csv"), "w") as f:
    f.write("id,x\na,1\na,2\n")
os.chdir(WORK)

import jupyter_kernel_test  # noqa: E402  (after JUPYTER_PATH is set)
import nbformat  # noqa: E402
from jupyter_client.manager import start_new_kernel  # noqa: E402
from jupyter_client.session import Session  # noqa: E402
from nbclient import NotebookClient  # noqa: E402


class AstrolabeKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = "astrolabe"
    language_name = "astrolabe"
    file_extension = ".alab"

    # The table name is what `load` reports on stdout (not the cell's last output, which is its result).
    code_hello_world = 'load hello.csv as "hello, world" id=id\ncolumns'
    # Repeated ids are a warning: stderr.
    code_stderr = "load twice.csv id=id"
    code_display_data = [{"code": "load Samples/iris.csv id=id label=label\n"
                                  "plot scatter `sepal length (cm)` `petal length (cm)` by=label to=plots/k.png",
                          "mime": "image/png"}]
    code_execute_result = [{"code": "help unsure",
                            "result": "usage: unsure ID\n\nRecord that you cannot tell a row's class: kept out of training; "
                                      "asked again only after a new label."}]
    code_generate_error = "frobnicate 3"
    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "help*"
    completion_samples = [{"text": "hel", "matches": {"help"}}, {"text": "plot sc", "matches": {"scatter"}}]
    complete_code_samples = ["help", "load Samples/iris.csv id=id", "# just a comment"]
    incomplete_code_samples = ["load Samples/iris.csv \\"]
    invalid_code_samples = ['teach "unterminated bll']
    code_inspect_sample = "teach"


class KernelBehaviour(unittest.TestCase):
    """What the conformance suite does not cover: signatures, interrupt, columns in completion."""

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name="astrolabe")

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel()

    def test_binds_only_the_connection_file_addresses(self):
        info = self.km.get_connection_info()
        if not shutil.which("ss"):
            self.skipTest("no `ss` to list listening sockets")
        pid = self.km.provisioner.process.pid
        out = subprocess.run(["ss", "-Hltnp"], capture_output=True, text=True).stdout
        listening = sorted(line.split()[3] for line in out.splitlines() if f"pid={pid}," in line)
        expected = sorted(f"{info['ip']}:{info[k]}" for k in
                          ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"))
        self.assertEqual(listening, expected)

    def test_wrong_signature_is_dropped(self):
        forged = Session(key=b"not-the-key", username="mallory")
        msg = forged.msg("kernel_info_request", {})
        forged.send(self.kc.shell_channel.socket, msg)
        # No reply to the forged request; a properly signed one is answered.
        msg_id = self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=10)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        with self.assertRaises(Exception):
            self.kc.get_shell_msg(timeout=1)

    def test_unsigned_message_is_dropped(self):
        unsigned = Session(key=b"", username="mallory")
        unsigned.send(self.kc.shell_channel.socket, unsigned.msg("kernel_info_request", {}))
        with self.assertRaises(Exception):
            self.kc.get_shell_msg(timeout=1)

    def test_completes_columns_and_paths(self):
        self.kc.execute_interactive("load Samples/iris.csv id=id label=label", timeout=30, output_hook=lambda msg: None)
        self.kc.complete("describe `sep", 13)
        reply = self.kc.get_shell_msg(timeout=10)
        self.assertIn("`sepal length (cm)`", reply["content"]["matches"])
        self.assertEqual(reply["content"]["cursor_start"], 9)
        self.kc.complete("load Samples/ir", 15)
        reply = self.kc.get_shell_msg(timeout=10)
        self.assertEqual(reply["content"]["matches"], ["Samples/iris.csv"])

    def test_interrupt_stops_a_long_command(self):
        self.kc.execute_interactive("load Samples/sdss_mgs_photoz.csv id=id label=label", timeout=30,
                                    output_hook=lambda msg: None)
        started = time.monotonic()
        msg_id = self.kc.execute("model slow features=u,g,r,i,z,u_minus_g,g_minus_r trees=10000 initial=4000")
        time.sleep(1.0)
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=60)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertIn("interrupted", reply["content"]["evalue"])
        self.assertLess(time.monotonic() - started, 30)
        # The session goes on.
        self.kc.execute_interactive("help", timeout=30, output_hook=lambda msg: None)
        self.assertTrue(self.km.is_alive())


class NotebookExecution(unittest.TestCase):
    def test_nbclient_executes_a_notebook_and_nbformat_validates_it(self):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "astrolabe", "display_name": "Astrolabe", "language": "astrolabe"}
        nb.cells = [
            nbformat.v4.new_markdown_cell("# Iris in Jupyter"),
            nbformat.v4.new_code_cell("load Samples/iris.csv as flowers id=id label=label\n"
                                      "feature ratio = `petal length (cm)` / `petal width (cm)`"),
            nbformat.v4.new_code_cell("plot density `sepal length (cm)` ratio to=plots/ratio.png"),
            nbformat.v4.new_code_cell("model m features=ratio,`sepal width (cm)` trees=20\nscore m"),
        ]
        NotebookClient(nb, timeout=60, kernel_name="astrolabe").execute()
        nbformat.validate(nb)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        self.assertTrue(any(o.output_type == "display_data" and "image/png" in o.data for o in outputs))
        score = [o for o in nb.cells[3].outputs if o.output_type == "execute_result"]
        self.assertEqual(len(score), 1)
        self.assertIn("accuracy", score[0].data["text/plain"])
        self.assertEqual(nb.metadata["language_info"]["name"], "astrolabe")
        path = os.path.join(WORK, "executed.ipynb")
        nbformat.write(nb, path)
        nbformat.validate(nbformat.read(path, as_version=4))

    def test_every_gallery_notebook_is_valid_nbformat(self):
        notebooks = sorted(glob.glob(os.path.join(ROOT, "Notebooks", "*.ipynb")))
        self.assertGreaterEqual(len(notebooks), 1)
        for path in notebooks:
            with self.subTest(notebook=os.path.basename(path)):
                nb = nbformat.read(path, as_version=4)
                nbformat.validate(nb)
                self.assertEqual(nb.nbformat_minor, 5)


if __name__ == "__main__":
    unittest.main()
