"""`chronicle run`, `status` and `evaluate`: the DVC pipeline, driven from one command."""

from __future__ import annotations

import importlib
import json
import pkgutil
import shlex
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from pipeline import evaluation
from pipeline.cli.common import CliError, Command, params, pass_through, run_dvc
from pipeline.cli.tables import available_format, format_summary, summarise
from pipeline.core.config import check_inputs

SCORERS = tuple(
    sorted(
        module.name.removeprefix("evaluate_")
        for module in pkgutil.iter_modules(evaluation.__path__)
        if module.name.startswith("evaluate_")
    )
)
"""The scorers, from the modules `pipeline.evaluation.evaluate_NAME`."""


def repro(targets: Iterable[str], force: bool) -> None:
    """`dvc repro` the targets (every stage if none); stop with DVC's exit code if it fails."""
    pass_through(run_dvc("repro", *(["--force"] if force else []), *targets), "dvc repro")


@click.command(cls=Command)
@click.argument("stages", nargs=-1)
@click.option("-f", "--force", is_flag=True, help="Re-run even the stages that are up to date.")
@click.pass_context
def run(ctx: click.Context, stages: tuple[str, ...], force: bool) -> None:
    """Build the dataset (dvc repro), then summarise it.

    Runs `dvc repro [--force] [STAGES]` (default: every stage), then summarises params.yaml
    `paths.outputs` once it holds every table. When DVC fails, exits with DVC's exit code;
    when manifest rows could not be used (the summary lists them), exits with 1.
    """
    from schemas import TABLES

    check_inputs(params(ctx))
    repro(stages, force)
    outputs = params(ctx).paths.outputs
    if all(available_format(outputs, name) for name in TABLES):
        summary = summarise(outputs)
        click.echo()
        click.echo(format_summary(summary))
        if summary.manifest_problems:
            raise CliError(f"{len(summary.manifest_problems)} manifest row(s) could not be used")


STATUS_WORDS = {
    "changed deps": "inputs changed",
    "changed outs": "outputs changed",
    "always changed": "always runs",
    "changed checksum": "its definition in dvc.yaml changed",
    "changed command": "its command in dvc.yaml changed",
}
"""`dvc status` words in plain ones."""


def listed(names: list[str], most: int = 3) -> str:
    """`a, b, c and 4 more`."""
    if len(names) <= most:
        return ", ".join(names)
    return f"{', '.join(names[:most])} and {len(names) - most} more"


def changes(found: dict[str, Any]) -> Iterator[str]:
    """`path (modified)`, or `param (modified)` for a params file's keys."""
    for path, state in found.items():
        if isinstance(state, dict):
            yield from (f"{key} ({value})" for key, value in state.items())
        else:
            yield f"{path} ({state})"


def stage_line(stage: str, entries: Iterable[str | dict[str, Any]]) -> str:
    """One stage of `dvc status --json`, in words."""
    reasons = []
    for entry in entries:
        if isinstance(entry, str):
            reasons.append(STATUS_WORDS.get(entry, entry))
            continue
        for kind, found in entry.items():
            reasons.append(f"{STATUS_WORDS.get(kind, kind)}: {listed(list(changes(found)))}")
    return f"{stage} would re-run: {'; '.join(reasons)}"


@click.command(cls=Command)
def status() -> None:
    """Which stages `run` would re-run, and why.

    Reads `dvc status --json` and prints one line per stage whose code, params or data
    changed, or "up to date".
    """
    result = run_dvc("status", "--json", capture=True)
    pass_through(result, "dvc status")
    stages = json.loads(result.stdout or "{}")
    for stage, entries in stages.items():
        click.echo(stage_line(stage, entries))
    click.echo(f"{len(stages)} stage(s) would re-run: chronicle run" if stages else "up to date")


class Scorer(click.Choice):
    """A scorer's name; an unknown one is a one-line error that lists the known ones."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """The name, checked."""
        if value not in self.choices:
            raise CliError(f"unknown scorer {value!r}; expected one of {', '.join(SCORERS)}", 2)
        return value


def dvc_arguments(name: str) -> list[tuple[str, list[str]]]:
    """The scorer's stages in dvc.yaml and the arguments their commands give it.

    A stage is `evaluate_NAME`, or `evaluate_NAME@ITEM` for each gold set of a foreach stage.
    """
    from dvc.exceptions import DvcException
    from dvc.repo import Repo

    try:
        with Repo() as repo:
            stages = repo.stage.collect(f"evaluate_{name}")
    except DvcException as err:
        raise CliError(f"dvc.yaml: {err}; run from the project folder") from err
    found = []
    for stage in stages:
        command = shlex.split(stage.cmd)
        if command[1:3] != ["-m", f"pipeline.evaluation.evaluate_{name}"]:
            raise CliError(f"dvc.yaml: {stage.addressing} does not run the {name} scorer")
        found.append((stage.addressing, command[3:]))
    return found


def with_option(arguments: list[str], option: str, value: Path | None) -> list[str]:
    """`arguments` with `option`'s value replaced by `value` (the option left out if None)."""
    kept: list[str] = []
    pairs = iter(arguments)
    for argument in pairs:
        if argument == option:
            next(pairs, None)
        elif not argument.startswith(f"{option}="):
            kept.append(argument)
    return kept + ([option, str(value)] if value is not None else [])


def scorer_arguments(name: str, gold: Path | None, out: Path | None) -> list[str]:
    """dvc.yaml's arguments for the scorer, with the user's --gold and --out instead of its."""
    stages = dvc_arguments(name)
    if gold is None and len(stages) != 1:
        raise CliError(
            f"dvc.yaml gives the {name} scorer {len(stages)} gold sets "
            f"({', '.join(s for s, _ in stages)}); give --gold with --out"
        )
    if gold is not None and not gold.exists():
        raise CliError(f"--gold {gold}: no such file or folder")
    arguments = stages[0][1]
    if gold is not None:
        arguments = with_option(arguments, "--gold", gold)
    return with_option(arguments, "--out", out)


@click.command(cls=Command)
@click.argument("name", type=Scorer(SCORERS))
@click.option("--gold", type=click.Path(path_type=Path), help="Gold data to score against.")
@click.option("--out", type=click.Path(path_type=Path), help="Write the metrics as JSON here.")
@click.option("-f", "--force", is_flag=True, help="Re-score even if up to date (dvc repro only).")
@click.pass_context
def evaluate(
    ctx: click.Context, name: str, gold: Path | None, out: Path | None, force: bool
) -> None:
    """Score the pipeline against gold data with the scorer NAME.

    Without --gold or --out: `dvc repro evaluate_NAME`, every gold set dvc.yaml lists for
    the scorer (e.g. evaluate_tempeval@platinum and @train) with dvc.yaml's arguments; the
    metrics go to metrics/ and dvc.lock, and gold sets already scored are skipped.

    With --gold: the scorer runs here on that gold data, with dvc.yaml's other arguments, and
    prints its metrics (and writes them to --out if given). --out alone re-scores dvc.yaml's
    gold set into another file (a scorer with several gold sets also needs --gold).
    """
    if gold is None and out is None:
        repro([f"evaluate_{name}"], force)
        return
    scorer = importlib.import_module(f"pipeline.evaluation.evaluate_{name}")
    ctx.exit(scorer.main(scorer_arguments(name, gold, out)))
