"""Conformance of `astrolabe kernel` with the real Jupyter clients.

Run by `make test` from the project's virtual environment:
    ASTROLABE_BIN=.build/debug/astrolabe .venv/bin/python -m unittest Tests/jupyter/test_kernel.py

It installs the kernelspec into a temporary prefix (`astrolabe kernel install --prefix`), then
  * runs jupyter_kernel_test's conformance suite (kernel_info, execute with stdout, stderr,
    display_data, execute_result and error, complete, is_complete, inspect, history),
  * checks that messages signed with the wrong key, replayed, malformed or too large are dropped,
    that interrupt and shutdown work, and that the kernel stops when the process that started it dies,
  * executes a notebook with nbclient and validates it, and every notebook in Notebooks/, with nbformat,
  * executes a script's notebook with nbclient and `astrolabe check`s it against the script.
"""
import atexit
import glob
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
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
from jupyter_client import BlockingKernelClient  # noqa: E402
from jupyter_client.connect import write_connection_file  # noqa: E402
from jupyter_client.manager import start_new_kernel  # noqa: E402
from jupyter_client.session import DELIM, Session  # noqa: E402
from nbclient import NotebookClient  # noqa: E402


class AstrolabeKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = "astrolabe"
    language_name = "astrolabe"
    file_extension = ".alab"

    # The table name is what `load` reports on stdout, the first stream output.
    code_hello_world = 'load hello.csv as "hello, world" id=id\ncolumns'
    # Repeated ids are a warning: stderr.
    code_stderr = "load twice.csv id=id"
    code_display_data = [{"code": "load Samples/iris.csv id=id label=label\n"
                                  "plot scatter `sepal length (cm)` `petal length (cm)` by=label to=plots/k.png",
                          "mime": "image/png"}]
    # No code_execute_result: a cell's text, its last included, is stdout stream output, as
    # `astrolabe run --notebook` writes it (KernelBehaviour.test_last_text_is_stdout_not_a_result).
    code_generate_error = "frobnicate 3"
    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "help*"
    completion_samples = [{"text": "hel", "matches": {"help"}}, {"text": "plot sc", "matches": {"scatter"}}]
    complete_code_samples = ["help", "load Samples/iris.csv id=id", "# just a comment"]
    incomplete_code_samples = ["load Samples/iris.csv \\"]
    invalid_code_samples = ['teach "unterminated bll']
    code_inspect_sample = "teach"

    def test_history(self):
        # jupyter_kernel_test takes the cells of its history test from code_execute_result, which
        # this kernel has none of: give this test alone the cells (their results are not compared).
        self.code_execute_result = [{"code": "help unsure"}]
        super().test_history()


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

    def send_raw(self, frames):
        """Frames as given, straight onto the shell socket (no client-side checks)."""
        self.kc.shell_channel.socket.send_multipart(frames)

    def assert_next_shell_reply_answers(self, msg_id):
        """Shell requests are handled in order: if the reply to a request sent last comes first,
        nothing sent before it was answered."""
        reply = self.kc.get_shell_msg(timeout=30)
        self.assertEqual(reply["parent_header"].get("msg_id"), msg_id, reply["msg_type"])
        return reply

    def test_replayed_message_is_not_executed_again(self):
        session = self.kc.session
        msg = session.msg("execute_request", {"code": "help skip", "silent": False, "store_history": True,
                                              "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        frames = session.serialize(msg)
        self.send_raw(frames)
        first = self.assert_next_shell_reply_answers(msg["header"]["msg_id"])
        self.send_raw(frames)   # the same signed bytes again: a replay
        self.assert_next_shell_reply_answers(self.kc.kernel_info())
        # The replay did not run: the next cell's execution count follows the first one's.
        reply = self.assert_next_shell_reply_answers(self.kc.execute("help skip"))
        self.assertEqual(reply["content"]["execution_count"], first["content"]["execution_count"] + 1)

    def test_message_of_the_wrong_shape_is_dropped(self):
        session = self.kc.session
        good = {"msg_id": "x", "msg_type": "kernel_info_request", "session": session.session,
                "username": "u", "version": "5.3", "date": ""}
        for header, parent in ([["kernel_info_request"], {}], ["kernel_info_request", {}],
                               [{**good, "msg_id": 7}, {}], [{**good, "msg_type": None}, {}], [good, [1, 2]]):
            parts = [json.dumps(p).encode() for p in (header, parent, {}, {})]
            self.send_raw([DELIM, session.sign(parts)] + parts)
        msg_id = self.kc.kernel_info()
        self.assert_next_shell_reply_answers(msg_id)
        # Nothing about the malformed requests reached IOPub (their headers would be parent headers
        # there, breaking every listener): every message up to our idle has a proper parent.
        while True:
            msg = self.kc.get_iopub_msg(timeout=30)
            self.assertIsInstance(msg["parent_header"], dict)
            self.assertNotEqual(msg["parent_header"].get("msg_id"), "x")
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status" \
                    and msg["content"]["execution_state"] == "idle":
                break

    def test_last_text_is_stdout_not_a_result(self):
        outputs = []
        self.kc.execute_interactive("help skip\nhelp unsure", timeout=30, output_hook=outputs.append)
        types = [m["msg_type"] for m in outputs if m["msg_type"] not in ("status", "execute_input")]
        self.assertEqual(types, ["stream", "stream"])
        streams = [m["content"] for m in outputs if m["msg_type"] == "stream"]
        self.assertEqual([m["name"] for m in streams], ["stdout", "stdout"])
        self.assertTrue(streams[1]["text"].startswith("usage: unsure ID"), streams[1]["text"])

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


def execute_request(session, code):
    return session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                           "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})


def connection_file(name, key):
    path = os.path.join(WORK, name)
    write_connection_file(path, key=key)
    return path


def ready_client(path):
    """A client of the kernel listening as `path` says, once the kernel answers."""
    kc = BlockingKernelClient(connection_file=path)
    kc.load_connection_file()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return kc


def running(pid):
    """Whether a process with this pid exists and has not exited (a zombie has)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def kill_if_running(pid):
    if running(pid):
        os.kill(pid, signal.SIGKILL)


class MessageSizeLimit(unittest.TestCase):
    """ASTROLABE_KERNEL_MAX_MESSAGE_BYTES (default 64 MiB), small here so the test sends little."""
    LIMIT = 100_000

    def test_messages_over_the_limit_are_dropped(self):
        km, kc = start_new_kernel(kernel_name="astrolabe",
                                  env={**os.environ, "ASTROLABE_KERNEL_MAX_MESSAGE_BYTES": str(self.LIMIT)})
        self.addCleanup(km.shutdown_kernel)
        self.addCleanup(kc.stop_channels)
        socket = kc.shell_channel.socket
        # Frames each under the limit, together over it: read and dropped, the connection kept.
        parts = execute_request(kc.session, "help\n#" + "x" * (self.LIMIT // 2))
        kc.session.send(socket, parts, buffers=[b"y" * (self.LIMIT // 2)])
        asked = kc.kernel_info()
        self.assertEqual(kc.get_shell_msg(timeout=30)["parent_header"]["msg_id"], asked)
        # One frame over the limit: libzmq drops the connection before reading it; the client reconnects.
        big = execute_request(kc.session, "help\n#" + "x" * self.LIMIT)
        kc.session.send(socket, big)
        dropped = {parts["header"]["msg_id"], big["header"]["msg_id"]}
        answered = False
        for _ in range(30):   # requests sent while reconnecting may be lost: ask again
            kc.kernel_info()
            try:
                reply = kc.get_shell_msg(timeout=2)
            except queue.Empty:
                continue
            self.assertNotIn(reply["parent_header"]["msg_id"], dropped)
            answered = True
            break
        self.assertTrue(answered, "the kernel stopped answering after an oversized message")
        msg_id = kc.execute("help skip")
        while True:
            reply = kc.get_shell_msg(timeout=30)
            self.assertNotIn(reply["parent_header"]["msg_id"], dropped)
            if reply["parent_header"]["msg_id"] == msg_id:
                break
        # Neither oversized request ran: this is the kernel's first cell.
        self.assertEqual(reply["content"]["execution_count"], 1)


class KernelProcess(unittest.TestCase):
    """The kernel started from a connection file, as Jupyter starts it."""

    def test_connection_file_without_key_is_warned_about(self):
        path = connection_file("unsigned.json", key=b"")
        with tempfile.TemporaryFile("w+", dir=WORK) as err:
            kernel = subprocess.Popen([BIN, "kernel", "-f", path], stderr=err)
            self.addCleanup(kill_if_running, kernel.pid)
            kc = ready_client(path)
            kc.shutdown()
            kc.stop_channels()
            self.assertEqual(kernel.wait(timeout=60), 0)
            err.seek(0)
            self.assertIn("message signing is disabled", err.read())

    def test_kernel_stops_when_the_process_that_started_it_dies(self):
        path = connection_file("orphan.json", key=os.urandom(16).hex().encode())
        # jupyter_client's own launcher: a new session, JPY_PARENT_PID set to the launching process.
        launcher = textwrap.dedent("""
            import sys, time
            from jupyter_client.launcher import launch_kernel
            print(launch_kernel([sys.argv[1], "kernel", "-f", sys.argv[2]]).pid, flush=True)
            time.sleep(600)
            """)
        parent = subprocess.Popen([sys.executable, "-c", launcher, BIN, path], stdout=subprocess.PIPE, text=True)
        self.addCleanup(parent.stdout.close)
        self.addCleanup(kill_if_running, parent.pid)
        kernel_pid = int(parent.stdout.readline())
        self.addCleanup(kill_if_running, kernel_pid)
        ready_client(path).stop_channels()
        parent.kill()
        parent.wait()
        for _ in range(600):   # a bounded wait: the kernel checks every second
            if not running(kernel_pid):
                break
            time.sleep(0.1)
        self.assertFalse(running(kernel_pid), "the kernel outlived the process that started it")


class KernelspecInstall(unittest.TestCase):
    """`kernel install --user` writes where jupyter_core's jupyter_data_dir() and so Jupyter look."""

    def install_for_user(self, **variables):
        environment = {k: v for k, v in os.environ.items()
                       if k not in ("JUPYTER_DATA_DIR", "XDG_DATA_HOME", "JUPYTER_PATH")}
        environment.update(variables, JUPYTER_PREFER_ENV_PATH="0")
        subprocess.run([BIN, "kernel", "install", "--user"], env=environment, check=True, capture_output=True)
        found = subprocess.run([sys.executable, "-c", "import json; from jupyter_client.kernelspec import "
                                "find_kernel_specs; print(json.dumps(find_kernel_specs()))"],
                               env=environment, check=True, capture_output=True, text=True)
        return json.loads(found.stdout).get("astrolabe")

    def test_user_install_goes_under_home(self):
        home = tempfile.mkdtemp(dir=WORK)
        folder = self.install_for_user(HOME=home)
        self.assertEqual(folder, os.path.join(home, ".local", "share", "jupyter", "kernels", "astrolabe"))
        self.assertTrue(os.path.isfile(os.path.join(folder, "kernel.json")))

    def test_user_install_honours_xdg_data_home_and_ignores_empty_variables(self):
        home, data = tempfile.mkdtemp(dir=WORK), tempfile.mkdtemp(dir=WORK)
        self.assertEqual(self.install_for_user(HOME=home, JUPYTER_DATA_DIR="", XDG_DATA_HOME=data),
                         os.path.join(data, "jupyter", "kernels", "astrolabe"))
        self.assertEqual(self.install_for_user(HOME=home, JUPYTER_DATA_DIR="", XDG_DATA_HOME=""),
                         os.path.join(home, ".local", "share", "jupyter", "kernels", "astrolabe"))

    def test_user_install_honours_jupyter_data_dir(self):
        home, data = tempfile.mkdtemp(dir=WORK), tempfile.mkdtemp(dir=WORK)
        folder = self.install_for_user(HOME=home, JUPYTER_DATA_DIR=data)
        self.assertEqual(folder, os.path.join(data, "kernels", "astrolabe"))
        self.assertTrue(os.path.isfile(os.path.join(folder, "kernel.json")))
        self.assertFalse(os.path.exists(os.path.join(home, ".local")))


# A gallery session in small: prose, a table, features, a warning, figures, a model, questions and answers.
GALLERY_LIKE = """\
# # Iris, as in the gallery
#
# Prose becomes a Markdown cell.

load Samples/iris.csv as gallery id=id label=label
feature ratio = `petal length (cm)` / `petal width (cm)`
describe ratio
load twice.csv as doubled id=id
use gallery

# ## A figure

plot density `sepal length (cm)` ratio to=plots/gallery.png

# ## A model that asks

model m features=ratio,`sepal width (cm)` trees=20
query m 2
teach 64 versicolor
score m
"""


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
        self.assertFalse(any(o.output_type == "execute_result" for o in outputs))
        self.assertIn("accuracy", "".join(o.text for o in nb.cells[3].outputs if o.output_type == "stream"))
        self.assertEqual(nb.metadata["language_info"]["name"], "astrolabe")
        path = os.path.join(WORK, "executed.ipynb")
        nbformat.write(nb, path)
        nbformat.validate(nbformat.read(path, as_version=4))

    def test_notebook_executed_in_jupyter_checks_against_its_script(self):
        with open(os.path.join(WORK, "gallery_like.alab"), "w") as f:
            f.write(GALLERY_LIKE)
        subprocess.run([BIN, "run", "gallery_like.alab", "--quiet", "--notebook", "replayed.ipynb"], check=True, cwd=WORK)
        nb = nbformat.read(os.path.join(WORK, "replayed.ipynb"), as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        NotebookClient(nb, timeout=120, kernel_name="astrolabe", resources={"metadata": {"path": WORK}}).execute()
        nbformat.write(nb, os.path.join(WORK, "jupyter.ipynb"))
        check = subprocess.run([BIN, "check", "gallery_like.alab", "jupyter.ipynb"], cwd=WORK, capture_output=True, text=True)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        self.assertRegex(check.stdout, r"all 6 cells match .*\(\d+ outputs, 1 figures\)")

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
