"""Controlled vocabularies: the values a categorical column may take, each defined once.

The stages, the temporal tagger and `params.yaml` checking import them from here rather than
restating them, so that a value added or renamed cannot drift between the schema and the code
(tests/metadata/test_vocabularies.py looks for restatements). This module imports nothing:
`schemas.fields`, which builds the columns from these, costs pandas and pandera to import.
"""

from __future__ import annotations

ENTITY_LABELS = (
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
)
"""OntoNotes labels of named things (spaCy's English models); numbers and dates are not entities."""

TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")
"""TimeML TIMEX3 types."""

PRECISIONS = (
    "second",
    "minute",
    "hour",
    "day",
    "week",
    "month",
    "season",
    "quarter",
    "year",
    "decade",
    "century",
    "millennium",
)
"""Granularity of a date interval, finest first."""

ANCHORS = ("absolute", "document", "narrative")
"""What a temporal expression was resolved against: nothing, the document date, or the story's
most recent absolute date."""

RANGE_ROLES = ("start", "end")
"""Which end of a range of dates a temporal expression is ("from 1848 to 1851")."""

ANCHOR_MODES = ("news", "narrative")
"""How a document's relative dates anchor: its publication date (news) or its own timeline."""

MEDIA_TYPES = ("text/plain", "text/markdown", "text/html")
"""Kinds of file a document's text is read from (see pipeline.ingest)."""

ROLES = ("agent", "patient", "location", "other")
"""Participant roles in an event."""

DATE_BASES = ("explicit", "narrative", "document")
"""Where an event's date comes from: a date in its clause, the story's clock (a window from the
last date told before it to the next date told), or the publication date (see
pipeline.events.basis)."""

TRIGGER_POS = ("VERB", "NOUN")
"""Parts of speech of an event trigger: a verb or an event noun."""

MENTION_SOURCES = ("model", "propagated")
"""Where a mention comes from (see pipeline.events.mentions)."""

MENTION_RESOLUTIONS = ("name", "surname", "alias", "kb", "demonym")
"""How a mention joined its entity (see pipeline.entities.stage)."""

GEO_PRECISIONS = ("city", "admin1", "country", "continent")
"""What a place's coordinates stand for (see pipeline.entities.geocode)."""

EVENT_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
"""The 16 PLOVER event types (manual v2.0)."""

MODALITIES = ("asserted", "attempted", "failed", "intended", "future", "hypothetical")
"""Whether an event is told as having happened (see pipeline.events.modality)."""

POLARITIES = ("positive", "negative")
"""Whether an event is affirmed or negated."""

PARTICIPANT_RESOLUTIONS = (
    "mention",
    "pronoun",
    "relative_pronoun",
    "title",
    "of_phrase",
    "apposition",
    "none",
)
"""How a participant was linked to a mention (see pipeline.events.stage and .coref)."""

GROUPING_EVIDENCE = ("trigger", "family", "date", "participants", "context")
"""What joined an event to its happening (see pipeline.happenings.rules): the same trigger
lemma, a related trigger of the same family (the lexicon), an overlapping date, a shared
participant entity, the same document or documents naming the same entities."""

REJECT_REASONS = (
    "empty",
    "binary",
    "undecodable",
    "unsupported_type",
    "too_long",
    "unreadable",
    "manifest_error",
    "hidden",
    "symlink",
)
"""Why an input file did not become a document."""


def subset(vocabulary: tuple[str, ...], *values: str) -> tuple[str, ...]:
    """`values`, checked to belong to `vocabulary`: a selection such as the place labels.

    A selection written as a bare literal would go stale unseen when a value is renamed (it
    would simply never match); checked here, it fails when the module is imported.
    """
    unknown = [v for v in values if v not in vocabulary]
    if unknown:
        raise ValueError(f"{unknown} not in the vocabulary {vocabulary}")
    return values
