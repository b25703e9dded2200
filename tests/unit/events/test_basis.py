"""Events of sentences with no date, dated by the story's clock or the publication date."""

import datetime as dt

import pytest

from pipeline.events.basis import paragraph_starts


def dated(events):
    return [
        (e["trigger"], e["date_basis"], e["date_start"], e["date_end"], e["precision"])
        for e in events
    ]


def test_the_next_sentence_takes_the_story_clock(run):
    text = "On 3 March 1863 the army crossed the river. It reached the town at dusk."
    timexes, events, _ = run(text)
    day = dt.date(1863, 3, 3)
    assert dated(events) == [
        ("cross", "explicit", day, day, "day"),
        ("reach", "narrative", day, dt.date(1863, 12, 31), "year"),
    ]
    assert events[1]["timex_id"] == events[0]["timex_id"] == timexes[0]["timex_id"]
    assert text[events[1]["start_char"] : events[1]["end_char"]] == events[1]["text"]


def narrative_window(events):
    return [
        (e["trigger"], e["date_start"], e["date_end"], e["precision"])
        for e in events
        if e["date_basis"] == "narrative"
    ]


def test_the_next_date_told_closes_the_window(run):
    text = (
        "On 1 October 1949 the republic was proclaimed in the capital. The old government "
        "retreated to the island. On 10 December the last general flew to the coast."
    )
    timexes, events, _ = run(text)
    start = dt.date(1949, 10, 1)
    assert narrative_window(events) == [("retreat", start, dt.date(1949, 12, 10), "season")]
    clock = next(t for t in timexes if t["text"] == "1 October 1949")
    assert [e["timex_id"] for e in events if e["date_basis"] == "narrative"] == [clock["timex_id"]]


def test_a_date_that_looks_back_does_not_close_the_window(run):
    text = (
        "On 2 May 1915 the army attacked the fortress. The garrison surrendered the town.\n\n"
        "The fortress was built in 1870. In July 1915 the army marched east."
    )
    _, events, _ = run(text)
    assert narrative_window(events) == [
        ("surrender", dt.date(1915, 5, 2), dt.date(1915, 7, 31), "season")
    ]


def test_a_date_told_aside_does_not_close_the_window(run):
    text = (
        "In 1919 the army crossed the river. It burned the bridge. The general had spent the "
        "spring of 1919 in exile. In October 1919 the army attacked the town."
    )
    _, events, _ = run(text)
    assert narrative_window(events) == [
        ("burn", dt.date(1919, 1, 1), dt.date(1919, 10, 31), "year")
    ]


def test_with_no_later_date_the_window_ends_with_the_clocks_year(run):
    day = "On 3 March 1863 the army crossed the river. It burned the bridge."
    decade = "In the 1860s the army crossed the river. It burned the bridge."
    assert narrative_window(run(day)[1]) == [
        ("burn", dt.date(1863, 3, 3), dt.date(1863, 12, 31), "year")
    ]
    assert narrative_window(run(decade)[1]) == [
        ("burn", dt.date(1860, 1, 1), dt.date(1869, 12, 31), "decade")
    ]


def test_a_date_of_the_next_section_does_not_close_the_window(run):
    text = (
        "The spring campaign\n\nOn 3 March 1863 the army crossed the river. It burned the "
        "bridge.\n\nThe summer campaign\n\nOn 2 July 1863 the army attacked the town."
    )
    _, events, _ = run(text)
    assert narrative_window(events) == [
        ("burn", dt.date(1863, 3, 3), dt.date(1863, 12, 31), "year")
    ]


def test_the_windows_precision_is_the_unit_that_covers_it(run):
    def window(later: str) -> list:
        text = f"In March 1863 the army crossed the river. It burned the bridge. {later}"
        return narrative_window(run(text)[1])

    march = dt.date(1863, 3, 1)
    assert window("On 20 March it attacked the town.") == [
        ("burn", march, dt.date(1863, 3, 20), "month")
    ]
    assert window("In April it attacked the town.") == [
        ("burn", march, dt.date(1863, 4, 30), "season")
    ]
    assert window("In 1864 it attacked the town.") == [
        ("burn", march, dt.date(1864, 12, 31), "decade")
    ]


def test_the_clock_keeps_its_precision(run):
    text = "In 1863 the army crossed the river. It reached the town at dusk."
    _, events, _ = run(text)
    assert dated(events)[1] == (
        "reach",
        "narrative",
        dt.date(1863, 1, 1),
        dt.date(1863, 12, 31),
        "year",
    )


def test_a_heading_sets_its_sections_clock_across_paragraphs(run):
    text = (
        "The siege of 1709\n\nThe garrison held the walls.\n\nThe defenders repulsed every assault."
    )
    _, events, _ = run(text)
    year = (dt.date(1709, 1, 1), dt.date(1709, 12, 31), "year")
    assert dated(events) == [
        ("hold", "narrative", *year),
        ("repulse", "narrative", *year),
    ]


def test_a_new_paragraph_without_a_heading_leaves_the_clock_behind(run):
    text = "In 1709 the garrison held the walls.\n\nThe defenders repulsed every assault."
    _, events, skipped = run(text)
    assert [e["date_basis"] for e in events] == ["explicit"]
    assert skipped["predicate_without_basis"] == 1


def test_a_heading_yields_no_event(run):
    text = "The army crossed the river 1863\n\nThe soldiers marched north."
    _, events, _ = run(text)
    assert all(not e["text"].startswith("The army") for e in events)


def test_a_sentence_with_its_own_date_stays_explicit(run):
    text = "On 3 March 1863 the army crossed the river. On 5 March the cavalry attacked the town."
    _, events, _ = run(text)
    assert [(e["trigger"], e["date_basis"]) for e in events] == [
        ("cross", "explicit"),
        ("attack", "explicit"),
    ]


def test_light_verbs_and_states_give_no_event(run):
    text = (
        "On 3 March 1863 the army crossed the river. The weather was cold. "
        "The generals seemed confident. The battle took place near the ford. "
        "The rebels had already left the town. The men called the place Cold Harbor. "
        "The general believed the report. The army began to dig trenches."
    )
    _, events, _ = run(text)
    assert [e["trigger"] for e in events] == ["cross"]


def test_a_news_report_dates_its_present_by_the_publication_date(run):
    text = (
        "The Senate passed the budget on Tuesday.\n\n"
        "Opposition leaders warn that the cuts hurt schools. The senators left the city."
    )
    published = dt.date(2013, 3, 7)
    _, events, _ = run(text, mode="news", published=published)
    document = [e for e in events if e["date_basis"] == "document"]
    assert [(e["trigger"], e["date_start"], e["precision"]) for e in document] == [
        ("warn", published, "day")
    ]
    assert document[0]["timex_id"] is None


def test_a_news_report_without_a_publication_date_dates_nothing_more(run):
    text = "In 2013 the Senate passed the budget. Opposition leaders warn of cuts."
    _, events, skipped = run(text, mode="news", published=None)
    assert [e["date_basis"] for e in events] == ["explicit"]
    assert skipped["predicate_without_basis"] == 1


def test_paragraphs_start_after_blank_lines():
    assert paragraph_starts("One.\nOne too.\n\nTwo.\n \n\nThree.") == [0, 15, 23]


def test_a_text_without_blank_lines_has_a_paragraph_a_line():
    assert paragraph_starts("One. One too.\nTwo.\nThree.") == [0, 14, 19]


def test_a_line_of_its_own_leaves_the_clock_behind_when_lines_are_paragraphs(run):
    text = "In 1709 the garrison held the walls.\nThe defenders repulsed every assault."
    _, events, _ = run(text)
    assert [e["date_basis"] for e in events] == ["explicit"]


def test_a_long_line_is_a_paragraph_even_when_blank_lines_set_off_headings(run):
    story = (
        "In June 1850 the rebels crossed the river near the old mill and marched on the small "
        "town of Riverton by night."
    )
    text = f"The rising\n\n{story}\nThe garrison surrendered without a fight.\n"
    assert paragraph_starts(text) == [0, 12, text.index("The garrison")]
    _, events, _ = run(text)
    assert [(e["trigger"], e["date_basis"]) for e in events] == [("cross", "explicit")]


def test_a_wrapped_text_keeps_its_paragraphs_across_short_lines():
    text = "Heading\n\nThe rebels crossed the river\nand marched on the town.\n\nNext."
    assert paragraph_starts(text) == [0, text.index("The"), text.index("Next")]


def test_later_and_throughout_move_an_event_off_the_clock(run):
    text = (
        "In 1863 the army crossed the river. The general later wrote a report. "
        "The garrison eventually surrendered. The fleet kept the coast throughout the war. "
        "The cavalry burned the bridge."
    )
    _, events, _ = run(text)
    assert [(e["trigger"], e["date_basis"]) for e in events] == [
        ("cross", "explicit"),
        ("burn", "narrative"),
    ]


def narrative(events):
    return [e["trigger"] for e in events if e["date_basis"] == "narrative"]


def test_habits_gradual_changes_and_consequences_are_not_on_the_clock(run):
    text = (
        "In 1863 the army crossed the river. The scouts often raided the farms. "
        "Support for the war steadily grew. The desertions increased. "
        "The blockade led to a famine. The cavalry burned the bridge."
    )
    _, events, _ = run(text)
    assert narrative(events) == ["burn"]


def test_a_generic_or_quantified_subject_tells_no_event_of_the_clock(run):
    text = (
        "In 1863 the army crossed the river. Some officers protested the order. "
        "Others deserted. Soldiers looted the farms. Union troops burned the bridge. "
        "The dragoons seized the ford."
    )
    _, events, _ = run(text)
    assert narrative(events) == ["burn", "seize"]


def test_an_event_timed_by_another_event_is_not_on_the_clock(run):
    text = (
        "In 1863 the army crossed the river. A short time after, the governor fled. "
        "The day before, the rebels seized the ford. After the battle the general resigned. "
        "In the meantime the fleet blockaded the port. Meanwhile the enemy retreated. "
        "The cavalry burned the bridge."
    )
    _, events, _ = run(text)
    assert narrative(events) == ["burn"]


def test_a_summary_over_a_stretch_is_not_on_the_clock(run):
    text = (
        "In 1863 the army crossed the river. During the war the fleet guarded the coast. "
        "The garrison held the fort for three months. By the end of the siege the town starved. "
        "The cavalry burned the bridge."
    )
    _, events, _ = run(text)
    assert narrative(events) == ["burn"]


def test_a_heading_spanning_years_dates_no_event_of_its_section(run):
    text = (
        "The presidency (1911-1913)\n\nThe rebels burned the bridge.\n\n"
        "The revolt of 1914\n\nThe rebels seized the ford."
    )
    _, events, skipped = run(text)
    year = (dt.date(1914, 1, 1), dt.date(1914, 12, 31))
    assert [(e["trigger"], e["date_start"], e["date_end"]) for e in events] == [("seize", *year)]
    assert skipped["predicate_without_basis"] == 1


def test_a_day_dates_the_next_sentence_a_month_two_a_year_its_paragraph(run):
    day = "On 3 March 1863 the army crossed the river. It burned the bridge. It seized the ford."
    month = "In March 1863 the army crossed the river. It burned the bridge. It seized the ford."
    year = "In 1863 the army crossed the river. It burned the bridge. It seized the ford."
    assert narrative(run(day)[1]) == ["burn"]
    assert narrative(run(month)[1]) == ["burn", "seize"]
    assert narrative(run(f"{month} It took the town.")[1]) == ["burn", "seize"]
    assert narrative(run(f"{year} It took the town.")[1]) == ["burn", "seize", "take"]


def test_an_indefinite_plural_object_is_a_series_not_one_event(run):
    text = (
        "In 1863 the army crossed the river. The cavalry burned farms. The dragoons raided "
        "some villages. The gunners destroyed the bridges. The rangers took two forts."
    )
    _, events, _ = run(text)
    assert narrative(events) == ["destroy", "take"]


def test_an_event_placed_by_a_subsequent_one_is_not_on_the_clock(run):
    text = (
        "In 1863 the army crossed the river. The militia joined the subsequent assault. "
        "The cavalry burned the bridge."
    )
    _, events, _ = run(text)
    assert narrative(events) == ["burn"]


def test_now_sets_no_clock(run):
    text = "In 1863 the army crossed the river at Tsaritsyn (now Volgograd). It burned the bridge."
    timexes, events, _ = run(text)
    year = next(t for t in timexes if t["text"] == "1863")
    burned = next(e for e in events if e["trigger"] == "burn")
    assert (burned["timex_id"], burned["precision"]) == (year["timex_id"], "year")


def test_now_dates_no_event_in_a_story(run):
    text = "In 1863 the army crossed the river. The now-exhausted rebels now fled north."
    _, events, skipped = run(text)
    assert [(e["trigger"], e["date_basis"]) for e in events] == [("cross", "explicit")]
    assert skipped["present_in_story"] >= 1


def test_a_total_sums_up_and_is_not_on_the_clock(run):
    text = (
        "In 1863 the army crossed the river. In all, the rebels lost three hundred men. "
        "Altogether the cavalry captured two hundred prisoners. The gunners destroyed the bridge."
    )
    _, events, _ = run(text)
    assert narrative(events) == ["destroy"]


def test_a_date_told_as_a_bound_stops_the_clock(run):
    text = (
        "The army crossed the river in 1861. By 1863 the rebels had taken the hills. "
        "The cavalry burned the bridge."
    )
    _, events, skipped = run(text)
    assert narrative(events) == []
    assert skipped["predicate_without_basis"] == 1


def test_a_flashback_or_a_look_ahead_stops_the_clock(run):
    flashback = (
        "In 1863 the army crossed the river. The fort had been built in 1850. "
        "The cavalry burned the bridge."
    )
    ahead = (
        "In 1863 the army crossed the river under a captain who would rule the province in "
        "1880. The cavalry burned the bridge."
    )
    no_event = (
        "In 1863 the army crossed the river. The summer of 1864 had been dry in the valley. "
        "The cavalry burned the bridge."
    )
    assert narrative(run(flashback)[1]) == []
    assert narrative(run(ahead)[1]) == []
    assert narrative(run(no_event)[1]) == []
    assert narrative(run("In 1863 the army crossed the river. The cavalry burned the bridge.")[1])


def test_a_date_in_parentheses_sets_no_clock(run):
    text = (
        "On 3 May 1863 the army crossed the river. A reporter (writing on 9 May) praised the "
        "general. The cavalry burned the bridge."
    )
    _, events, _ = run(text)
    assert narrative(events) == []


def test_a_date_earlier_than_the_clock_is_a_look_back(run):
    text = (
        "The new council took office in May 1864. This followed the election of March 1863. "
        "It abolished the tolls."
    )
    _, events, _ = run(text)
    assert narrative(events) == []


def test_a_dated_noun_the_verb_only_refers_to_sets_no_clock(run):
    text = (
        "The court charged two officers with the murders of March 1863. "
        "The judge also charged the colonel."
    )
    _, events, _ = run(text)
    assert narrative(events) == []


def test_a_consequence_or_a_length_of_time_moves_the_story_past_its_date(run):
    forcing = (
        "The gunners shelled the fort on 12 April 1861, forcing its surrender. "
        "The governor called for volunteers."
    )
    lasting = (
        "On 18 February 1918 the enemy began an advance which lasted eleven days. "
        "The council signed the treaty."
    )
    assert narrative(run(forcing)[1]) == []
    assert narrative(run(lasting)[1]) == []


def test_a_phrasal_change_of_degree_or_its_conjunct_is_a_summary(run):
    text = (
        "In 1863 the army crossed the river. The rebels stepped up their raids. "
        "The navy won victories at sea and blockaded the port. The cavalry burned the bridge."
    )
    _, events, _ = run(text)
    assert narrative(events) == ["burn"]


def test_a_series_a_habit_or_a_caused_state_is_not_on_the_clock(run):
    text = (
        "In 1863 the army crossed the river. In a series of skirmishes the rebels lost the "
        "hills. Once a raid was over, the riders scattered into the woods. The retreat "
        "demoralized the officers. The cavalry burned the bridge."
    )
    _, events, _ = run(text)
    assert narrative(events) == ["burn"]


def test_a_window_before_1_ad_is_told_in_years(run):
    text = (
        "In 218 BC the general crossed the mountains. He defeated the consul at the river. "
        "In 216 BC he won the battle."
    )
    window = [
        (e["trigger"], e["date_start"], e["date_end"], e["year_start"], e["year_end"])
        for e in run(text)[1]
        if e["date_basis"] == "narrative"
    ]
    assert window == [("defeat", None, None, -217, -215)]


def narrative_triggers(events):
    return [e["trigger"] for e in events if e["date_basis"] == "narrative"]


@pytest.mark.parametrize(
    ("told", "expected"),
    [
        # a doer: a name, a people, a pronoun, a noun for a group, a unit or a ship
        ("The general crossed the river.", ["cross"]),
        ("Garibaldi crossed the river.", ["cross"]),
        ("They crossed the river.", ["cross"]),
        ("The third battalion crossed the river.", ["cross"]),
        ("The frigate sailed for the island.", ["sail"]),
        ("It crossed the river.", ["cross"]),  # "it" is the army of the sentence before
        # a passive with no doer named: someone did it
        ("The bridge was burned.", ["burn"]),
        # a text's content, a consequence, a thing: no narrative event
        ("The governor's letter offered the hope of a truce.", []),
        ("The official history detailed a long series of blunders.", []),
        ("These quick victories left the king dangerously overconfident.", []),
        ("The murder of the mayor ruptured the town.", []),
        ("The heavy rain flooded the lower valley.", []),
        ("The fort was surrounded by a deep marsh.", []),
    ],
)
def test_the_clock_dates_only_a_doers_events(run, told, expected):
    text = f"In May 1850 the army marched to the coast. {told}"
    _, events, _ = run(text)
    assert narrative_triggers(events) == expected


def test_an_events_own_end_is_dated_by_the_clock(run):
    text = "In May 1850 the rebels attacked the town. The battle ended in a truce."
    assert narrative_triggers(run(text)[1]) == ["end"]


def test_it_standing_for_a_text_is_no_doer(run):
    text = "In May 1850 the governor's letter reached the capital. It offered the hope of a truce."
    assert narrative_triggers(run(text)[1]) == []


@pytest.mark.parametrize(
    ("told", "expected"),
    [
        # a state of mind whose past form the lemmatiser misreads ("hoped" as "hop")
        ("The garrison hoped to hold the fort.", []),
        ("The garrison was relieved and hoped to hold the fort.", ["relieve"]),
        # a name of an event is no doer, nor is "it" standing for one
        ("The Harbour Incident ended the truce.", []),
        ("The Harbour Incident shocked the town. It also ended the truce.", []),
        # an event's end is its own phase only without an object
        ("The Harbour Incident ended in a truce.", ["end"]),
        # a passive that relates two events has no doer
        ("The revolt reached the port. It was supported by a mutiny of the guards.", []),
        ("The revolt reached the port. It was crushed by the militia.", ["crush"]),
    ],
)
def test_states_of_mind_events_as_subjects_and_related_events_are_not_on_the_clock(
    run, told, expected
):
    text = f"In May 1850 the army marched to the coast. {told}"
    assert narrative_triggers(run(text)[1]) == expected


def test_a_month_without_its_year_read_before_the_story_stops_the_clock(run):
    before = (
        "On 26 October 1850 the general entered the capital.\n\n"
        "In May, the general visited the coast. A parade was held in his honour."
    )
    after = before.replace("In May", "In December")
    assert narrative_triggers(run(before)[1]) == []
    assert narrative_triggers(run(after)[1]) == ["hold"]


def test_a_date_after_before_is_a_bound(run):
    text = (
        "The plan called for the capture of the city before 1 May 1850. "
        "On 7 April the rebels attacked the fort. They met fierce resistance at the gate."
    )
    window = narrative_window(run(text)[1])
    assert window == [("meet", dt.date(1850, 4, 7), dt.date(1850, 12, 31), "year")]


@pytest.mark.parametrize(
    ("told", "expected"),
    [
        # a passive of a state with "in" or "with": what they were busy with, no event
        ("The dragoons were engaged in skirmishes with the rebels.", []),
        ("The garrison was preoccupied with the defence of the harbour.", []),
        ("The regiment was mired in the marshes.", []),
        # with a doer it is an event
        ("The dragoons were engaged by the rebel cavalry.", ["engage"]),
        # a passive of purpose with a to-infinitive: what it was for
        ("The raids were intended to force the governor to yield.", []),
        ("The fort was meant to guard the pass.", []),
        ("The new fort was designed to guard the pass.", []),
    ],
)
def test_passives_of_states_and_purposes_are_not_on_the_clock(run, told, expected):
    text = f"In May 1850 the army marched to the coast. {told}"
    assert narrative_triggers(run(text)[1]) == expected


@pytest.mark.parametrize(
    ("told", "expected"),
    [
        # "once" read as an adverb opening the clause is a subordinator all the same
        ("Once a raid was over, the rebels retreated to the hills.", []),
        # "when" with a generic subject: whatever happened each time
        ("When smugglers' boats were seized, the crews were released.", []),
        ("When boats were seized, the crews were released.", []),
        # "when" with a particular subject: one happening
        ("When the rebel boats were seized, the crews were released.", ["release"]),
    ],
)
def test_what_followed_each_time_is_not_on_the_clock(run, told, expected):
    text = f"In May 1850 the army marched to the coast. {told}"
    assert narrative_triggers(run(text)[1]) == expected


@pytest.mark.parametrize(
    ("told", "expected"),
    [
        # "it" stands for no person: after "he", the object is its antecedent
        ("He signed the treaty. It stated that the rebels would disarm.", ["sign"]),
        ("The governor signed the treaty. It stated that the rebels would disarm.", ["sign"]),
        (
            "The governor signed the treaty. He stated that the rebels would disarm.",
            ["sign", "state"],
        ),
    ],
)
def test_it_after_a_person_stands_for_the_object(run, told, expected):
    text = f"In May 1850 the army marched to the coast. {told}"
    assert narrative_triggers(run(text)[1]) == expected


@pytest.mark.parametrize(
    ("told", "expected"),
    [
        # a stance or aid kept up over a stretch
        ("The rebels supported the peasants' revolt against the levy.", []),
        ("The rebels were backed by foreign soldiers.", []),
        # a system of rule set up over time
        ("The general established a military dictatorship.", []),
        ("The general established his headquarters at the fort.", ["establish"]),
        # a stance does not carry over to the verb coordinated with it
        ("The rebels supported the revolt and seized the arsenal.", ["seize"]),
    ],
)
def test_stances_and_rules_set_up_are_not_on_the_clock(run, told, expected):
    text = f"In May 1850 the army marched to the coast. {told}"
    assert narrative_triggers(run(text)[1]) == expected


def test_an_adverb_opening_a_clause_introduces_it(nlp):
    from spacy.tokens import Doc

    from pipeline.events.basis import clause_marks

    # the parser's reading of "once" as an adverb of the clause ("Once the ford was taken, ...")
    words = ["Once", "the", "ford", "was", "taken", ",", "the", "rebels", "fled", "."]
    heads = [4, 2, 4, 4, 8, 8, 7, 8, 8, 8]
    deps = ["advmod", "det", "nsubjpass", "auxpass", "advcl", "punct", "det", "nsubj", "ROOT"]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=[*deps, "punct"])
    assert clause_marks(doc[4]) == {"once"}
    # an adverb inside the clause does not introduce it
    words = ["The", "ford", "was", "soon", "taken"]
    deps = ["det", "nsubjpass", "auxpass", "advmod", "ROOT"]
    doc = Doc(nlp.vocab, words=words, heads=[1, 4, 4, 4, 4], deps=deps)
    assert clause_marks(doc[4]) == set()


@pytest.mark.parametrize(
    "aside",
    [
        "The general drew up an offensive planned for the spring of 1921.",
        "The council approved the big push scheduled for 1921.",
        "The landing was projected for the dry season of 1921.",
        "The attack was slated to begin in March 1921.",
    ],
)
def test_a_plans_date_sets_no_clock(run, aside):
    # the date is the plan's, told aside: the sentence after it gets no narrative date
    text = f"In May 1920 the army crossed the river. {aside} The rebels burned the bridge."
    assert narrative_triggers(run(text)[1]) == []


def test_a_plans_date_closes_no_window(run):
    text = (
        "In May 1920 the army crossed the river. It burned the bridge. The council approved "
        "an offensive planned for 1922. In August 1920 the army took the town."
    )
    assert narrative_window(run(text)[1]) == [
        ("burn", dt.date(1920, 5, 1), dt.date(1920, 8, 31), "year")
    ]


def test_a_date_after_set_out_is_no_plans_date(run):
    text = "The fleet set out on 3 May 1920. It reached the island."
    assert narrative_triggers(run(text)[1]) == ["reach"]


@pytest.mark.parametrize(
    ("told", "expected"),
    [
        # over a whole area, or several units of time
        ("The rebels fought the army all across the province.", []),
        ("The partisans raided the garrisons across the whole region.", []),
        ("The rebels fought the army across the river.", ["fight"]),
        ("In three weeks the army crossed the mountains.", []),
        ("In two places the army crossed the mountains.", ["cross"]),
        # a total
        ("The garrison lost a total of two thousand men.", []),
        ("The regiment reported total losses of three hundred men.", []),
        ("The army won a total victory at the ford.", ["win"]),
        # a role taken, an effort kept up
        ("The porters were pushed into a far larger role in the siege.", []),
        ("The governor worked to curb the power of the landlords.", []),
        ("The governor worked in the capital.", ["work"]),
        # aid and support kept up
        ("The allies provided little support to the rebels.", []),
        ("The guild threw the whole weight of its fortune behind the strikers.", []),
        ("The allies provided the rebels with a ship.", ["provide"]),
        # who led a body: a state; who led an event: the event as a whole, not the clock
        ("The commission was led by two former ministers.", []),
        ("The fleet was commanded by an old admiral.", []),
        ("The assault was led by the guards.", []),
    ],
)
def test_summaries_aid_and_leaders_are_off_the_clock(run, told, expected):
    text = f"In May 1850 the army marched to the coast. {told}"
    assert narrative_triggers(run(text)[1]) == expected


@pytest.mark.parametrize(
    ("told", "expected"),
    [
        # a cooperation, aid received or given kept up
        ("The regiments cooperated with the partisans in the north.", []),
        ("The governor received support from the merchants and the clergy.", []),
        ("The rebels were aided in the attempt by the foreign legion.", []),
        ("The governor received the envoys in the palace.", ["receive"]),
        # a toll suffered, a state suffered from
        ("The regiment suffered heavy casualties.", []),
        ("The regiment suffered 3,000 killed and wounded.", []),
        ("The province suffered from the famine.", []),
        # a stretch spent
        ("The garrison spent the winter repairing the walls.", []),
        ("The garrison spent a night in the fort.", []),
        # a practice: a participle or a conjunct with an indefinite plural object
        ("The militia followed the army, conducting raids on farms.", []),
        ("The militia crossed the hills, setting fires in villages.", []),
        ("The agents forged letters and spread false rumours.", []),
        ("The rebels burned the bridge, killing the guards.", ["burn"]),
        ("The fleet intercepted and turned back enemy ships.", ["intercept"]),
        # where power lay, a situation, a payment kept up, a habit
        ("The authority of the league was vested in a council of five.", []),
        ("The outpost was left to fend for itself.", []),
        ("The chief was paid a salary by the governor.", []),
        ("The governor paid the ransom.", ["pay"]),
        ("The governor extended the penalty to the occasional deserter.", []),
        ("The governor extended the penalty to the deserter.", ["extend"]),
        # several bodies each acting on their own
        ("Only four kingdoms recognized the breakaway duchy.", []),
        ("Southern states seceded from the union.", []),
        ("The two countries signed a treaty.", ["sign"]),
        ("Three regiments crossed the river.", ["cross"]),
        # "it" names the subject of a clause set before it
        ("Though the governor's letter was no plan of reform, it offered a promise.", []),
        ("When the fleet sailed, it met the storm.", ["meet"]),
    ],
)
def test_practices_tolls_and_aid_kept_up_are_off_the_clock(run, told, expected):
    text = f"In May 1850 the army marched to the coast. {told}"
    assert narrative_triggers(run(text)[1]) == expected
