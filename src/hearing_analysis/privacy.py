"""Personal data in outputs: private persons become "Privatperson N"; contact details are removed.

Every output meant to leave the secretariat (report, backlog) passes names and quotes through a
:class:`Privacy`. It is on by default; ``Privacy(enabled=False)`` is for internal use only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from .nlp.cues import redact

PRIVATE = "privat"
REDACTED = "[fjernet]"


@dataclass
class Privacy:
    """Display names and scrubbed text for one workspace's respondents.

    ``respondents`` is (respondent, respondent_type) in the order responses were received; private
    persons are numbered in that order, so the numbers stay the same when later responses arrive.
    """

    respondents: Iterable[tuple[str, str]] = ()
    enabled: bool = True
    _names: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _pattern: re.Pattern | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        n = 0
        for name, kind in self.respondents:
            if kind == PRIVATE and name and name not in self._names:
                n += 1
                self._names[name] = f"Privatperson {n}"
        # Also catch a private person's name inside any quote (a signature, "jeg, Kari Nordmann, …").
        parts = sorted(self._names, key=len, reverse=True)
        if parts:
            self._pattern = re.compile("|".join(re.escape(p) for p in parts))

    @classmethod
    def for_workspace(cls, ws, enabled: bool = True) -> "Privacy":
        """Numbered from the workspace's responses, oldest received first."""
        rows = ws.db.execute("SELECT respondent, respondent_type FROM documents "
                             "WHERE role = 'response' ORDER BY received, id")
        return cls([(r["respondent"], r["respondent_type"]) for r in rows], enabled=enabled)

    def name(self, respondent: str, respondent_type: str = "") -> str:
        """The name to show: a pseudonym for a private person, else the respondent as stored."""
        if not self.enabled:
            return respondent
        if respondent in self._names:
            return self._names[respondent]
        if respondent_type == PRIVATE:
            return "Privatperson"
        return respondent

    def text(self, text: str) -> str:
        """A quote with e-mail addresses, phone numbers, fødselsnumre, street addresses and private
        persons' names removed."""
        if not self.enabled or not text:
            return text
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: self._names[m.group(0)], text)
        return redact(text, REDACTED)
