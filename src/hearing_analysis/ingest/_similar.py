"""Near-identical texts from different respondents: joint statements and campaign letters."""
from __future__ import annotations

import re
from dataclasses import dataclass

SHINGLE = 5
THRESHOLD = 0.8
MIN_SHINGLES = 30
_WORD = re.compile(r"\w+")


def shingles(text: str, k: int = SHINGLE) -> frozenset[int]:
    words = _WORD.findall(text.casefold())
    return frozenset(hash(tuple(words[i:i + k])) for i in range(max(0, len(words) - k + 1)))


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the smaller text's shingles found in the larger one."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


@dataclass(frozen=True)
class Grouping:
    group_of: dict[str, str]  # document id -> group id (the group's first id)
    score_of: dict[str, float]  # document id -> best similarity inside its group


def group_similar(docs: list[tuple[str, str, str]], threshold: float = THRESHOLD) -> Grouping:
    """Group (id, respondent, text) triples whose texts nearly coincide across respondents."""
    sigs = [(doc_id, resp.casefold(), shingles(text)) for doc_id, resp, text in sorted(docs)]
    sigs = [s for s in sigs if len(s[2]) >= MIN_SHINGLES]
    parent = {s[0]: s[0] for s in sigs}
    best: dict[str, float] = {}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, (a_id, a_resp, a_sh) in enumerate(sigs):
        for b_id, b_resp, b_sh in sigs[i + 1:]:
            if a_resp and a_resp == b_resp:
                continue  # the same sender twice is a new version or a re-send, not a joint statement
            if min(len(a_sh), len(b_sh)) < threshold * max(len(a_sh), len(b_sh)) * 0.5:
                continue  # sizes too far apart to be one text
            score = containment(a_sh, b_sh)
            if score >= threshold:
                parent[root(b_id)] = root(a_id)
                best[a_id] = max(best.get(a_id, 0.0), score)
                best[b_id] = max(best.get(b_id, 0.0), score)
    members: dict[str, list[str]] = {}
    for doc_id in best:
        members.setdefault(root(doc_id), []).append(doc_id)
    group_of = {}
    for ids in members.values():
        gid = min(ids)
        for doc_id in ids:
            group_of[doc_id] = gid
    return Grouping(group_of, {k: round(v, 3) for k, v in best.items()})
