"""Text that frames a document without telling it: news datelines, page furniture, heading marks.

Left in the text, these become the first words of the first sentence ("TALLINN, Estonia - The
prime ministers of Estonia and Finland signed..." makes Estonia the subject) or sentences of
their own ("Home | News | About"). Ingest takes them out of the published `documents.text`,
so that every offset of every table indexes the story alone, and keeps what they say:

- a news dateline at the start of one of the first paragraphs (an upper-case place, then
  optionally a region or country, a date and an agency in brackets, then a dash: "TALLINN,
  Estonia -", "WASHINGTON (AP) --", "LONDON, March 3 (Reuters) -") is removed with its dash and
  kept, without the dash, in `documents.dateline`;
- in HTML pages, whole lines of site furniture (a navigation bar of three or more short items
  between bars, a copyright or "All rights reserved" footer, "Share this article", "Skip to
  content" and the like) are removed;
- in Markdown, the ``#`` marks of an ATX heading are removed, and the heading is kept a
  paragraph of its own (a blank line after it), which is how the nlp stage recognises a
  heading in any text (`pipeline.nlp.headings`).

Each removal is a counted repair (`dateline`, `boilerplate_lines`, `markdown_heading_marks`)
with examples in the ingest report.
"""

from __future__ import annotations

import re

from pipeline.ingest.repairs import Cleaned

DATELINE_PARAGRAPHS = 3
"""A dateline opens one of the first three paragraphs (a headline and a byline may precede it)."""

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATELINE = re.compile(
    r"(?P<dateline>"
    r"[A-Z][A-Z.'\u2019-]*[A-Z.](?: [A-Z][A-Z.'\u2019-]*[A-Z.])*"  # TALLINN, NEW YORK, ST. LOUIS
    rf"(?:, (?!{_MONTH} \d)[A-Z][A-Za-z.'\u2019-]*(?: [A-Z][A-Za-z.'\u2019-]*){{0,3}})?"  # Estonia
    rf"(?:,? {_MONTH} \d{{1,2}}(?:, \d{{4}})?)?"  # March 3
    r"(?: \((?P<agency>[A-Z][\w.&' -]{0,40})\))?"  # (Reuters)
    r")"
    r"(?: ?(?:--|[\u2013\u2014]) ?| - ?)(?=[\"'\u201c\u2018A-Z0-9])"
)
"""The dateline then its dash and the capital (or digit, or quote) that starts the story. A
hyphen needs a space before it: "US-German carmaker" and "EU-US talks" are no datelines."""

_NAVIGATION = re.compile(r"^[^|\n]{1,30}(?:\|[^|\n]{1,30}){2,}$")
"""Three or more short items between bars: "Home | News | About"."""
_FURNITURE = re.compile(
    r"^(?:(?:©|\(c\)|copyright\b).*|.*\ball rights reserved\b.*"
    r"|(?:share|share this(?: article| story| page)?|skip to (?:main )?content|back to top"
    r"|print(?: this)?(?: article| page)?|follow us(?: on .*)?|sign up (?:to|for) our newsletter"
    r"|subscribe(?: now)?|advertisement|related (?:articles|stories))[.!:]?)$",
    re.IGNORECASE,
)
"""A footer or a sharing, skipping or advertising line."""
FURNITURE_MAX_WORDS = 12
"""A furniture line is short: a longer line naming copyright is a sentence of the story."""
_ATX = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<name>.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")


def remove_dateline(out: Cleaned) -> str | None:
    """Remove a news dateline from the start of one of the first paragraphs; return it."""
    start = 0
    for _ in range(DATELINE_PARAGRAPHS):
        found = _DATELINE.match(out.text, start)
        if found is not None:
            dateline = found["dateline"]
            out.text = out.text[: found.start()] + out.text[found.end() :]
            out.count("dateline", 1)
            out.example("dateline", found.group(), "")
            return dateline
        start = out.text.find("\n\n", start) + 2
        if start == 1:
            return None
    return None


def is_furniture(line: str) -> bool:
    """Whether a whole line is site furniture: navigation, a footer, a sharing prompt."""
    stripped = line.strip()
    if not stripped:
        return False
    if _NAVIGATION.match(stripped):
        return True
    return len(stripped.split()) <= FURNITURE_MAX_WORDS and _FURNITURE.match(stripped) is not None


def remove_furniture(out: Cleaned) -> None:
    """Remove the lines of an HTML page's text that are site furniture, and the gaps they leave."""
    lines = out.text.split("\n")
    kept = [line for line in lines if not is_furniture(line)]
    if len(kept) == len(lines):
        return
    for line in lines:
        if is_furniture(line):
            out.example("boilerplate_lines", line.strip(), "")
    out.count("boilerplate_lines", len(lines) - len(kept))
    out.text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")


def remove_heading_marks(out: Cleaned) -> None:
    """Remove the ``#`` marks of Markdown ATX headings, each heading left a paragraph of its own."""
    lines = out.text.split("\n")
    fenced = False
    n = 0
    for number, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _ATX.match(line)
        if heading is None or not heading["name"]:
            continue
        n += 1
        out.example("markdown_heading_marks", line, heading["name"])
        before = number > 0 and lines[number - 1].strip()
        after = number + 1 < len(lines) and lines[number + 1].strip()
        lines[number] = ("\n" if before else "") + heading["name"] + ("\n" if after else "")
    if n:
        out.count("markdown_heading_marks", n)
        out.text = "\n".join(lines)


def remove_framing(out: Cleaned, media_type: str) -> str | None:
    """Remove what frames the document for its type of file; return its dateline, if any."""
    if media_type == "text/html":
        remove_furniture(out)
    elif media_type == "text/markdown":
        remove_heading_marks(out)
    return remove_dateline(out)
