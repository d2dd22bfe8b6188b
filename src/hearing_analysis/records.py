"""Typed records at the package boundaries, with the codes of labels.md."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class RespondentType(StrEnum):
    KOMMUNE = "kommune"
    FYLKESKOMMUNE = "fylkeskommune"
    REGIONRAAD = "regionraad"
    STAT = "stat"
    ORGANISASJON = "organisasjon"
    NAERINGSLIV = "naeringsliv"
    PRIVAT = "privat"
    ANNET = "annet"


class Status(StrEnum):
    OK = "ok"
    NEEDS_OCR = "needs_ocr"
    FAILED = "failed"


class Role(StrEnum):
    """What a stored document is: a response, or a container such as an e-mail cover note."""

    RESPONSE = "response"
    CONTAINER = "container"


@dataclass(frozen=True)
class Page:
    number: int
    text: str

    def to_dict(self) -> dict:
        return {"number": self.number, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict) -> "Page":
        return cls(number=int(d["number"]), text=str(d["text"]))


@dataclass(frozen=True)
class Attachment:
    """A file carried inside another (an e-mail attachment)."""

    name: str
    data: bytes


@dataclass
class Extracted:
    """What an extractor reads from one file, before metadata is inferred."""

    kind: str  # pdf, docx, odt, html, text, email, msg, image
    pages: list[Page]
    status: Status = Status.OK
    reason: str = ""
    furniture: str = ""  # page headers/footers kept apart from the body
    sender: str = ""  # e-mail From header
    subject: str = ""
    sent: str | None = None  # ISO date from an e-mail Date header
    attachments: list[Attachment] = field(default_factory=list)
    carries_response: bool = True
    ocr: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages if p.text)


@dataclass(frozen=True)
class Metadata:
    respondent: str = ""
    respondent_type: RespondentType = RespondentType.ANNET
    date: str | None = None  # the letter's own date, ISO
    references: dict[str, str] = field(default_factory=dict)
    language: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        d["respondent_type"] = str(self.respondent_type)
        return d


class CommentKind(StrEnum):
    COMMENT = "comment"  # a point made by the respondent
    OPENING = "opening"  # "Vi viser til …": split off so it never mixes with content
    FURNITURE = "furniture"  # letterhead, references, dateline, greeting, signature, contact lines


@dataclass(frozen=True)
class Comment:
    """One unit of a response: a comment (one point), an opening, or letter furniture.

    ``start``/``end`` are character offsets into the response's cleaned text;
    ``text`` equals that slice except where a paragraph ran over a page break
    and was joined ("nærings-" + "stoffer" → "næringsstoffer").
    """

    id: str
    response_id: str
    n: int
    kind: CommentKind
    text: str
    heading: str
    lead: str
    pages: tuple[int, ...]
    start: int
    end: int
    language: str = ""

    @property
    def page(self) -> int:
        return self.pages[0] if self.pages else 0

    def to_dict(self) -> dict:
        d = asdict(self)
        d["kind"] = str(self.kind)
        d["pages"] = list(self.pages)
        d["page"] = self.page
        return d


LEVELS = ("strategisk", "tiltak", "prosess")
STANCES = ("stotte", "innvending", "noytral")


@dataclass(frozen=True)
class Labels:
    """The five labels of one comment (labels.md), with per-label probabilities."""

    focus_areas: tuple[str, ...]
    themes: tuple[str, ...]
    level: str
    stance: str
    language: str
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    needs_review: bool = False

    def to_dict(self) -> dict:
        return {"focus_areas": list(self.focus_areas), "themes": list(self.themes), "level": self.level,
                "stance": self.stance, "language": self.language, "scores": self.scores,
                "needs_review": self.needs_review}
