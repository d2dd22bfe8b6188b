"""Label comments by focus area, theme, level and stance (labels.md).

``classify_texts`` is the ad-hoc entry point; ``train``/``evaluate`` make and
measure models; ``RuleClassifier`` is the untrained baseline.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..records import Labels
from .io import ModelError, ModelWarning, load_model
from .rules import RuleClassifier
from .train import evaluate, train

__all__ = ["classify_texts", "predict_labels", "load_model", "train", "evaluate", "RuleClassifier", "ModelError", "ModelWarning"]


def predict_labels(model, texts: Sequence[str], headings: Sequence[str] | None = None,
                   leads: Sequence[str] | None = None, languages: Sequence[str | None] | None = None,
                   taxonomy: str | None = None, embedder=None,
                   responses: Sequence[str | None] | None = None) -> list[Labels]:
    """Labels for comments with a loaded model. Its embedding backend is loaded here unless the caller
    passes ``embedder`` (made once with ``make_embedder(model.embedding)`` when classifying in batches).
    ``responses`` names each comment's response: comments of one response are read together, so pass
    whole responses in one call."""
    from .embeddings import make_embedder
    from .features import prepare

    from ..taxonomy import DEFAULT_TAXONOMY

    tax = taxonomy or getattr(model, "card_", {}).get("taxonomy") or DEFAULT_TAXONOMY
    prepared = prepare(list(texts), headings, leads, languages, taxonomy=tax, embedder=embedder or make_embedder(model.embedding),
                       responses=responses)
    return model.predict(prepared)


def classify_texts(texts: Sequence[str], headings: Sequence[str] | None = None, model_dir=None,
                   responses: Sequence[str | None] | None = None) -> list[Labels]:
    """Classify free texts with the default (or given) model, outside any workspace. The texts are one
    batch (its mix of levels is estimated); ``responses`` groups texts from the same response."""
    return predict_labels(load_model(model_dir), texts, headings, responses=responses)
