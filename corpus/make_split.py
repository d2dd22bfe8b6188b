"""Make the fixed train/test split of the annotated corpus, by response.

Reads corpus/raw/*.jsonl and writes corpus/train.jsonl and corpus/test.jsonl.
A response goes to the test split when the SHA-256 of a salt and its id falls
in the lowest ~22 %, so the split is fixed, independent of file order, and
never separates the comments of one response. The salt is fixed (``SALT``): it
was the first one (from 0 up) that gave every label between 17 % and 30 % of
its comments in the test split when the corpus had 2,402 comments, and it is
kept as the corpus grows, so a response once held out stays held out and new
responses are assigned by the same rule. The script refuses to write a split
whose label shares fall outside that range, for every label with at least
100 comments (below that one response moves a share by several points: the
60 English comments have 10 in the test split, 16.7 %). The test split is held out: it is
never used for training or tuning. Run again after editing raw/; a test checks
that the committed split matches.

Usage: python corpus/make_split.py [--check]
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
TEST_SHARE = 0.22
SALT = 9
LABEL_SHARE = (0.17, 0.30)
MIN_CHECKED = 100  # labels with fewer comments are not held to LABEL_SHARE


def in_test(response_id: str, salt: int) -> bool:
    h = int(hashlib.sha256(f"{salt}:{response_id}".encode("utf-8")).hexdigest()[:8], 16)
    return h / 0xFFFFFFFF < TEST_SHARE


def _labels(rec: dict) -> list[str]:
    return [*rec["focus_areas"], *rec["themes"], "level=" + rec["level"], "stance=" + rec["stance"],
            "lang=" + rec["language"]]


def _balanced(records: list[dict], salt: int) -> bool:
    total: dict[str, int] = {}
    held: dict[str, int] = {}
    for rec in records:
        for lab in _labels(rec):
            total[lab] = total.get(lab, 0) + 1
            held[lab] = held.get(lab, 0) + in_test(rec["response_id"], salt)
    return all(LABEL_SHARE[0] <= held[lab] / n <= LABEL_SHARE[1] for lab, n in total.items()
               if n >= MIN_CHECKED)


def build() -> tuple[str, str]:
    records = [json.loads(line) for path in sorted((HERE / "raw").glob("*.jsonl"))
               for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not _balanced(records, SALT):
        raise SystemExit(f"Med salt {SALT} får en etikett under 17 % eller over 30 % av innspillene i testdelen; "
                         "skriv flere innspill med den etiketten (ikke bytt salt: da lekker testdelen).")
    train, test = [], []
    for rec in records:
        (test if in_test(rec["response_id"], SALT) else train).append(json.dumps(rec, ensure_ascii=False))
    return "\n".join(train) + "\n", "\n".join(test) + "\n"


def main() -> int:
    train, test = build()
    if "--check" in sys.argv:
        same = (HERE / "train.jsonl").read_text(encoding="utf-8") == train and \
            (HERE / "test.jsonl").read_text(encoding="utf-8") == test
        print("split er oppdatert" if same else "split er utdatert: kjør python corpus/make_split.py")
        return 0 if same else 1
    (HERE / "train.jsonl").write_text(train, encoding="utf-8")
    (HERE / "test.jsonl").write_text(test, encoding="utf-8")
    print(f"train: {train.count(chr(10))} innspill, test: {test.count(chr(10))} innspill")
    return 0


if __name__ == "__main__":
    sys.exit(main())
