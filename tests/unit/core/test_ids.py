from pipeline.core import ids
from schemas.ids import ID_PATTERN


def test_document_id_depends_only_on_bytes():
    assert ids.document_id(b"same text") == ids.document_id(b"same text")
    assert ids.document_id(b"same text") != ids.document_id(b"same text.")


def test_parts_are_separated_so_shifted_boundaries_differ():
    assert ids.make_id("mention", "ab", "c") != ids.make_id("mention", "a", "bc")


def test_ids_match_their_published_pattern():
    import re

    value = ids.span_id("timex", "doc_0123456789abcdef", 3, 17)
    assert re.match(ID_PATTERN["timex"], value)
    assert value.startswith("tmx_")
