"""What the pipeline sees in a text: sentences, lemmas, taxonomy matches and cues."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..taxonomy import DEFAULT_TAXONOMY


@dataclass
class Explanation:
    text: str
    language: str
    sentences: list[str]
    tokens: list[tuple[str, str]]  # (word, lemma)
    taxonomy: list[dict] = field(default_factory=list)  # {text, term, label}
    cues: list[dict] = field(default_factory=list)  # {text, label}
    personal_data: list[dict] = field(default_factory=list)
    labels: dict = field(default_factory=dict)  # predicted labels, when a model is given
    reasons: dict = field(default_factory=dict)  # label -> [(feature, weight)] that pushed it

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def explain(text: str, language: str | None = None, taxonomy: str = DEFAULT_TAXONOMY, model=None,
            heading: str = "") -> Explanation:
    """Run the pipeline on one text and return what each component found (and, with a model,
    the predicted labels and the features that pushed each one)."""
    from . import analyse

    doc = next(analyse([text], [language] if language else None, taxonomy=taxonomy))
    labels, reasons = {}, {}
    if model is not None:
        from ..classify.embeddings import make_embedder
        from ..classify.features import prepare

        prepared = prepare([text], [heading], None, [language], taxonomy=taxonomy,
                           embedder=make_embedder(model.embedding))
        labels = model.predict(prepared)[0].to_dict()
        reasons = model.explain(prepared)[0]
    return Explanation(
        text=text,
        language=doc._.language,
        sentences=[s.text for s in doc.sents],
        tokens=[(t.text, t.lemma_) for t in doc if not t.is_space],
        taxonomy=[{"text": s.text, "term": s.kb_id_, "label": s.label_} for s in doc.spans["taxonomy"]],
        cues=[{"text": s.text, "label": s.label_} for s in doc.spans["cues"]],
        personal_data=[{"text": s.text, "label": s.label_} for s in doc.spans["pii"]],
        labels=labels,
        reasons=reasons,
    )
