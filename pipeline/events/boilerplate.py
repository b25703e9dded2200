"""Publisher boilerplate at the end of an article: recognised so that it produces no events.

News pages often end with a notice that is not part of the story, such as an appeal for
donations ("The Moscow Times needs your help more than ever as we cover this devastating
invasion ...") and its lead-in ("At least 10 independent media outlets have been blocked ...").
Dates and verbs in it would otherwise become events.

Rule (cues in `pipeline/events/lexicons/boilerplate.yaml`): among the document's last
`max_sentences` sentences, find the first that contains an *appeal* cue ("needs your help",
"support us", "donate now"...). The notice starts there, or earlier if the sentences just
before it contain *context* cues about the publisher ("independent media", "our coverage",
"press freedom"...), and runs to the end of the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CUES = Path(__file__).parent / "lexicons" / "boilerplate.yaml"


@dataclass(frozen=True)
class Cues:
    """Compiled cue patterns."""

    appeal: re.Pattern[str]
    context: re.Pattern[str]
    max_sentences: int


def _pattern(phrases: list[str]) -> re.Pattern[str]:
    return re.compile(
        r"\b(?:" + "|".join(re.escape(p.strip()) for p in phrases) + r")\b", re.IGNORECASE
    )


@cache
def load_cues(path: Path = CUES) -> Cues:
    """The cue lists, compiled."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("appeal", "context", "max_sentences"):
        if key not in data:
            raise ValueError(f"{path}: missing key {key!r}")
    return Cues(_pattern(data["appeal"]), _pattern(data["context"]), int(data["max_sentences"]))


_QUOTED = re.compile(r'"[^"]*"?|\u201c[^\u201d]*\u201d?|``.*?(?:\'\'|$)')
"""A stretch of text in quotation marks (straight, curly, or news corpora's doubled marks),
to the end of the sentence when the quotation closes in a later one."""


def unquoted(text: str) -> str:
    """A sentence without what it quotes: "I need your help," a minister said, is no appeal.

    A publisher speaks to the reader in its own voice; an appeal in quotation marks is what
    someone in the story said.
    """
    return _QUOTED.sub(" ", text)


def boilerplate_start(sentences: Sequence[tuple[int, str]], cues: Cues | None = None) -> int | None:
    """Character offset where trailing boilerplate begins, or None if there is none.

    `sentences` are (start_char, text) pairs in document order.
    """
    cues = cues or load_cues()
    tail = list(sentences)[-cues.max_sentences :]
    appeals = (cues.appeal.search(unquoted(text)) for _, text in tail)
    first = next((i for i, found in enumerate(appeals) if found), None)
    if first is None:
        return None
    while first > 0 and cues.context.search(tail[first - 1][1]):
        first -= 1
    return tail[first][0]
