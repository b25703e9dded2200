"""Dated events and who took part in them."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pandera
from pandera.engines.pandas_engine import Date
from pandera.typing import Series

from schemas import fields as f


class Events(f.SpanTable):
    """One row per (clause, date) pair: a predicate and the date it happened at.

    `start_char`..`end_char` and `text` cover the clause; the trigger is the verb or event noun
    that the date attaches to. A clause with two dates gives two events; a range of dates
    ("between 1848 and 1851") gives one, dated by its first end's timex, whose interval runs
    to the end of the range. `date_basis` says where the date comes from: a date in the
    clause (explicit), or, for the main verbs of a sentence with no date, the story's clock
    (narrative: a window from the last date told to the next) or the publication date
    (document).
    """

    event_id: Series[str] = f.id_column(
        "event", "Stable id: hash of doc_id, the trigger's offsets and the timex.", unique=True
    )
    trigger: Series[str] = pandera.Field(description="Lemma of the trigger (verb or event noun).")
    trigger_text: Series[str] = pandera.Field(description="The trigger as written.")
    trigger_start_char: Series[int] = f.start_char("trigger")
    trigger_end_char: Series[int] = f.end_char("trigger")
    trigger_pos: Series[str] = f.category(f.TRIGGER_POS, "Part of speech of the trigger.")
    timex_id: Series[str] = f.id_column(
        "timex",
        "Temporal expression dating the event (timexes.timex_id): the date in its clause "
        "(explicit), or the last date told before it, the date its window counts from "
        "(narrative: date_start is that date's start, date_end may be later); null when the "
        "date is the publication date (document).",
        nullable=True,
    )
    date_basis: Series[str] = f.category(
        f.DATE_BASES,
        "Where the date comes from: explicit (a date in the event's clause), narrative (the "
        "story's clock: a window from the start of the last date told before the event in "
        "its paragraph, else its section heading's date, to the end of the next date the "
        "story tells after it in its section, else to the end of that date's year; precision "
        "the unit covering the window) or document (the publication date, "
        "documents.published, in news mode).",
    )
    date_start: Series[Date] = f.date_start()
    date_end: Series[Date] = f.date_end()
    year_start: Series[pd.Int64Dtype] = f.year_start()
    year_end: Series[pd.Int64Dtype] = f.year_end()
    precision: Series[str] = f.precision()
    event_type: Series[str] = f.category(
        f.EVENT_TYPES,
        "PLOVER event type of the trigger (pipeline/events/lexicons/plover, from "
        "PETRARCH-2's CAMEO verb dictionary and the CAMEO-to-PLOVER table); null when no "
        "entry fits.",
        nullable=True,
    )
    cameo_code: Series[str] = pandera.Field(
        nullable=True,
        str_matches=r"^[0-9]{2,4}$",
        description="CAMEO event code of the "
        "lexicon entry that typed the event; null when untyped.",
    )
    modality: Series[str] = f.category(
        f.MODALITIES,
        "asserted (told as happening), attempted ('tried to browbeat'), failed "
        "('had failed to remove', 'the abortive invasion'), intended ('decided to install'), "
        "future ('will visit') or hypothetical ('if Soviet blood were shed', 'could reach').",
    )
    polarity: Series[str] = f.category(
        f.POLARITIES,
        "negative when the event is denied ('did not make this link public', "
        "'refused to issue', 'no invasion'), else positive.",
    )

    happening_id: Series[str] = f.id_column(
        "happening",
        "The real-world event this telling belongs to (happenings.happening_id): the events "
        "of every document that tell the same happening share it.",
    )
    grouped_by: Series[object] = f.list_of(
        f.GROUPING_EVIDENCE,
        "Evidence that joined the event to its happening, from the earlier members (list of: "
        "trigger, family, date, participants, context; see docs/happenings.md); empty for "
        "the first telling of a happening.",
    )

    @pandera.dataframe_check
    def interval_is_consistent(cls, df: pd.DataFrame) -> pd.Series:
        """date_start <= date_end, both set or both null, with a precision when set."""
        return f.interval_is_consistent(df)

    @pandera.dataframe_check
    def timex_matches_basis(cls, df: pd.DataFrame) -> pd.Series:
        """A timex dates explicit and narrative events; the publication date has none."""
        return df["timex_id"].isna() == (df["date_basis"] == "document")


class Participants(pandera.DataFrameModel):
    """One row per participant of an event: an argument of the trigger with its role.

    `entity_id` is set when the argument names (or refers back to) an entity; arguments that
    are not named entities ("nuclear missiles") keep their text with a null `entity_id`.
    """

    participant_id: Series[str] = f.id_column(
        "participant", "Stable id: hash of event_id, role and the argument's offsets.", unique=True
    )
    event_id: Series[str] = f.id_column("event", "Event taken part in (events.event_id).")
    doc_id: Series[str] = f.doc_id()
    role: Series[str] = f.category(
        f.ROLES,
        "agent (doer: subject, 'by' phrase of a passive, possessor of an event noun), "
        "patient (undergoer: object, passive subject, 'of' phrase), location (a place in a "
        "prepositional phrase), other (another named participant in a prepositional phrase: "
        "'talks with Soviet Ambassador Anatoly Dobrynin').",
    )
    entity_id: Series[str] = f.id_column(
        "entity",
        "Entity the argument refers to (entities.entity_id); null when none.",
        nullable=True,
    )
    mention_id: Series[str] = f.id_column(
        "mention",
        "Mention the entity link went through (mentions.mention_id); null when none.",
        nullable=True,
    )
    start_char: Series[int] = f.start_char("argument")
    end_char: Series[int] = f.end_char("argument")
    text: Series[str] = f.span_text("argument")
    resolution: Series[str] = f.category(
        f.PARTICIPANT_RESOLUTIONS,
        "How the argument was linked to its entity: directly (mention), through a pronoun "
        "('he', 'his', 'they'), a relative pronoun, a title ('the Soviet leader' after "
        "'Soviet leader Nikita Khrushchev'), an 'X of Y' phrase or an apposition; none when "
        "not linked.",
    )
