"""Entity tables: each mention of a named thing in a text, and the canonical entities they name."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pandera
from pandera.typing import Series

from schemas import fields as f


class Mentions(f.SpanTable):
    """One row per named-entity mention found by the model in a document, linked to its entity."""

    mention_id: Series[str] = f.id_column(
        "mention", "Stable id: hash of doc_id and the mention's offsets.", unique=True
    )
    label: Series[str] = f.category(
        f.ENTITY_LABELS,
        "Entity type after document-level correction; the entity's label, "
        "except for a demonym (NORP) linked to its country (GPE).",
    )
    model_label: Series[str] = f.category(
        f.ENTITY_LABELS,
        "Entity type the model gave this mention, before correction; null "
        "for a propagated mention, which the model did not tag.",
        nullable=True,
    )
    source: Series[str] = f.category(
        f.MENTION_SOURCES,
        "model: a span of the model (its extent trimmed of articles, "
        "possessives and titles); propagated: a recurrence, in the same document, of a name "
        "the model tagged elsewhere.",
    )
    entity_id: Series[str] = f.id_column(
        "entity", "Canonical entity this mention names (entities.entity_id)."
    )
    resolution: Series[str] = f.category(
        f.MENTION_RESOLUTIONS,
        "How the mention joined its entity: name (its own name), "
        "surname (the last name of a full name used in the corpus), alias (built-in alias "
        "table: 'USSR' is the Soviet Union), kb (the user's knowledge base), demonym "
        "('Soviet' names the Soviet Union).",
    )


class Entities(pandera.DataFrameModel):
    """One row per canonical entity: a person, place, organisation... named in the corpus."""

    entity_id: Series[str] = f.id_column(
        "entity", "Stable id: hash of the label and the canonical name's key.", unique=True
    )
    name: Series[str] = pandera.Field(
        str_length={"min_value": 1},
        description="Canonical name: the fullest form used in the corpus.",
    )
    label: Series[str] = f.category(
        f.ENTITY_LABELS, "Entity type: the majority label of its mentions."
    )
    aliases: Series[object] = pandera.Field(
        description="Every distinct surface form of its mentions, sorted (list).",
        metadata={"arrow": "list<string>"},
    )
    n_mentions: Series[int] = pandera.Field(ge=1, description="Number of mentions of the entity.")
    n_documents: Series[int] = pandera.Field(
        ge=1, description="Number of documents that mention it."
    )
    confidence: Series[float] = pandera.Field(
        ge=0,
        le=1,
        description="How sure the pipeline is that this is a real entity of this "
        "type: 1 for a name in the alias table or knowledge base; otherwise the share of its "
        "model-tagged mentions with this label, times 1 - 0.5^n for n mentions.",
    )
    qid: Series[str] = pandera.Field(
        nullable=True,
        str_matches=r"^Q[1-9][0-9]*$",
        description="Wikidata id, from the alias table or the user's "
        "knowledge base; null when not given.",
    )
    country_code: Series[str] = pandera.Field(
        nullable=True,
        str_matches=r"^[A-Z]{2}$",
        description="ISO 3166 alpha-2 code of the "
        "place's country at the time of the name (withdrawn codes such as SU for the Soviet "
        "Union are kept); null for non-places and places not found.",
    )
    latitude: Series[float] = pandera.Field(
        nullable=True,
        ge=-90,
        le=90,
        description="Latitude "
        "(WGS84 degrees) from GeoNames; for a country, its "
        "capital's; null when unknown.",
    )
    longitude: Series[float] = pandera.Field(
        nullable=True, ge=-180, le=180, description="Longitude (WGS84 degrees), as latitude."
    )
    geo_precision: Series[str] = f.category(
        f.GEO_PRECISIONS,
        "What the coordinates stand for: city, admin1 (a US state; no "
        "coordinates), country (its capital's point) or continent; null for non-places.",
        nullable=True,
    )

    @pandera.check("aliases")
    def aliases_are_string_lists(cls, aliases: pd.Series) -> pd.Series:
        """Aliases are a non-empty list of strings."""
        return aliases.map(
            lambda v: isinstance(v, list) and len(v) > 0 and all(isinstance(a, str) for a in v)
        )

    @pandera.dataframe_check
    def documents_not_more_than_mentions(cls, df: pd.DataFrame) -> pd.Series:
        """An entity cannot appear in more documents than it has mentions."""
        return df["n_documents"] <= df["n_mentions"]
