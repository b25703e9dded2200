"""What became of each input: a document, or a reject with its reason; saved as report.json.

Every file found under raw/ ends in the documents table or in the rejects table, never nowhere:
`Report` counts both, and `check_nothing_lost` fails the run when they do not add up.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa

MAX_REPORT_EXAMPLES = 10
"""Examples of each kind of repair kept in report.json, for a reader to check."""


class RejectError(Exception):
    """A file that cannot become a document; `reason` is one of schemas.fields.REJECT_REASONS."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


COUNTERS = ("languages", "encodings", "repairs", "repaired_documents")
"""The report's counts by key, which a document's rows carry (`Report.document_rows`)."""

REPORT_SCHEMAS = {
    "counts": pa.schema([("counter", pa.string()), ("key", pa.string()), ("n", pa.int64())]),
    "notes": pa.schema([("kind", pa.string()), ("name", pa.string()), ("text", pa.string())]),
}
"""A document's part of the report as rows, kept beside its text in the cache's fragments."""


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

    def document_rows(self) -> dict[str, list[dict]]:
        """The documents counted so far as rows of `REPORT_SCHEMAS` (for one document)."""
        counts = [
            {"counter": "documents", "key": None, "n": self.documents},
            {"counter": "document_files", "key": None, "n": self.document_files},
        ]
        for name in COUNTERS:
            counts.extend(
                {"counter": name, "key": key, "n": n} for key, n in getattr(self, name).items()
            )
        notes = [
            {"kind": "news_without_published", "name": None, "text": path}
            for path in self.news_without_published
        ]
        for name, found in self.examples.items():
            notes.extend({"kind": "example", "name": name, "text": text} for text in found)
        return {"counts": counts, "notes": notes}

    def add_document_rows(self, tables: dict[str, pa.Table]) -> None:
        """Add documents counted as rows (`document_rows`), in the order of their rows."""
        summed = tables["counts"].group_by(["counter", "key"]).aggregate([("n", "sum")])
        for row in summed.to_pylist():
            if row["counter"] in ("documents", "document_files"):
                setattr(self, row["counter"], getattr(self, row["counter"]) + row["n_sum"])
            else:
                getattr(self, row["counter"])[row["key"]] += row["n_sum"]
        for row in tables["notes"].to_pylist():
            if row["kind"] == "news_without_published":
                self.news_without_published.append(row["text"])
            else:
                kept = self.examples.setdefault(row["name"], [])
                if len(kept) < MAX_REPORT_EXAMPLES:
                    kept.append(row["text"])

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
