"""The pure parts of the growth benchmark: the synthetic corpus, the line, the verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.growth import (
    before_stages,
    edit_budget,
    edited_documents,
    fit,
    stage_seconds,
    synthetic_document,
    verdicts,
    write_documents,
)


@pytest.fixture
def articles(tmp_path: Path) -> tuple[list[Path], Path]:
    """Three articles in two categories, as the BBC corpus is laid out."""
    root = tmp_path / "bbc"
    for name, text in [("business/001.txt", "Shares rose.\n"), ("business/002.txt", "Oil fell.\n")]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "tech" / "001.txt").parent.mkdir()
    (root / "tech" / "001.txt").write_text("A phone was sold.\n")
    return sorted(root.rglob("*.txt")), root


def test_the_first_copy_is_the_corpus_and_later_copies_start_with_their_edition(articles, tmp_path):
    sources, root = articles
    raw = tmp_path / "raw"
    write_documents(raw, range(7), sources, root)
    written = {str(p.relative_to(raw)): p.read_text() for p in raw.rglob("*.txt")}
    assert written == {
        "copy0/business/001.txt": "Shares rose.\n",
        "copy0/business/002.txt": "Oil fell.\n",
        "copy0/tech/001.txt": "A phone was sold.\n",
        "copy1/business/001.txt": "Edition 1 of this story.\nShares rose.\n",
        "copy1/business/002.txt": "Edition 1 of this story.\nOil fell.\n",
        "copy1/tech/001.txt": "Edition 1 of this story.\nA phone was sold.\n",
        "copy2/business/001.txt": "Edition 2 of this story.\nShares rose.\n",
    }


def files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by its path there."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*.txt")}


def test_growing_the_corpus_only_adds_documents(articles, tmp_path):
    sources, root = articles
    grown, direct = tmp_path / "grown", tmp_path / "direct"
    write_documents(grown, range(2), sources, root)
    write_documents(grown, range(2, 5), sources, root)
    write_documents(direct, range(5), sources, root)
    assert files(grown) == files(direct)
    assert len(files(grown)) == 5
    assert synthetic_document(4, sources, root)[0] == Path("copy1/business/002.txt")


def test_each_edit_is_of_a_different_document():
    assert edited_documents(2225, 3) == [556, 1112, 1668]
    assert len(set(edited_documents(100, 2))) == 2


def test_the_line_splits_fixed_seconds_from_seconds_per_thousand_documents():
    assert fit(
        [2225, 5000, 10000, 20000], [6.0 + 0.2 * n / 1000 for n in (2225, 5000, 10000, 20000)]
    ) == {
        "fixed_seconds": 6.0,
        "seconds_per_1000_documents": 0.2,
    }


def test_a_stage_lasts_until_the_next_one_starts():
    stamped = [
        (0.9, "Stage 'ingest' didn't change, skipping\n"),
        (1.0, "Running stage 'nlp':\n"),
        (1.1, "> python -m pipeline.nlp\n"),
        (3.5, "Running stage 'timexes':\n"),
        (4.0, "Updating lock file 'dvc.lock'\n"),
    ]
    assert stage_seconds(stamped, 4.5) == {"nlp": 2.5, "timexes": 1.0}
    assert before_stages(stamped, 4.5) == 1.0


def run(documents: int, edit: float, noop: float, edit_mb: int, growth_mb: int) -> dict:
    """One size's figures, as grow() records them."""
    return {
        "documents": documents,
        "edit_seconds": edit,
        "noop_seconds": noop,
        "edit_peak_rss_mb": edit_mb,
        "growth": {"peak_rss_mb": growth_mb},
    }


def test_the_verdicts_compare_each_target_at_the_sizes_it_names():
    runs = [run(2225, 7.5, 0.8, 500, 800), run(20000, 12.0, 1.6, 540, 900)]
    rows = verdicts(runs, fit([2225, 20000], [7.5, 12.0]))
    assert [(r["measure"], r["result"], r["met"]) for r in rows] == [
        ("edit re-run at N = 2,225 (s)", 7.5, True),
        ("edit re-run, seconds per 1,000 documents", 0.253, True),
        ("no-op at N = 20,000 (s)", 1.6, False),
        ("peak RSS growth, edit re-run", 0.08, True),
        ("peak RSS growth, growth step", 0.125, False),
    ]


def test_one_size_gives_no_slope_and_no_verdict_on_it():
    rows = verdicts([run(100, 9.0, 1.0, 300, 300)], None)
    assert rows[1]["result"] is None and rows[1]["met"] is None
    assert rows[0]["met"] is False


def test_the_edit_target_grows_only_past_2225_documents():
    assert edit_budget(100) == 8.0
    assert edit_budget(20000) == pytest.approx(8.0 + 0.3 * 17.775)
