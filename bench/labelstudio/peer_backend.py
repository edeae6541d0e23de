"""The Python peer: Label Studio's ML backend SDK (label-studio-ml 1.0.9, Flask) serving a
scikit-learn RandomForestClassifier(100 trees) fitted on 1,000 labelled rows of out/survey.csv —
the approach of Label Studio's active-learning example. Tasks are looked up by data.id.
usage: python peer_backend.py PORT"""
import os
import sys

import numpy as np
import pandas as pd
from label_studio_ml.api import init_app
from label_studio_ml.model import LabelStudioMLBase
from sklearn.ensemble import RandomForestClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = pd.read_csv(os.path.join(HERE, "out", "survey.csv"))
FEATURES = TABLE[[f"f{i}" for i in range(1, 9)]].to_numpy()
ROW = pd.Index(TABLE["id"].astype(str))
train = np.random.default_rng(42).choice(len(TABLE), 1000, replace=False)
MODEL = RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=1).fit(FEATURES[train], TABLE["label"].to_numpy()[train])
CLASSES = list(MODEL.classes_)


class ForestBackend(LabelStudioMLBase):
    def predict(self, tasks, **kwargs):
        rows = ROW.get_indexer([str(t["data"]["id"]) for t in tasks])
        p = MODEL.predict_proba(FEATURES[rows])
        best = p.argmax(axis=1)
        return [{"result": [{"from_name": "label", "to_name": "id", "type": "choices",
                             "value": {"choices": [CLASSES[b]]}}],
                 "score": float(p[i, b]), "model_version": "forest-1000"} for i, b in enumerate(best)]


if __name__ == "__main__":
    app = init_app(model_class=ForestBackend)
    app.run(host="127.0.0.1", port=int(sys.argv[1]), debug=False, threaded=False)
