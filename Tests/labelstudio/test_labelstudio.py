"""Astrolabe as the ML backend of a real Label Studio (label-studio 1.23.2 on loopback, SQLite,
its own data folder), driven with label-studio-sdk.

Steps: Astrolabe exports a labelling config and tasks and serves model m (`serve labelstudio m
retrain=2`); Label Studio gets a project with that config and those tasks, Astrolabe as its ML
backend and a webhook to it; predictions are asked for and checked on the tasks (scores = the
exported ones, model version m@1:6); two Label Studio users annotate (one task skipped), with
Astrolabe restarted between annotations; the store holds every answer under its user's email;
the model retrained (m@2:8) and new predictions carry that version; a deletion is undone; Label
Studio's own JSON export goes through `import labelstudio` to the same answers.

Run by `make test` (ASTROLABE_BIN names the binary). With ASTROLABE_UPDATE_FIXTURES=1 it also
writes Label Studio's export and the answers read from it (in Python) to
Tests/AstrolabeKernelTests/Fixtures/labelstudio/, which LabelStudioExportImportTests replays.
"""
import base64
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "AstrolabeKernelTests", "Fixtures", "labelstudio")

try:
    import label_studio  # noqa: F401
    from label_studio_sdk import LabelStudio
except ImportError as error:  # pragma: no cover
    LabelStudio = None
    IMPORT_ERROR = error

TOKEN = "astrolabe0e2e0token0000000000000000000000"
ADMIN, PASSWORD = "admin@astrolabe.test", "astrolabe-e2e-pass"
SECOND = "bob@astrolabe.test"
AUTH = ("ls", "backend-secret")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds, auth=None, process=None, log=None):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited ({process.returncode}); log:\n{open(log).read()[-3000:] if log else ''}")
        try:
            request = urllib.request.Request(url)
            if auth:
                request.add_header("Authorization", "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode())
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except Exception:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@unittest.skipIf(LabelStudio is None, f"label-studio / label-studio-sdk not installed: {globals().get('IMPORT_ERROR')}")
class LabelStudioEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.binary = os.environ.get("ASTROLABE_BIN") or os.path.join(ROOT, ".build", "debug", "astrolabe")
        cls.dir = tempfile.mkdtemp(prefix="astrolabe-ls-")
        cls.store = os.path.join(cls.dir, "labels.sqlite")
        cls.ls_port, cls.ab_port = free_port(), free_port()
        cls.ls_url, cls.ab_url = f"http://127.0.0.1:{cls.ls_port}", f"http://127.0.0.1:{cls.ab_port}"
        cls.script = os.path.join(cls.dir, "serve.alab")
        iris = os.path.join(ROOT, "Samples", "iris.csv")
        with open(cls.script, "w") as f:
            f.write(f"load {iris} as iris id=id label=label\n"
                    "model m features=`sepal length (cm)`,`petal width (cm)` initial=6\n"
                    "export labelconfig iris to=config.xml\n"
                    "export tasks iris to=tasks.json model=m order=uncertainty limit=12\n"
                    f"serve labelstudio m port={cls.ab_port} retrain=2 user={AUTH[0]} password={AUTH[1]}\n")
        env = dict(os.environ, LABEL_STUDIO_BASE_DATA_DIR=os.path.join(cls.dir, "ls-data"),
                   LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN="true", SSRF_PROTECTION_ENABLED="false",
                   WEBHOOK_TIMEOUT="30", ML_BLOCK_LOCAL_IP="false", USE_DEFAULT_BANNED_SUBNETS="false", LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK="false", SENTRY_DSN="",
                   FRONTEND_SENTRY_DSN="", COLLECT_ANALYTICS="false")
        cls.ls_log = os.path.join(cls.dir, "label-studio.log")
        cls.ls = subprocess.Popen(
            [os.path.join(os.path.dirname(sys.executable), "label-studio"), "start", "--no-browser",
             "--port", str(cls.ls_port), "--internal-host", "127.0.0.1",
             "--username", ADMIN, "--password", PASSWORD, "--user-token", TOKEN],
            env=env, stdout=open(cls.ls_log, "w"), stderr=subprocess.STDOUT, cwd=cls.dir, start_new_session=True)
        cls.astrolabe = None
        cls.start_astrolabe()
        wait_for(cls.ls_url + "/health", 240, process=cls.ls, log=cls.ls_log)
        cls.client = LabelStudio(base_url=cls.ls_url, api_key=TOKEN)

    @classmethod
    def start_astrolabe(cls):
        cls.ab_log = os.path.join(cls.dir, "astrolabe.log")
        cls.astrolabe = subprocess.Popen([cls.binary, "--store", cls.store], stdin=open(cls.script),
                                         stdout=open(cls.ab_log, "a"), stderr=subprocess.STDOUT, cwd=cls.dir)
        wait_for(cls.ab_url + "/health", 60, auth=AUTH, process=cls.astrolabe, log=cls.ab_log)

    @classmethod
    def stop_astrolabe(cls):
        if cls.astrolabe and cls.astrolabe.poll() is None:
            cls.astrolabe.send_signal(signal.SIGTERM)
            cls.astrolabe.wait(30)

    @classmethod
    def tearDownClass(cls):
        cls.stop_astrolabe()
        if cls.ls.poll() is None:
            os.killpg(cls.ls.pid, signal.SIGTERM)
            try:
                cls.ls.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(cls.ls.pid, signal.SIGKILL)

    def answers(self):
        with sqlite3.connect(self.store) as db:
            return db.execute("SELECT row_id, kind, label, annotator, note FROM answers ORDER BY seq").fetchall()

    def read(self, name):
        with open(os.path.join(self.dir, name)) as f:
            return f.read()

    def choice(self, label):
        return [{"from_name": "label", "to_name": "id", "type": "choices", "value": {"choices": [label]}}]

    def predictions(self, project, task_ids):
        self.client.actions.create(id="retrieve_tasks_predictions", project=project, selected_items={"all": False, "included": task_ids})
        return {t: self.client.tasks.get(t).predictions for t in task_ids}

    def test_label_studio_round_trip(self):
        ls = self.client
        config, tasks = self.read("config.xml"), json.loads(self.read("tasks.json"))
        project = ls.projects.create(title="Astrolabe iris", label_config=config).id
        ls.projects.import_tasks(id=project, request=[{"data": t["data"]} for t in tasks])
        ids = [t.id for t in ls.tasks.list(project=project)]
        self.assertEqual(len(ids), 12)
        rows = {ls.tasks.get(t).data["id"]: t for t in ids}
        exported = {t["data"]["id"]: t["predictions"][0] for t in tasks}

        backend = ls.ml.create(project=project, url=self.ab_url, title="astrolabe", auth_method="BASIC_AUTH",
                               basic_auth_user=AUTH[0], basic_auth_pass=AUTH[1], is_interactive=False)
        self.assertEqual(ls.ml.get(backend.id).state, "CO", "Label Studio connected to Astrolabe (setup accepted the config)")
        ls.webhooks.create(url=self.ab_url + "/webhook", project=project, send_payload=True, send_for_all_actions=False,
                           actions=["ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATIONS_DELETED"],
                           headers={"Authorization": "Basic " + base64.b64encode(f"{AUTH[0]}:{AUTH[1]}".encode()).decode()})

        # Predictions through Label Studio: the exported scores, model version m@1:6.
        first = list(rows)[:4]
        got = self.predictions(project, [rows[r] for r in first])
        for row in first:
            [p] = [p for p in got[rows[row]] if p.model_version == "m@1:6"]
            self.assertAlmostEqual(p.score, exported[row]["score"], places=12)
            self.assertEqual(p.result[0]["value"]["choices"], exported[row]["result"][0]["value"]["choices"])

        # Two users annotate; Astrolabe is restarted between annotations.
        bob = ls.users.create(username="bob", email=SECOND, password="bob-pass-123", first_name="Bob").id
        admin = ls.users.whoami().id
        a1 = ls.annotations.create(id=rows[first[0]], result=self.choice("versicolor"), lead_time=4.5)
        self.stop_astrolabe()
        self.start_astrolabe()
        # Label Studio calls /setup again when it next asks for predictions (it gives the API token
        # Astrolabe names users with).
        self.predictions(project, [rows[list(rows)[5]]])
        ls.annotations.create(id=rows[first[1]], result=self.choice("virginica"), completed_by=bob, lead_time=2.0)
        ls.annotations.create(id=rows[first[0]], result=self.choice("virginica"), completed_by=bob, lead_time=1.5)
        ls.annotations.create(id=rows[first[2]], result=[], was_cancelled=True, completed_by=bob)
        stored = self.answers()
        self.assertEqual([(r, k, l, a) for r, k, l, a, _ in stored], [
            (first[0], "label", "versicolor", ADMIN), (first[1], "label", "virginica", SECOND),
            (first[0], "label", "virginica", SECOND), (first[2], "unsure", None, SECOND)])
        self.assertIn("lead time 4.5 s", stored[0][4])

        # Retrained after every 2 answers: the new version is on new predictions.
        log = self.read("astrolabe.log")
        retrained = re.findall(r"m retrained on \d+ labels \((m@\d+:\d+)\)", log)
        self.assertTrue(retrained, log)
        self.assertNotEqual(retrained[-1], "m@1:6")
        got = self.predictions(project, [rows[first[3]]])
        self.assertIn(retrained[-1], [p.model_version for p in got[rows[first[3]]]])

        # A deleted annotation is undone in the store.
        ls.annotations.delete(a1.id)
        with sqlite3.connect(self.store) as db:
            self.assertEqual(db.execute("SELECT count(*) FROM answers WHERE kind = 'undo'").fetchone()[0], 1)
        self.assertTrue(all(line.split(" ")[0] in ("GET", "POST", "astrolabe:") or line.startswith(("loaded", "model", "wrote", "restored"))
                            for line in log.splitlines() if line.startswith(("GET ", "POST "))))

        # Label Studio's own export, read back by `import labelstudio`.
        ls.annotations.create(id=rows[first[3]], result=self.choice("setosa"), lead_time=3.25)
        export = ls.projects.exports.as_json(project) if hasattr(ls.projects.exports, "as_json") else None
        if export is None:
            request = urllib.request.Request(f"{self.ls_url}/api/projects/{project}/export?exportType=JSON",
                                             headers={"Authorization": f"Token {TOKEN}"})
            with urllib.request.urlopen(request, timeout=60) as response:
                export = json.load(response)
        expected = expected_answers(export)
        with open(os.path.join(self.dir, "export.json"), "w") as f:
            json.dump(export, f, indent=1)
        fresh = os.path.join(self.dir, "fresh.sqlite")
        replay = (f"load {os.path.join(ROOT, 'Samples', 'iris.csv')} as iris id=id label=label\n"
                  "import labelstudio export.json\nexport answers to=answers.json\n")
        subprocess.run([self.binary, "--store", fresh], input=replay, text=True, cwd=self.dir, check=True, capture_output=True)
        answers = json.loads(self.read("answers.json"))
        self.assertEqual(sorted((a["id"], a["annotator"], a["answer"] or "unsure") for a in answers),
                         sorted((e["id"], e["annotator"], e["answer"]) for e in expected))
        if os.environ.get("ASTROLABE_UPDATE_FIXTURES") == "1":
            os.makedirs(FIXTURES, exist_ok=True)
            with open(os.path.join(FIXTURES, "export.json"), "w") as f:
                json.dump(export, f, indent=1, sort_keys=True)
            with open(os.path.join(FIXTURES, "expected.json"), "w") as f:
                json.dump(expected, f, indent=1, sort_keys=True)
        # The labelling page with Astrolabe's prediction, for a person to look at (not in git).
        if shutil.which("chromium"):
            shots = os.path.join(ROOT, "Tests", "labelstudio", "screenshots")
            os.makedirs(shots, exist_ok=True)
            ls.projects.update(id=project, model_version=retrained[-1], show_collab_predictions=True)
            fresh_task = rows[list(rows)[6]]  # no annotation: the prediction is what the page preselects
            self.predictions(project, [fresh_task])
            subprocess.run([sys.executable, os.path.join(ROOT, "Tests", "labelstudio", "screenshot.py"), self.ls_url, ADMIN, PASSWORD,
                            str(project), str(fresh_task), os.path.join(shots, "labelling.png")], timeout=120, check=False)
        print(f"label studio {self.ls_url}, astrolabe {self.ab_url}, project {project}, admin {admin}, bob {bob}", file=sys.stderr)


def expected_answers(export):
    """Each user's latest annotation per task (by update time, then id), read the way Label Studio
    documents its JSON export: the class chosen, or unsure for a cancelled (skipped) annotation."""
    latest = {}
    for task in export:
        for a in task["annotations"]:
            by = a["completed_by"]
            who = by["email"] if isinstance(by, dict) else f"labelstudio-user-{by}"
            key = (str(task["data"]["id"]), who)
            stamp = (a.get("updated_at") or a.get("created_at") or "", a["id"])
            if key in latest and latest[key][0] > stamp:
                continue
            choices = [c for r in a["result"] if r["type"] == "choices" for c in r["value"]["choices"]]
            latest[key] = (stamp, "unsure" if a.get("was_cancelled") else choices[0])
    return [{"id": k[0], "annotator": k[1], "answer": v[1]} for k, v in sorted(latest.items())]


if __name__ == "__main__":
    unittest.main()
