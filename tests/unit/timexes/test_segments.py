"""A long document tagged in segments resolves like the whole text."""

from pipeline.timexes.temporal import tag, tag_segments


def test_narrative_reference_carries_across_segments():
    text = "In 1964 the treaty was signed.\n\nTwo years later, it was broken."
    cut = text.index("Two")
    whole = [(t.start, t.end, t.value) for t in tag(text, mode="narrative")]
    parts = tag_segments([(0, text[:cut], None, ()), (cut, text[cut:], None, ())], mode="narrative")
    assert [(t.start, t.end, t.value) for t in parts] == whole
    assert whole[-1][2] == "1966"
    assert [text[t.start : t.end] for t in parts] == ["1964", "Two years later"]


def test_a_fresh_segment_alone_has_no_reference():
    alone = tag("Two years later, it was broken.", mode="narrative")
    assert alone == [] or alone[0].date_start is None
