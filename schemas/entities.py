"""Entity tables: each mention of a named thing in a text, and the canonical entities they name."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas import fields as f


class Mentions(f.SpanTable):
    """One row per named-entity mention found by the model in a document, linked to its entity."""

    mention_id: Series[str] = f.id_column(
        "mention", "Stable id: hash of doc_id and the mention's offsets.", unique=True)
    label: Series[str] = f.category(
        f.ENTITY_LABELS, "Entity type after document-level correction (the entity's label).")
    model_label: Series[str] = f.category(
        f.ENTITY_LABELS, "Entity type the model gave this mention, before correction.")
    entity_id: Series[str] = f.id_column("entity", "Canonical entity this mention names "
                                         "(entities.entity_id).")


class Entities(pa.DataFrameModel):
    """One row per canonical entity: a person, place, organisation... named in the corpus."""

    entity_id: Series[str] = f.id_column(
        "entity", "Stable id: hash of the label and the canonical name's key.", unique=True)
    name: Series[str] = pa.Field(str_length={"min_value": 1},
                                 description="Canonical name: the fullest form used in the corpus.")
    label: Series[str] = f.category(f.ENTITY_LABELS, "Entity type: the majority label of its "
                                    "mentions.")
    aliases: Series[object] = pa.Field(description="Every distinct surface form of its mentions, "
                                       "sorted (list).", metadata={"arrow": "list<string>"})
    n_mentions: Series[int] = pa.Field(ge=1, description="Number of mentions of the entity.")
    n_documents: Series[int] = pa.Field(ge=1, description="Number of documents that mention it.")

    @pa.check("aliases")
    def aliases_are_string_lists(cls, aliases: pd.Series) -> pd.Series:
        """Aliases are a non-empty list of strings."""
        return aliases.map(lambda v: isinstance(v, list) and len(v) > 0
                           and all(isinstance(a, str) for a in v))

    @pa.dataframe_check
    def documents_not_more_than_mentions(cls, df: pd.DataFrame) -> pd.Series:
        """An entity cannot appear in more documents than it has mentions."""
        return df["n_documents"] <= df["n_mentions"]
