"""The `chronicle` command line, run for real against a project whose params.yaml puts every
folder somewhere else than the defaults."""

from __future__ import annotations

import csv
import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

from pipeline.cli import chronicle
from pipeline.core.io import write_rows
from pipeline.core.release import parquet_path
from schemas import SCHEMA_VERSION, TABLES, arrow_schema

PROJECT = Path(__file__).resolve().parents[3]


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    (tmp_path / "corpus" / "incoming").mkdir(parents=True)
    (tmp_path / "knowledge_base.csv").write_text((PROJECT / "knowledge_base.csv").read_text())
    (tmp_path / "params.yaml").write_text(
        "paths: {raw: corpus/incoming, outputs: release/tables}\n"
        "ingest: {manifest: corpus/incoming/manifest.csv}\n"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def chronicle_cli(*args: str) -> Result:
    return CliRunner().invoke(chronicle, list(args))


def manifest_rows(project: Path) -> list[dict[str, str]]:
    with open(project / "corpus" / "incoming" / "manifest.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def publish_empty_tables(folder: Path) -> None:
    folder.mkdir(parents=True)
    for name, table in TABLES.items():
        pq.write_table(arrow_schema(table).empty_table(), folder / parquet_path(name))


# --- add ------------------------------------------------------------------------------------


def test_add_copies_into_paths_raw_and_describes_the_files(project):
    source = project / "incoming" / "speech.txt"
    source.parent.mkdir()
    source.write_text("In 1962, Kennedy spoke.\n")
    result = chronicle_cli(
        "add",
        str(source),
        *("--into", "speeches", "--title", "A speech", "--published", "1962-10-22"),
        *("--licence", "public domain", "--anchor-mode", "news"),
    )
    assert result.exit_code == 0, result.output
    copied = project / "corpus" / "incoming" / "speeches" / "speech.txt"
    assert copied.read_bytes() == source.read_bytes()
    assert not (project / "raw").exists()
    assert manifest_rows(project) == [
        {
            "path": "speeches/speech.txt",
            "title": "A speech",
            "source_url": "",
            "published": "1962-10-22",
            "licence": "public domain",
            "anchor_mode": "news",
        }
    ]
    assert "1 file(s) copied into corpus/incoming/" in result.stdout
    result = chronicle_cli("add", str(source), "--into", "speeches", "--title", "Retitled")
    assert result.exit_code == 0, result.output
    rows = manifest_rows(project)
    assert len(rows) == 1 and rows[0]["title"] == "Retitled"
    assert rows[0]["published"] == "1962-10-22"  # kept: only given fields change


@pytest.mark.parametrize(
    ("name", "extra", "message"),
    [
        ("notes.txt", ["--published", "22/10/1962"], "is not a date in YYYY-MM-DD form"),
        (
            "notes.txt",
            ["--published", "2021-02-30"],
            "'2021-02-30': that day does not exist (February 2021 has 28 days)",
        ),
        (
            "notes.txt",
            ["--anchor-mode", "news"],
            "news mode resolves relative dates ('yesterday', 'last Tuesday') against the "
            "publication date, and none is given: add --published YYYY-MM-DD",
        ),
        ("scan.pdf", [], "would be rejected (unsupported_type)"),
        ("notes.txt", ["--into", "../elsewhere"], "must be a folder inside corpus/incoming/"),
    ],
)
def test_add_refuses_with_a_plain_message(project, name, extra, message):
    source = project / name
    source.write_bytes(b"%PDF-1.4" if name.endswith(".pdf") else b"text")
    result = chronicle_cli("add", str(source), *extra)
    assert result.exit_code == 1
    assert result.stderr.startswith("chronicle add: error:") and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert list((project / "corpus" / "incoming").iterdir()) == []


def test_news_mode_without_a_date_is_accepted_once_the_manifest_has_one(project):
    source = project / "report.txt"
    source.write_text("Yesterday the talks ended.")
    assert chronicle_cli("add", str(source), "--published", "2021-03-01").exit_code == 0
    result = chronicle_cli("add", str(source), "--anchor-mode", "news")  # the date is kept
    assert result.exit_code == 0, result.output
    assert manifest_rows(project)[0]["published"] == "2021-03-01"


def test_news_as_the_default_mode_warns_about_a_missing_date(project):
    (project / "params.yaml").write_text(
        "paths: {raw: corpus/incoming, outputs: release/tables}\n"
        "ingest: {manifest: corpus/incoming/manifest.csv, default_anchor_mode: news}\n"
    )
    (project / "report.txt").write_text("Yesterday the talks ended.")
    result = chronicle_cli("add", str(project / "report.txt"))
    assert result.exit_code == 0, result.output
    assert "warning: report.txt: news mode resolves relative dates" in result.stderr


def test_add_will_not_overwrite_a_different_file(project):
    (project / "corpus" / "incoming" / "a.txt").write_text("old")
    (project / "a.txt").write_text("new")
    result = chronicle_cli("add", str(project / "a.txt"))
    assert result.exit_code == 1
    assert "exists with other content; use --force" in result.stderr
    assert chronicle_cli("add", str(project / "a.txt"), "--force").exit_code == 0
    assert (project / "corpus" / "incoming" / "a.txt").read_text() == "new"


def test_a_missing_params_file_is_named_in_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("text")
    result = chronicle_cli("add", "a.txt")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "chronicle add: error: params.yaml not found: run from the project folder\n"
    )
    result = chronicle_cli("--params", "other.yaml", "summary")
    assert (
        result.stderr
        == "chronicle summary: error: other.yaml not found: run from the project folder\n"
    )


# --- validate and summary -------------------------------------------------------------------


def test_validate_and_summary_read_paths_outputs_by_default(project):
    publish_empty_tables(project / "release" / "tables")
    result = chronicle_cli("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("release/tables: valid (documents 0, rejects 0")
    result = chronicle_cli("summary")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "rows: documents 0, rejects 0, sentences 0, mentions 0, entities 0, timexes 0, "
        "events 0, participants 0, happenings 0",
        "dated events: 0",
    ]


def test_validate_and_summary_explain_a_missing_folder(project):
    result = chronicle_cli("validate")
    assert result.exit_code == 1
    assert result.stderr == "chronicle validate: error: release/tables: no such folder\n"
    assert "nowhere: no such folder" in chronicle_cli("validate", "nowhere").stderr
    (project / "empty").mkdir()
    result = chronicle_cli("summary", "empty")
    assert result.exit_code == 1
    assert "empty: table documents not found" in result.stderr


def test_validate_lists_the_problems_and_fails(project):
    folder = project / "release" / "tables"
    publish_empty_tables(folder)
    (folder / "datapackage.json").write_text(
        json.dumps({"resources": [{"path": "events.parquet", "hash": "sha256:" + "0" * 64}]})
    )
    result = chronicle_cli("validate")
    assert result.exit_code == 1
    assert "release/tables: 1 problem(s)" in result.stderr
    assert "events.parquet: sha256 differs from the metadata" in result.stderr


# --- version and help -----------------------------------------------------------------------


def test_version_names_the_package_and_the_dataset_contract():
    result = chronicle_cli("--version")
    assert result.exit_code == 0
    package = importlib.metadata.version("chronicle")
    assert result.stdout == f"chronicle {package}, dataset contract {SCHEMA_VERSION}\n"


def test_help_loads_neither_spacy_nor_dvc_nor_dask():
    """`python -m pipeline.cli --help` answers at once: the commands import their libraries."""
    script = (
        "import runpy, sys\n"
        "sys.argv = ['chronicle', '--help']\n"
        "try:\n"
        "    runpy.run_module('pipeline.cli', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        "heavy = {'spacy', 'dvc', 'dask', 'distributed'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    assert "Commands:" in result.stdout
    assert result.stdout.splitlines()[-1] == "[]"


# --- run, status and evaluate: DVC ----------------------------------------------------------


class FakeDvc:
    """Stands in for `subprocess.run` of DVC: records the command, answers with `returncode`."""

    def __init__(self, returncode: int = 0, stdout: str = "") -> None:
        self.returncode, self.stdout = returncode, stdout
        self.commands: list[list[str]] = []

    def __call__(self, command: list[str], **_: object) -> subprocess.CompletedProcess:
        self.commands.append(command)
        return subprocess.CompletedProcess(command, self.returncode, stdout=self.stdout)


@pytest.fixture
def fake_dvc(monkeypatch) -> FakeDvc:
    fake = FakeDvc()
    monkeypatch.setattr("pipeline.cli.common.subprocess.run", fake)
    return fake


def test_run_passes_dvcs_exit_code_through(project, fake_dvc):
    fake_dvc.returncode = 3
    result = chronicle_cli("run", "-f", "nlp", "timexes")
    assert fake_dvc.commands == [
        [sys.executable, "-m", "dvc", "repro", "--force", "nlp", "timexes"]
    ]
    assert result.exit_code == 3
    assert result.stderr == (
        "chronicle run: error: dvc repro failed (exit 3); the messages above say which "
        "stage and why\n"
    )


def test_run_summarises_paths_outputs_once_it_holds_every_table(project, fake_dvc):
    result = chronicle_cli("run")
    assert fake_dvc.commands == [[sys.executable, "-m", "dvc", "repro"]]
    assert (result.exit_code, result.stdout) == (0, "")
    publish_empty_tables(project / "release" / "tables")
    result = chronicle_cli("run")
    assert result.exit_code == 0
    assert "rows: documents 0" in result.stdout


def test_run_fails_and_summary_lists_manifest_rows_that_could_not_be_used(project, fake_dvc):
    folder = project / "release" / "tables"
    publish_empty_tables(folder)
    bad_row = {"path": "manifest.csv line 3", "reason": "manifest_error"}
    bad_row["detail"] = "a.txt: published '2021-02-30': that day does not exist"
    write_rows([bad_row], TABLES["rejects"], folder / parquet_path("rejects"))
    listed = "  manifest.csv line 3: a.txt: published '2021-02-30': that day does not exist"
    result = chronicle_cli("run")
    assert result.exit_code == 1
    assert "1 manifest row(s) could not be used" in result.stdout and listed in result.stdout
    assert result.stderr == "chronicle run: error: 1 manifest row(s) could not be used\n"
    result = chronicle_cli("summary")
    assert result.exit_code == 0 and result.stdout.splitlines()[-1] == listed


def test_status_says_which_stages_would_rerun_and_why(project, fake_dvc):
    fake_dvc.stdout = json.dumps(
        {
            "nlp": [
                {"changed deps": {"pipeline/nlp": "modified", "params.yaml": {"nlp.model": "new"}}},
                {"changed outs": {"data/interim/nlp": "deleted"}},
            ],
            "evaluate_ner@wikigold": ["always changed"],
        }
    )
    result = chronicle_cli("status")
    assert fake_dvc.commands == [[sys.executable, "-m", "dvc", "status", "--json"]]
    assert result.stdout.splitlines() == [
        "nlp would re-run: inputs changed: pipeline/nlp (modified), nlp.model (new); "
        "outputs changed: data/interim/nlp (deleted)",
        "evaluate_ner@wikigold would re-run: always runs",
        "2 stage(s) would re-run: chronicle run",
    ]
    fake_dvc.stdout = "{}"
    assert chronicle_cli("status").stdout == "up to date\n"


def test_status_passes_a_dvc_failure_through(project, fake_dvc):
    fake_dvc.returncode = 255
    result = chronicle_cli("status")
    assert result.exit_code == 255
    assert result.stderr.startswith("chronicle status: error: dvc status failed (exit 255)")


def test_an_unknown_scorer_is_one_line_naming_the_known_ones():
    result = chronicle_cli("evaluate", "bleu")
    assert result.exit_code == 2
    assert result.stderr == (
        "chronicle evaluate: error: unknown scorer 'bleu'; expected one of "
        "event_dating, event_groups, event_types, narrative, ner, tempeval\n"
    )


def test_evaluate_reproduces_the_scorers_dvc_stages(project, fake_dvc):
    assert chronicle_cli("evaluate", "tempeval").exit_code == 0
    assert chronicle_cli("evaluate", "ner", "-f").exit_code == 0
    assert fake_dvc.commands == [
        [sys.executable, "-m", "dvc", "repro", "evaluate_tempeval"],
        [sys.executable, "-m", "dvc", "repro", "--force", "evaluate_ner"],
    ]


@pytest.fixture
def dvc_project(tmp_path, monkeypatch) -> Path:
    """A DVC project with the real dvc.yaml, its gold data in `gold/` (params.yaml)."""
    from dvc.repo import Repo

    (tmp_path / "dvc.yaml").write_text((PROJECT / "dvc.yaml").read_text())
    (tmp_path / "params.yaml").write_text(
        (PROJECT / "params.yaml").read_text().replace("data: ../shared/data", "data: gold")
    )
    monkeypatch.setenv("DVC_NO_ANALYTICS", "1")
    monkeypatch.chdir(tmp_path)
    Repo.init(str(tmp_path), no_scm=True).close()
    return tmp_path


def test_evaluate_with_gold_runs_the_scorer_with_dvc_yamls_other_arguments(
    dvc_project, monkeypatch
):
    from pipeline.evaluation import evaluate_tempeval

    calls: list[list[str]] = []
    monkeypatch.setattr(evaluate_tempeval, "main", lambda argv: calls.append(argv) or 0)
    (dvc_project / "mine").mkdir()
    result = chronicle_cli("evaluate", "tempeval", "--gold", "mine", "--out", "mine.json")
    assert result.exit_code == 0, result.output
    assert chronicle_cli("evaluate", "tempeval", "--gold", "mine").exit_code == 0
    assert calls == [
        ["--baseline", "spacy", "--gold", "mine", "--out", "mine.json"],
        ["--baseline", "spacy", "--gold", "mine"],  # printed, dvc.yaml's metrics left alone
    ]
    result = chronicle_cli("evaluate", "tempeval", "--out", "mine.json")
    assert result.exit_code == 1
    assert result.stderr == (
        "chronicle evaluate: error: dvc.yaml gives the tempeval scorer 2 gold sets "
        "(evaluate_tempeval@platinum, evaluate_tempeval@train); give --gold with --out\n"
    )
    assert (
        "--gold absent: no such file or folder"
        in chronicle_cli("evaluate", "tempeval", "--gold", "absent").stderr
    )


def test_evaluate_with_out_alone_rescores_dvc_yamls_gold_set(dvc_project, monkeypatch):
    from pipeline.evaluation import evaluate_event_types

    calls: list[list[str]] = []
    monkeypatch.setattr(evaluate_event_types, "main", lambda argv: calls.append(argv) or 0)
    assert chronicle_cli("evaluate", "event_types", "--out", "types.json").exit_code == 0
    assert calls == [["--gold", "gold/events/plover/PLOVER_GSR_CAMEO.txt", "--out", "types.json"]]
