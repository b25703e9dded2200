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
    dateline: Series[str] = pandera.Field(
        nullable=True,
        description="The news dateline that opened the story ('TALLINN, Estonia', "
        "'WASHINGTON (AP)'), without its dash; removed from text.",
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
        "and quotes, without the dateline, an HTML page's furniture lines and Markdown's "
        "heading marks; all offsets index into it."
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
    """One row per sentence of a document, as split by the model's parser.

    A section heading is a sentence of its own, never joined to the sentence after it.
    """

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
    is_heading: Series[bool] = pandera.Field(
        description="True for a section heading (a short line of its own without final "
        "punctuation, a Markdown '#' line, an HTML <h1>-<h6>): a sentence of its own, "
        "whose dates are tagged but date no event."
    )
    section_index: Series[int] = pandera.Field(
        ge=0,
        description="Section the sentence is in: 0 before the document's first heading, "
        "then 1, 2, ... for the section each heading opens (the heading included). "
        "Group by doc_id and section_index for one group per section.",
    )
    section: Series[str] = pandera.Field(
        nullable=True,
        description="Name of the section: its heading's text, without Markdown's '#' "
        "marks; null before the first heading. Two sections may share a name.",
    )

    @pandera.dataframe_check
    def end_after_start(cls, df: pd.DataFrame) -> pd.Series:
        """A sentence covers at least one character."""
        return df["end_char"] > df["start_char"]

    @pandera.dataframe_check
    def named_after_the_first_heading(cls, df: pd.DataFrame) -> pd.Series:
        """A section has a name exactly when a heading opened it (section_index above 0)."""
        return df["section"].notna() == (df["section_index"] > 0)
