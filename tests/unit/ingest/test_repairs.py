"""Text repairs a reader would agree with: each is applied only when unambiguous, and counted."""

import pytest

from pipeline.ingest.language import detect_language
from pipeline.ingest.repairs import clean_text


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "Even thenUnited States President Dwight Eisenhower",
            "Even then United States President Dwight Eisenhower",
        ),
        (
            "rebels overthrew the proUnited States regime",
            "rebels overthrew the pro-United States regime",
        ),
        ("the antiSoviet line held", "the anti-Soviet line held"),
        ("He played the guitarHe also sang.", "He played the guitar He also sang."),
        ("talks began inMarch 1962.", "talks began in March 1962."),
        ("the port ofAqaba, and later Aqaba itself", "the port of Aqaba, and later Aqaba itself"),
    ],
)
def test_words_glued_by_a_lost_space_are_split(before, after):
    cleaned = clean_text(before)
    assert cleaned.text == after
    assert cleaned.repairs == {"glued_words": 1}
    [example] = cleaned.examples["glued_words"]  # logged: what was split, and how
    glued = next(w for w in before.split() if w not in after.split())
    assert example.startswith(repr(glued.strip(",.")) + " -> ")


@pytest.mark.parametrize(
    "text",
    [
        "He ate at McDonald's and bought an iPhone.",
        "The slides were made in PowerPoint and posted on YouTube.",
        "Sold on eBay, flown with easyJet, preprinted on arXiv.",
        "Leonardo diCaprio starred.",  # the whole token is a dictionary word
        "Our fooBar and wubbaZork variables.",  # second part not a word
        "see www.youTube.com and user@thenUnited.org",  # URLs and e-mail addresses are not prose
        "zzyzxQuarry is a made-up name",  # first part not a common word
        "theFirm and theFirm again",  # a spelling used twice is deliberate
        "macOS, iOS and watchOS",  # capitals after the hump are not one word
    ],
)
def test_names_and_deliberate_camel_case_are_left_alone(text):
    cleaned = clean_text(text)
    assert cleaned.text == text
    assert "glued_words" not in cleaned.repairs


def test_a_second_part_known_only_from_the_document_counts_as_a_word():
    # "Labour" (British spelling) is not in the US word list, but the text uses it on its own
    cleaned = clean_text("Labour won. The vote went atLabour's expense? No: toLabour.")
    assert "to Labour." in cleaned.text


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("an inter-\nnational treaty", "an international treaty"),
        ("the well-\nknown speech", "the well-known speech"),
        ("Khru-\nshchev said", "Khrushchev said"),
    ],
)
def test_hyphenation_across_line_breaks_is_undone(before, after):
    cleaned = clean_text(before)
    assert cleaned.text == after
    assert cleaned.repairs == {"hyphenation": 1}


@pytest.mark.parametrize(
    "text",
    [
        "the Franco-\nPrussian war",  # capital after the break: a real compound
        "a zqx-\nvvr code",  # neither joined nor halves are words
        "figures:\n- one\n- two",  # a list, not a hyphenated word
        "in 1962-\n63 the crisis",  # digits
    ],
)
def test_line_break_hyphens_that_are_not_word_breaks_stay(text):
    assert clean_text(text).text == text


def test_control_and_invisible_characters_are_removed_and_counted():
    cleaned = clean_text("Khru\u00adshchev\x00 met\x1b Ken\u200bnedy\x85in\u202e 1961\x7f.")
    assert cleaned.text == "Khrushchev met Kennedy\nin 1961."
    assert cleaned.repairs == {"control_characters": 3, "invisible_characters": 3, "newlines": 1}


def test_joiners_needed_by_other_scripts_are_kept():
    persian = "می\u200cخواهم"  # zero-width non-joiner is part of Persian spelling
    assert clean_text(persian, english=False).text == persian


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('Khrushchev ""saved"" Cuba', 'Khrushchev "saved" Cuba'),
        ('a ""b"" and ""c""', 'a "b" and "c"'),
        ('"""saved"""', '"""saved"""'),  # three quotes: which were escapes is ambiguous
        ('""', '""'),
    ],
)
def test_doubled_quotes_are_halved_only_when_unambiguous(before, after):
    assert clean_text(before).text == after


def test_mixed_newlines_become_one_kind():
    cleaned = clean_text("one\r\ntwo\rthree\nfour\u2028five")
    assert cleaned.text == "one\ntwo\nthree\nfour\nfive"
    assert cleaned.repairs == {"newlines": 3}


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "fr",
            "La crise des missiles de Cuba a commencé en octobre 1962, lorsque les États-Unis "
            "ont découvert des missiles soviétiques à Cuba. Khrouchtchev a cédé.",
        ),
        (
            "de",
            "Die Kubakrise im Oktober 1962 war eine Konfrontation zwischen den Vereinigten Staaten "
            "und der Sowjetunion, nachdem sowjetische Raketen auf Kuba entdeckt wurden.",
        ),
        (
            "ru",
            "Карибский кризис — исторический период в отношениях между Советским Союзом и "
            "Соединёнными Штатами в октябре 1962 года.",
        ),
        (
            "zh",
            "古巴导弹危机是1962年冷战时期在美国、苏联与古巴之间爆发的"
            "一场极其严重的政治、军事危机。",
        ),
        (
            "ar",
            "أزمة الصواريخ الكوبية هي مواجهة بين الاتحاد السوفيتي والولايات المتحدة في أكتوبر "
            "عام 1962 خلال الحرب الباردة.",
        ),
        (
            "en",
            "Soviet leader Nikita Khrushchev decided in March 1962 to install nuclear missiles on "
            "Cuba, together with launch pads and bombers.",
        ),
    ],
)
def test_languages_are_detected(language, text):
    assert detect_language(text) == language


def test_too_little_text_is_undetermined():
    assert detect_language("1962-10-27") == "und"
    assert detect_language("OK") == "und"
