"""Known names: the alias table and demonyms kept in the repo, plus an optional user knowledge base.

All three are CSV files read into one `KnowledgeBase`, looked up by a name's key
(`pipeline.events.mentions.name_key`, so "the U.S." and "U.S" agree):

- `pipeline/events/lexicons/aliases.csv` (alias, canonical, label, qid): other names of the same
  entity ("USSR" is the "Soviet Union");
- `pipeline/events/lexicons/demonyms.csv` (demonym, country): "Soviet" and "Soviets" name the people
  or state of the "Soviet Union"; a NORP mention with such a name links to the country;
- the user's file (params `entities.kb`, same columns as aliases.csv, qid optional): read
  last, so it overrides the built-in rows; every canonical name in it also becomes an alias
  of itself, so an entity named exactly like a user row gets its label and Wikidata QID.

Lines starting with '#' are comments.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.events.mentions import name_key
from schemas.vocabularies import ENTITY_LABELS

LEXICONS = Path(__file__).parent / "lexicons"
ALIASES = LEXICONS / "aliases.csv"
DEMONYMS = LEXICONS / "demonyms.csv"

KB_COLUMNS = ("alias", "canonical", "label", "qid")
_QID = re.compile(r"^Q[1-9][0-9]*$")


class KnowledgeBaseError(ValueError):
    """A knowledge-base or alias file is malformed (the message names file and line)."""


@dataclass(frozen=True)
class Entry:
    """What a known name refers to."""

    canonical: str
    label: str
    qid: str | None
    source: str
    """'alias' (built-in table), 'kb' (user file) or 'demonym'."""


@dataclass
class KnowledgeBase:
    """Known names by key; demonyms kept apart because they change a mention's entity only."""

    names: dict[str, Entry] = field(default_factory=dict)
    demonyms: dict[str, Entry] = field(default_factory=dict)

    def lookup(self, name: str) -> Entry | None:
        """The entry for a name (alias or canonical form), if known."""
        return self.names.get(name_key(name))

    def demonym(self, name: str) -> Entry | None:
        """The country a demonym ("Soviet", "Americans") refers to, if known."""
        return self.demonyms.get(name_key(name))


def _rows(path: Path, columns: tuple[str, ...], required: tuple[str, ...]) -> list[dict]:
    """Rows of a CSV with a header, '#' comment lines skipped, required cells checked."""
    text = path.read_text(encoding="utf-8-sig")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    header = tuple(reader.fieldnames or ())
    missing = [c for c in required if c not in header]
    if missing:
        raise KnowledgeBaseError(f"{path}: missing column(s) {missing}; expected {list(columns)}")
    rows = []
    for number, row in enumerate(reader, start=2):
        cells = {c: (row.get(c) or "").strip() for c in columns}
        empty = [c for c in required if not cells[c]]
        if empty:
            raise KnowledgeBaseError(f"{path}: row {number}: empty {empty[0]}")
        cells["_row"] = number
        rows.append(cells)
    return rows


def _entry(path: Path, row: dict, source: str) -> Entry:
    label = row["label"].upper()
    if label not in ENTITY_LABELS:
        raise KnowledgeBaseError(
            f"{path}: row {row['_row']}: label {row['label']!r} is not one of {list(ENTITY_LABELS)}"
        )
    qid = row.get("qid") or None
    if qid is not None and not _QID.match(qid):
        raise KnowledgeBaseError(
            f"{path}: row {row['_row']}: qid {qid!r} is not a Wikidata id like Q15180"
        )
    return Entry(row["canonical"], label, qid, source)


def read_aliases(path: Path, source: str) -> dict[str, Entry]:
    """Alias rows (alias, canonical, label, qid) by alias key; canonical names alias themselves."""
    names: dict[str, Entry] = {}
    for row in _rows(path, KB_COLUMNS, ("alias", "canonical", "label")):
        entry = _entry(path, row, source)
        names[name_key(row["canonical"])] = entry
    for row in _rows(path, KB_COLUMNS, ("alias", "canonical", "label")):
        names[name_key(row["alias"])] = _entry(path, row, source)
    return names


def read_demonyms(path: Path, names: dict[str, Entry]) -> dict[str, Entry]:
    """Demonym rows (demonym, country) by key; the country takes its alias-table entry."""
    out = {}
    for row in _rows(path, ("demonym", "country"), ("demonym", "country")):
        country = names.get(name_key(row["country"]))
        out[name_key(row["demonym"])] = Entry(
            country.canonical if country else row["country"],
            "GPE",
            country.qid if country else None,
            "demonym",
        )
    return out


def load_knowledge_base(user_file: Path | None = None) -> KnowledgeBase:
    """The built-in alias and demonym tables, overridden by the user's file if given."""
    names = read_aliases(ALIASES, "alias")
    if user_file is not None and str(user_file) not in {"", "."}:
        if not user_file.is_file():
            raise FileNotFoundError(
                f"knowledge base {user_file} (params.yaml entities.kb) not found"
            )
        names.update(read_aliases(user_file, "kb"))
    return KnowledgeBase(names, read_demonyms(DEMONYMS, names))
