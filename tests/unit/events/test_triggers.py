"""Which predicate a date dates: light verbs, states, time-telling clauses, scheduling verbs.

Hand-written sentences, parsed by the real model; each rule is a rule of English, not of a
corpus.
"""

import datetime as dt

import pytest
from spacy.tokens import Doc

from pipeline.events.triggers import find_triggers, is_light_or_state, promoted_event
from tests.unit.events.test_events import extract

MAY_1815 = ("May 1815", 0, "1815-05", dt.date(1815, 5, 1), dt.date(1815, 5, 31), "month")


def triggers(nlp, text, date="1850"):
    year = int(date[-4:])
    timex = (date, 0, str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))
    return [e["trigger"] for e, _ in extract(nlp, text, [timex])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a clause that only tells the time gives the event it tells of
        ("The time had now come for an assault on the fortress in 1850.", ["assault"]),
        ("October 1850 saw the rebels retreat from the city.", ["retreat"]),
        # a light verb gives its event noun or the complement of "able"
        ("The allies were able to make progress in 1850.", ["progress"]),
        ("The two governments held talks in 1850.", ["talk"]),
        # what occurs is the event: "take place", "happen", a copula's event subject
        ("The surrender of the fortress took place in 1850.", ["surrender"]),
        ("The blast occurred in 1850.", ["blast"]),
        ("The fall of the city, in 1850, was a turning point.", ["fall"]),
        ("There was a battle near the river in 1850.", ["battle"]),
        # states are no events
        ("They outnumbered the garrison in 1850.", []),
        ("The rebels kept their weapons in 1850.", []),
        ("The senators opposed the treaty in 1850.", []),
        ("In 1850 the garrison faced a larger army.", []),
        ("In 1850 most voters desired independence.", []),
        ("In 1850 the old general remembered his mother.", []),
        ("In 1850 the fleet was much smaller than before.", []),
        ("In 1850 the army numbered twenty thousand men.", []),
        ("In 1850 the force was composed of volunteers.", []),
        ("In 1850 the rebels controlled the south.", []),
        ("In 1850 the garrison was made up of veterans.", []),
        ("In 1850 the rebels formed a new government.", ["form"]),
        # the verbs keep their own events otherwise
        ("The general made a statue of the king in 1850.", ["make"]),
        ("In 1850 the army came to the city.", ["come"]),
    ],
)
def test_light_verbs_and_states(nlp, text, expected):
    assert triggers(nlp, text, "October 1850" if text.startswith("October") else "1850") == (
        expected
    )


def test_the_date_of_a_scheduling_verb_dates_what_is_scheduled(nlp):
    events = extract(nlp, "The congress was planned for May 1815.", [MAY_1815])
    assert [e["trigger"] for e, _ in events] == ["congress"]


def test_a_date_of_a_noun_before_or_after_the_verb_dates_only_the_noun(nlp):
    text = "Shortly before the fall of the city in 1850, the king was executed."
    assert triggers(nlp, text) == ["fall"]


def test_talks_and_the_signing_each_get_their_own_date(nlp):
    text = "Talks in March 1832 led to a treaty signed on 27 March 1832."
    events = extract(
        nlp,
        text,
        [
            ("March 1832", 0, "1832-03", dt.date(1832, 3, 1), dt.date(1832, 3, 31), "month"),
            ("27 March 1832", 0, "1832-03-27", dt.date(1832, 3, 27), dt.date(1832, 3, 27), "day"),
        ],
    )
    assert [(e["trigger"], e["date_start"].day) for e, _ in events] == [
        ("talk", 1),
        ("sign", 27),
    ]


def test_the_light_verb_test_and_its_promotion_for_other_callers(nlp):
    doc = nlp("The allies were able to make progress.")
    were, make, progress = doc[2], doc[5], doc[6]
    assert is_light_or_state(were) and is_light_or_state(make)
    assert promoted_event(were) == progress
    assert not is_light_or_state(nlp("The army crossed the river.")[2])
    assert promoted_event(nlp("They outnumbered the garrison.")[1]) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a date written before a verb's object is the object's, not the verb's
        ("The mill reported 1850 profits of ten thousand pounds.", []),
        ("The mill's 1850 profits rose sharply.", ["rise"]),
        # a phrase of cause or topic: the verb is about the event, not at its time
        ("The king apologised for the 1850 raid on the port.", ["raid"]),
        ("The rebels were charged with treason over the 1850 uprising.", ["uprising"]),
        # a copula heading a relative clause keeps the date in that clause
        ("Bicycles changed from the novelty they were for most of 1850 into a common sight.", []),
        # aspectual and implicative verbs happen when their complement does
        ("The old alliance began to fall apart in 1850.", ["fall", "begin"]),
        ("The council voted to close the port in 1850.", ["close", "vote"]),
        ("The garrison wanted to surrender in 1850.", ["surrender"]),
        # a support verb's event is its event-noun object
        ("The army suffered a heavy defeat in 1850.", ["defeat"]),
        ("The storm caused a collapse of the bridge in 1850.", ["collapse"]),
        # a date before a noun after "after", "since", "over"... is the noun's alone
        ("The bank closed its doors after the 1850 losses.", ["loss"]),
        ("The bank closed its doors after the 1850 figures.", []),
        # so too before a noun deeper in the object, unless an event noun is on the way
        ("The mill reported a big jump in its 1850 costs.", []),
        ("The mill reported a sharp drop in its 1850 sales.", ["drop"]),
        # a date closing a bare participle complement dates the verb it completes as well
        ("The boy was found clinging to a raft in 1850.", ["cling", "find"]),
        ("The exiles practised forming a human chain in 1850.", ["form", "practise"]),
        ("The alliance has grown twice, adding two members in 1850.", ["add"]),
        # a participle that leaves out the auxiliary of an earlier one shares its date
        ("Six guards have been killed and twenty others wounded in 1850.", ["wound", "kill"]),
        ("Six guards were killed and twenty wounded in 1850.", ["wound", "kill"]),
        # a phase verb's object is the activity it starts, resumes or carries through
        ("The inspectors resumed work in 1850.", ["resume", "work"]),
        ("The ratification process began in 1850.", ["begin"]),
        ("The firm completed the purchase of the mill in 1850.", ["complete", "purchase"]),
        ("The hunting season began in 1850.", ["begin"]),
        ("The mill began to lose money in 1850.", ["lose", "begin"]),
        # a change is an event: a rise, a fall, a gain
        ("The 1850 rise in bread prices led to riots.", ["rise"]),
        ("The mill posted an 1850 gain of ten percent.", ["gain"]),
        # a date of a compared amount dates no event
        ("Revenue rose to $90 million, up from $85 million in 1850.", []),
        ("The mill sold more flour than in 1850.", []),
        ("The share of exports fell to 8%, from 12% in 1850.", []),
        ("From 1850 the king ruled alone.", ["rule"]),
        # the event noun of the verb's occasion has the verb's date
        (
            "In 1850 the three duchies joined the league at a ceremony in Weimar.",
            ["join", "ceremony"],
        ),
        ("In 1850 the envoy announced the treaty during a visit to Paris.", ["announce", "visit"]),
    ],
)
def test_which_predicate_a_date_belongs_to(nlp, text, expected):
    assert triggers(nlp, text) == expected


def test_an_event_noun_just_before_a_date_hung_on_the_verb_is_dated_too(nlp):
    text = "The ministers welcomed the news at a conference Friday."
    friday = ("Friday", 0, "1850-03-01", dt.date(1850, 3, 1), dt.date(1850, 3, 1), "day")
    assert [e["trigger"] for e, _ in extract(nlp, text, [friday])] == ["conference", "welcome"]


def test_a_date_in_a_reported_clause_before_its_reporter_is_the_clause_s(nlp):
    """The parse the model gives news sentences like it: the date hung on the reporting verb."""
    words = ["The", "man", "pleaded", "guilty", "Thursday", ","]
    words += ["the", "prosecutor", "announced", "."]
    heads = [1, 2, 8, 2, 8, 8, 7, 8, 8, 8]
    deps = ["det", "nsubj", "ccomp", "acomp", "npadvmod", "punct", "det", "nsubj", "ROOT"]
    pos = ["DET", "NOUN", "VERB", "ADJ", "PROPN", "PUNCT", "DET", "NOUN", "VERB", "PUNCT"]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=[*deps, "punct"], pos=pos)
    assert [t.text for t in find_triggers(doc[4:5], frozenset())] == ["pleaded"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a perfect with a "by" date says the event was over by then, not when it happened
        ("By 1850 the army had taken the town.", []),
        ("By 1850 the army took the town.", ["take"]),
        # naming verbs with a name give no event; with another complement they are events
        ("In 1850 they called the war the Great Rising.", []),
        ("In 1850 the ship was named Victoria.", []),
        ("In 1850 the king called a council at the palace.", ["call"]),
        ("He was named commander of the army in 1850.", ["name"]),
        # states of mind are no events
        ("In 1850 the people wanted a new king.", []),
        ("In 1850 he believed in peace with the north.", []),
        # ... also when the lemmatiser misreads the past form ("hoped" as "hop")
        ("In 1850 the garrison hoped for a quick relief.", []),
        ("In 1850 the garrison hopped over the wall.", ["hop"]),
    ],
)
def test_naming_verbs_and_states_of_mind(nlp, text, expected):
    assert triggers(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a date before the subject of a past perfect is the time the story is at
        ("In 1850 the league had gained mastery of the coast.", []),
        ("The league had gained mastery of the coast in 1850.", ["gain"]),
        ("In 1850 the republic gained control of the coast.", ["gain"]),
        ("On 7 August 1850 the envoys had just ended their talks.", ["end"]),
        ("Since 1850 the firm has sold seventy businesses.", []),
        # a date of a state a noun names is not the verb's
        ("The reports showed a downward trend since 1850.", []),
        ("The reports showed that the trend had been downward since 1850.", []),
        ("The army has fought since 1850.", ["fight"]),
    ],
)
def test_a_date_the_story_is_at_or_a_state_began_at_dates_no_event(nlp, text, expected):
    assert triggers(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a text's content is no event, with any verb of content
        ("In 1850 the colonel's letter offered the hope of a truce.", []),
        ("In 1850 the governor's report described the burning of the mill.", []),
        ("In 1850 the second article of the treaty stated that the port was free.", []),
        ("The new plan called for an assault on the fort in 1850.", []),
        # publishing, signing or issuing a text is an event
        ("The governor's report was published in 1850.", ["publish"]),
        ("The two kings signed the treaty in 1850.", ["sign"]),
        # a consequence: a happening or "this" as the subject of a verb of result
        ("In 1850 the defeat left the king nearly powerless.", []),
        ("In 1850 the murder of the mayor ruptured the town.", []),
        ("In 1850 this forced the garrison to leave the fort.", []),
        # the happening's own date dates the happening, not its consequence
        ("The defeat of the rebels in 1850 forced the king to flee.", ["defeat"]),
        # a doer's deed, and an event's own end, are events
        ("In 1850 the army forced the garrison to leave the fort.", ["force"]),
        ("The war ended in 1850.", ["end"]),
    ],
)
def test_a_texts_content_and_a_consequence_are_no_events(nlp, text, expected):
    assert triggers(nlp, text) == expected


def test_keeping_a_pact_and_understanding_are_states(nlp):
    assert triggers(nlp, "In 1850 the kingdom maintained a neutrality pact with its rival.") == []
    assert triggers(nlp, "In 1850 the general understood the value of the railways.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name the parser took for the verb: the subject's own predicate is the event
        ("Later in 1850, another rebel force called the Green Army attacked the town.", ["attack"]),
        ("In 1850 the king called Parliament into a special session.", ["call"]),
        # a date in the second of two joined clauses is not the first clause's
        (
            "The northern offensives had succeeded and, at the cost of many lives, on 4 June 1850 "
            "the city was taken.",
            ["take"],
        ),
        # each of two joined event nouns keeps its own date
        ("The guards feared the drawdown in 1850 and withdrawal in 1851.", ["drawdown"]),
        # a gradual change over a stretch is a trend, not an event; with a plain date it is one
        ("Attacks on the garrison increased in ferocity throughout 1850.", []),
        ("In the course of 1850, the strength of the army grew to almost 60,000.", []),
        ("Prices rose sharply in 1850.", ["rise"]),
        ("Violence did increase during the spring fighting of 1850.", ["fighting"]),
        ("Between 1850 and 1855 the army's strength rose to a million men.", []),
        ("Between 1850 and 1855 the army built the fort.", ["build"]),
        # a count over a stretch is a total, many happenings told as one
        ("Between 1850 and 1855 the army built forty forts.", []),
        # an "until" date ends a stretch: it dates nothing, unless the verb is negated
        ("The old king ruled until 1850.", []),
        ("A rebel band resisted in the hills until 1850.", []),
        ("Neither side attacked the other until 1850.", ["attack"]),
        ("The plant was not to begin making cars until 1850.", ["make", "begin"]),
        # an activity going on since a date began then; a perfect of an event is dated by it
        ("The navy had been shelling the port since 1850.", []),
        ("The army has fought since 1850.", ["fight"]),
        # what nearly happened did not happen
        ("In 1850 the fleet nearly provoked a war with England.", []),
        ("Almost 1,000 men were killed in 1850.", ["kill"]),
        # "be gone" is a state
        ("The troops were gone by 1850.", []),
        # a compared level or term: its date is not the change's
        ("The spring was quiet compared to the carnage of 1850.", []),
        ("Raids began to rise from a low in 1850.", []),
        # "Congress" as the legislature is no meeting; "the Congress of Vienna" is one
        ("In a speech to Congress in 1850, the general asked for troops.", ["speech", "ask"]),
        ("The Congress of Vienna met in 1850.", ["meet"]),
        # a "since" date bounds an event noun's time, it does not date it
        ("The army crossed the border, the first incursion since 1850.", []),
        # a date inside a quotation dates a verb of the quotation, not its reporter
        ('"In 1850 the firm invested heavily in the railways," the owner said.', ["invest"]),
        # nouns of events: a discovery, a blast, a sinking
        ("The 1850 discovery of gold changed the town.", ["discovery"]),
        ("The 1850 blast destroyed the mill.", ["blast"]),
        ("The 1850 sinking of the ship shocked the town.", ["sinking"]),
        # a loss is an event: a place lost, or money lost over a period
        ("The 1850 loss of the fortress shocked the capital.", ["loss"]),
        ("The mill reported an 1850 loss of three hundred pounds.", ["loss"]),
    ],
)
def test_trends_bounds_names_and_quotations(nlp, text, expected):
    assert triggers(nlp, text) == expected


def test_what_was_done_by_the_start_of_a_year_was_done_before_it(nlp):
    text = "By the start of 1850, the rebels were defeated on the island."
    assert triggers(nlp, text, date="the start of 1850") == []
    assert triggers(nlp, "By late 1850 the rebels were defeated.", date="late 1850") == ["defeat"]


def _dated(nlp, text, *dates):
    """Triggers dated by the given expressions of `text`: (words, type), each read as 1850."""
    timexes = [
        (words, text.index(words), "1850", dt.date(1850, 1, 1), dt.date(1850, 12, 31), "year", kind)
        for words, kind in dates
    ]
    return [e["trigger"] for e, _ in extract(nlp, text, timexes)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a "when" clause on a dated verb happened at its date
        (
            "The old man was cooking dinner in May 1850 when he was shot through a window.",
            ["cook", "shoot"],
        ),
        ("The garrison surrendered in May 1850 when the food ran out.", ["surrender", "run"]),
        # ...unless negated, a perfect (a state of things then), or dated on its own
        ("The garrison surrendered in May 1850 when no relief came.", ["surrender"]),
        ("The garrison surrendered in May 1850 when the food had run out.", ["surrender"]),
    ],
)
def test_when_clause_shares_the_date(nlp, text, expected):
    assert _dated(nlp, text, ("May 1850", "DATE")) == expected


def test_when_clause_with_its_own_date_keeps_it(nlp):
    text = "The general left the capital in May 1850 when the rains came in June."
    triggers = _dated(nlp, text, ("May 1850", "DATE"), ("June", "DATE"))
    assert triggers.count("come") == 1  # dated by June only, not by May as well


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a past progressive with a "by" date was going on by then: no event
        ("By May 1850 the rebels were running short of food.", []),
        ("By May 1850 the rebels were beginning to run short of food.", []),
        ("By May 1850 the rebels took the town.", ["take"]),
    ],
)
def test_progressive_by_a_date(nlp, text, expected):
    assert _dated(nlp, text, ("May 1850", "DATE")) == expected


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        # a duration anchored in the text's time dates what happened in it
        ("The rebels took the town within two months.", "two months", ["take"]),
        (
            "The firm sold three of its plants in the past two years.",
            "the past two years",
            ["sell"],
        ),
        (
            "The firm has sold three of its plants in the past two years.",
            "the past two years",
            ["sell"],
        ),
        ("The rebels have taken the town within two months.", "two months", ["take"]),
        # not a deadline, a duration from an event, or a stretch
        ("The rebels must take the town within two months.", "two months", []),
        ("The rebels took the town within two months of the landing.", "two months", []),
        ("Prices fell steadily over the past two years.", "the past two years", []),
        ("She served as mayor for the past four years.", "the past four years", []),
    ],
)
def test_durations_as_dates(nlp, text, words, expected):
    assert _dated(nlp, text, (words, "DURATION")) == expected


def test_a_date_hung_on_a_preposition_beside_an_event_noun_is_the_nouns(nlp):
    text = "In heavy trading Friday on the exchange, the mill's shares fell sharply."
    friday = ("Friday", 0, "1850-03-01", dt.date(1850, 3, 1), dt.date(1850, 3, 1), "day")
    assert [e["trigger"] for e, _ in extract(nlp, text, [friday])] == ["trading", "fall"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a date between the reporting verb and the reported clause is the saying's
        ("Wardens said on Friday they had detained fourteen poachers.", ["say"]),
        ("The owner said Friday his mill had burned down.", ["say"]),
        # after "that", or in the clause, it is the clause's
        ("Wardens said that on Friday they detained fourteen poachers.", ["detain"]),
        ("Wardens said they detained fourteen poachers on Friday.", ["detain"]),
    ],
)
def test_a_date_right_after_a_reporting_verb_dates_the_saying(nlp, text, expected):
    friday = ("Friday", 0, "1850-03-01", dt.date(1850, 3, 1), dt.date(1850, 3, 1), "day")
    assert [e["trigger"] for e, _ in extract(nlp, text, [friday])] == expected
