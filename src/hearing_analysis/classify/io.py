"""Saving and loading models with skops (never plain pickle), with a model card and a hash.

A model folder holds ``model.skops``, ``card.json`` (metadata, scores and the
SHA-256 of the model file) and ``card.md`` (the same for people). Loading
refuses a file whose hash does not match its card, and a file that holds any
type outside scikit-learn, NumPy and SciPy — so a tampered or foreign file is
never executed.
"""
from __future__ import annotations

import hashlib
import json
import os
import warnings
from pathlib import Path

from ..errors import HearingAnalysisError

MODEL_FILE = "model.skops"
CARD_JSON = "card.json"
CARD_MD = "card.md"
TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.sparse.", "builtins.", "collections.")


class ModelError(HearingAnalysisError, RuntimeError):
    """A model is missing, refused as untrusted, or does not fit this version."""


class ModelWarning(UserWarning):
    """A model loads, but something around it differs from when it was trained."""


def default_model_dir() -> Path:
    """$HEARING_MODEL, else the repository's ``models/default``."""
    env = os.environ.get("HEARING_MODEL")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "models" / "default"


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_model(model, card: dict, folder: str | Path) -> Path:
    """Write the model and its card; the card records the model file's hash."""
    import skops.io as sio

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{MODEL_FILE}.tmp"
    import zipfile

    sio.dump(model.to_state(), tmp, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    os.replace(tmp, folder / MODEL_FILE)
    card = {**card, "model_sha256": sha256_file(folder / MODEL_FILE)}
    (folder / CARD_JSON).write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    from .card import render_card

    (folder / CARD_MD).write_text(render_card(card), encoding="utf-8")
    return folder


def read_card(folder: str | Path) -> dict:
    path = Path(folder) / CARD_JSON
    if not path.is_file():
        raise ModelError(f"Fant ingen modell i {folder} ({CARD_JSON} mangler). Lag en med `hearing train`.")
    return json.loads(path.read_text(encoding="utf-8"))


def load_model(folder: str | Path | None = None):
    """Load a saved model after checking its hash and every type it holds."""
    import skops.io as sio

    from .model import HearingModel

    folder = Path(folder) if folder else default_model_dir()
    card = read_card(folder)
    file = folder / MODEL_FILE
    if not file.is_file():
        raise ModelError(f"Modellfilen {file} mangler. Lag modellen på nytt med `hearing train`.")
    if sha256_file(file) != card.get("model_sha256"):
        raise ModelError(f"Modellfilen {file} er endret etter at den ble laget (feil SHA-256); den lastes ikke. "
                         "Lag modellen på nytt med `hearing train`.")
    try:
        untrusted = sio.get_untrusted_types(file=file)
    except Exception as e:
        raise ModelError(f"Modellfilen {file} kan ikke leses som skops ({type(e).__name__}: {e}).") from e
    foreign = [t for t in untrusted if not t.startswith(TRUSTED_PREFIXES)]
    if foreign:
        raise ModelError(f"Modellfilen {file} inneholder typer som ikke er til å stole på ({', '.join(foreign)}); "
                         "den lastes ikke.")
    state = sio.load(file, trusted=untrusted)
    model = HearingModel.from_state(state)
    model.card_ = card
    drift = taxonomy_drift(card)
    if drift:
        warnings.warn(drift, ModelWarning, stacklevel=2)
    return model


def taxonomy_drift(card: dict) -> str | None:
    """A message when the installed taxonomy differs from the one the model was trained with, else None."""
    from ..errors import TaxonomyError
    from ..taxonomy import load_taxonomy

    name, trained = card.get("taxonomy"), card.get("taxonomy_sha256")
    if not name or not trained:
        return None
    try:
        tax = load_taxonomy(name)
    except TaxonomyError:  # trained with a taxonomy file that is not installed: nothing to compare
        return None
    if tax.sha256 == trained:
        return None
    return (f"Modellen {card.get('name', '')} ble trent med en annen utgave av taksonomien {name} enn den som er "
            f"installert nå (versjon {tax.version}); treffene på taksonomiens ord kan avvike fra det modellen lærte. "
            "Tren modellen på nytt med `hearing train`.")
