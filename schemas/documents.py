"""Source tables: documents, the inputs that could not become documents, and sentences."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pandera
from pandera.engines.pandas_engine import Date
from pandera.typing import Series

from schemas import fields as f


class Documents(pandera.DataFrameModel):
    """One row per distinct input document (identified by its raw bytes), with its cleaned text.

    Character offsets in every other table index into `text`.
    """

    doc_id: Series[str] = f.id_column(
        "document", "Stable id: hash of the file's raw bytes.", unique=True
    )
    path: Series[str] = pandera.Field(
        description="Path of the file under raw/, with / separators; "
        "for a document stored under several names, the one the manifest "
        "describes, else the first in sort order."
    )
    paths: Series[object] = pandera.Field(
        description="Every path under raw/ whose bytes are this "
        "document, sorted (list; duplicates are kept here, not "
        "rejected).",
        metadata={"arrow": "list<string>"},
    )
    sha256: Series[str] = pandera.Field(
        str_matches=r"^[0-9a-f]{64}$", description="sha256 of the file's raw bytes."
    )
    title: Series[str] = pandera.Field(
        nullable=True,
        description="Title from the manifest, else the "
        "first line of the text if it looks like a heading.",
    )
    source_url: Series[str] = pandera.Field(
        nullable=True, description="Where the text was obtained (manifest)."
    )
    published: Series[Date] = pandera.Field(
        nullable=True,
        description="Publication date (manifest); "
        "the reference time of relative dates in news mode.",
    )
    licence: Series[str] = pandera.Field(
        nullable=True, description="Licence of the text (manifest)."
    )
    anchor_mode: Series[str] = f.category(
        f.ANCHOR_MODES,
        "How relative dates anchor: news (publication date) or narrative (the "
        "story's most recent absolute date).",
    )
    language: Series[str] = pandera.Field(
        str_matches=r"^[a-z]{2,3}$",
        description="ISO 639 code "
        "of the text's language, detected offline (py3langid); "
        "'und' when too short to tell. A flag only: the text is not "
        "changed.",
    )
    encoding: Series[str] = pandera.Field(
        description="Character encoding the bytes were decoded from."
    )
    media_type: Series[str] = f.category(f.MEDIA_TYPES, "Kind of file the text was read from.")
    repairs: Series[object] = pandera.Field(
        description="Text repairs applied, as 'name:count' "
        "strings (list); the repairs are listed in "
        "docs/reliability.md.",
        metadata={"arrow": "list<string>"},
    )
    text: Series[str] = pandera.Field(
        description="Cleaned text: Unicode NFC, normalised whitespace "
        "and quotes; all offsets index into it."
    )
    n_chars: Series[int] = pandera.Field(ge=1, description="Length of text in characters.")
    n_sentences: Series[int] = pandera.Field(
        ge=0, description="Number of sentences found by the model."
    )
    model: Series[str] = pandera.Field(
        description="spaCy model (name-version) that parsed the text."
    )


class Rejects(pandera.DataFrameModel):
    """One row per input file that did not become a document, with the reason."""

    path: Series[str] = pandera.Field(
        unique=True,
        description="Path of the file under raw/ (a "
        "folder ends in /), or '<manifest> line N' for a manifest row "
        "that was refused.",
    )
    sha256: Series[str] = pandera.Field(
        nullable=True,
        str_matches=r"^[0-9a-f]{64}$",
        description="sha256 of the raw bytes, when they could be read.",
    )
    reason: Series[str] = f.category(f.REJECT_REASONS, "Why the file was rejected.")
    detail: Series[str] = pandera.Field(description="What exactly was wrong, in words.")


class Sentences(pandera.DataFrameModel):
    """One row per sentence of a document, as split by the model's parser."""

    sentence_id: Series[str] = f.id_column(
        "sentence", "Stable id: hash of doc_id and the sentence's offsets.", unique=True
    )
    doc_id: Series[str] = f.doc_id()
    sentence_index: Series[int] = pandera.Field(
        ge=0, description="Position of the sentence in the document, from 0."
    )
    start_char: Series[int] = f.start_char("sentence")
    end_char: Series[int] = f.end_char("sentence")
    text: Series[str] = f.span_text("sentence")

    @pandera.dataframe_check
    def end_after_start(cls, df: pd.DataFrame) -> pd.Series:
        """A sentence covers at least one character."""
        return df["end_char"] > df["start_char"]
