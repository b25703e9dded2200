"""A clone without the gold data: `dvc repro -f` of the evaluation stages keeps the metrics.

The gold data (params.yaml `evaluate.data`, `../shared/data`) is research-only and sits
outside the repository; a temporary repository has none beside it. The committed metrics
must come out of a forced run byte for byte, and git must see no change in `metrics/`.
"""

from __future__ import annotations

import shutil

import pytest

from tests.support.helpers import PROJECT, digests, dvc, make_repo, run

pytestmark = pytest.mark.slow

EVALUATION_STAGES = [
    "evaluate_tempeval",
    "evaluate_narrative",
    "evaluate_ner",
    "evaluate_event_dating",
    "evaluate_event_types",
    "evaluate_event_groups",
]


def test_a_forced_run_without_gold_data_leaves_the_committed_metrics(tmp_path):
    repo = make_repo(tmp_path / "chronicle")
    shutil.copytree(PROJECT / "metrics", repo / "metrics")
    run(repo, "git", "add", "metrics")
    run(repo, "git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "m")
    committed = digests(repo / "metrics")
    result = dvc(repo, "repro", "-f", *EVALUATION_STAGES)
    assert result.stdout.count("skipped: gold data not found") == 9  # every gold set
    assert digests(repo / "metrics") == committed
    assert run(repo, "git", "status", "--porcelain", "metrics").stdout == ""
