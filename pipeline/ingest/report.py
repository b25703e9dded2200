"""What became of each input: a document, or a reject with its reason; saved as report.json.

Every file found under raw/ ends in the documents table or in the rejects table, never nowhere:
`Report` counts both, and `check_nothing_lost` fails the run when they do not add up.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

MAX_REPORT_EXAMPLES = 10
"""Examples of each kind of repair kept in report.json, for a reader to check."""


class RejectError(Exception):
    """A file that cannot become a document; `reason` is one of schemas.fields.REJECT_REASONS."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass
class Report:
    """What ingest did with its inputs; saved as report.json, gathered into metrics.json."""

    inputs: int = 0
    document_files: int = 0
    documents: int = 0
    manifest_rows: int = 0
    news_without_published: list[str] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)
    repairs: Counter[str] = field(default_factory=Counter)
    repaired_documents: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    encodings: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def reject(self, path: str, sha256: str | None, err: RejectError) -> None:
        """Record one rejected file (or manifest row)."""
        self.rejects.append(
            {"path": path, "sha256": sha256, "reason": err.reason, "detail": err.detail}
        )

    def document(self, row: dict, examples: dict[str, list[str]]) -> None:
        """Count one document and what was repaired in it."""
        self.documents += 1
        self.document_files += len(row["paths"])
        self.languages[row["language"]] += 1
        if row["anchor_mode"] == "news" and row["published"] is None:
            self.news_without_published.append(row["path"])
        self.encodings[row["encoding"]] += 1
        for entry in row["repairs"]:
            name, _, n = entry.rpartition(":")
            self.repairs[name] += int(n)
            self.repaired_documents[name] += 1
        for name, found in examples.items():
            kept = self.examples.setdefault(name, [])
            kept.extend(f"{row['path']}: {e}" for e in found[: MAX_REPORT_EXAMPLES - len(kept)])

    @property
    def rejected_files(self) -> int:
        """Rejects that are files (the others are manifest rows)."""
        return sum(1 for r in self.rejects if r["reason"] != "manifest_error")

    def check_nothing_lost(self) -> None:
        """Every input is in documents or rejects; raise if the counts disagree (a bug)."""
        if self.inputs != self.document_files + self.rejected_files:
            raise RuntimeError(
                f"ingest lost files: {self.inputs} inputs, {self.document_files} "
                f"in documents, {self.rejected_files} rejected"
            )

    def as_dict(self) -> dict:
        """The counts as JSON-ready data (sorted keys, so the file is stable)."""
        return {
            "inputs": self.inputs,
            "documents": self.documents,
            "document_files": self.document_files,
            "duplicate_files": self.document_files - self.documents,
            "rejected_files": self.rejected_files,
            "manifest_rows": self.manifest_rows,
            "manifest_rows_rejected": len(self.rejects) - self.rejected_files,
            "news_without_published": len(self.news_without_published),
            "rejects_by_reason": dict(Counter(r["reason"] for r in self.rejects)),
            "repairs": dict(self.repairs),
            "repaired_documents": dict(self.repaired_documents),
            "languages": dict(self.languages),
            "encodings": dict(self.encodings),
            "repair_examples": self.examples,
        }
