"""Near-identical texts from different respondents: joint statements and campaign letters.

Texts are compared by word 5-gram shingles. To stay fast on a few hundred long
responses, only a fixed 1-in-4 sample of shingle hashes is kept (the same hashes
are kept in every text, so the containment estimate is unbiased), and candidate
pairs come from an inverted index rather than from comparing every pair.
"""
from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass

SHINGLE = 5
SAMPLE = 4
THRESHOLD = 0.8
MIN_SAMPLED = 8
_WORD = re.compile(r"\w+")


def shingles(text: str, k: int = SHINGLE) -> frozenset[int]:
    """Sampled hashes of the text's word k-grams (stable across processes)."""
    words = _WORD.findall(text.casefold())
    out = set()
    for i in range(max(0, len(words) - k + 1)):
        h = zlib.crc32(" ".join(words[i:i + k]).encode("utf-8"))
        if h % SAMPLE == 0:
            out.add(h)
    return frozenset(out)


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
    sigs = [s for s in sigs if len(s[2]) >= MIN_SAMPLED]
    postings: dict[int, list[int]] = defaultdict(list)
    for n, (_, _, sh) in enumerate(sigs):
        for h in sh:
            postings[h].append(n)
    parent = list(range(len(sigs)))
    best: dict[int, float] = {}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, (_, a_resp, a_sh) in enumerate(sigs):
        shared = Counter(b for h in a_sh for b in postings[h] if b > a)
        for b, overlap in shared.items():
            b_resp, b_sh = sigs[b][1], sigs[b][2]
            if a_resp and a_resp == b_resp:
                continue  # the same sender twice is a new version or a re-send, not a joint statement
            score = overlap / min(len(a_sh), len(b_sh))
            if score >= threshold:
                parent[root(b)] = root(a)
                best[a] = max(best.get(a, 0.0), score)
                best[b] = max(best.get(b, 0.0), score)
    members: dict[int, list[str]] = {}
    for n in best:
        members.setdefault(root(n), []).append(sigs[n][0])
    group_of = {}
    for ids in members.values():
        gid = min(ids)
        for doc_id in ids:
            group_of[doc_id] = gid
    return Grouping(group_of, {sigs[n][0]: round(min(v, 1.0), 3) for n, v in best.items()})
