"""The rule baseline: labels from taxonomy terms and cues alone, no training.

Kept as a reference for every evaluation and as a fallback when no trained
model is available.
"""
from __future__ import annotations

import re

from ..records import Labels
from .features import Prepared

PROCESS = re.compile(
    r"\b(høringsfrist\w*|høyringsfrist\w*|viser til|syner til|takk\w*|ingen (flere |vidare |ytterligere )?merknad\w*|"
    r"vedt(ok|att|eke)|behandl\w* saken|handsama\w*|formannskap\w*|kommunestyre\w*|høringsbrev\w*|høyringsbrev\w*|"
    r"med vennlig hilsen|ser fram til)\b",
    re.IGNORECASE,
)
MEASURE_CUES = {"cue_deadline", "cue_money", "cue_action", "cue_actor", "cue_percent"}


class RuleClassifier:
    """Keyword and cue rules over prepared features."""

    def __init__(self, focus_codes: list[str], theme_codes: list[str]):
        self.focus_codes = focus_codes
        self.theme_codes = theme_codes

    def predict(self, prepared: Prepared) -> list[Labels]:
        out = []
        for text, signals, lang in zip(prepared.columns["text"], prepared.columns["signals"], prepared.languages):
            sig = signals.split()
            found = {s[4:] for s in sig if s.startswith("tax_")}
            cues = set(sig)
            if PROCESS.search(text) and not cues & MEASURE_CUES:
                level = "prosess"
            elif len(cues & MEASURE_CUES) >= 1 and ("cue_action" in cues or "cue_deadline" in cues
                                                      or "cue_money" in cues or "cue_actor" in cues):
                level = "tiltak"
            else:
                level = "strategisk"
            if "cue_objection" in cues or "cue_negated_support" in cues:
                stance = "innvending"
            elif "cue_support" in cues or "cue_negated_objection" in cues:
                stance = "stotte"
            else:
                stance = "noytral"
            out.append(Labels(tuple(c for c in self.focus_codes if c in found),
                              tuple(c for c in self.theme_codes if c in found), level, stance, lang))
        return out
