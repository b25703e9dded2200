"""TempEval-3 quality bar, measured with our scorer on the gold data when it is present."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluation import evaluate_tempeval as ev


def _system() -> ev.System:
    try:
        return ev.make_system("tokens")  # POS hints from the pinned spaCy model
    except OSError:
        return ev.make_system("none")


def _metrics(shared_data: Path, folder: str) -> dict[str, object]:
    gold = shared_data / "tempeval3" / folder
    if not gold.is_dir() or not any(gold.glob("*.tml")):
        pytest.skip(f"TempEval-3 gold data not found at {gold} (research-only, not in the repo)")
    m, _ = ev.evaluate(ev.load_gold(gold), _system())
    return m


def test_platinum_targets(shared_data):
    m = _metrics(shared_data, "platinum")
    assert m["docs"] == 15 and m["gold"] == 99
    assert m["value_f1"] >= 0.82, m
    assert m["strict"]["f1"] >= 0.84, m  # type: ignore[index]
    assert m["relaxed"]["f1"] >= 0.91, m  # type: ignore[index]


@pytest.mark.slow
def test_train_target(shared_data):
    m = _metrics(shared_data, "train")
    assert m["docs"] == 256
    assert m["value_f1"] >= 0.80, m
