"""`chronicle`: the common chores of a Chronicle project from one command.

Run it from the project folder (where params.yaml is): every command takes its folders from
params.yaml `paths`. `validate` and `summary` also work on any folder of published tables,
Parquet or CSV copies. Importing this package loads neither spaCy, DVC nor Dask: each
command imports what it needs when it runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from pipeline.cli.add import add
from pipeline.cli.repro import evaluate, run, status
from pipeline.cli.tables import summary, validate
from pipeline.core.config import DEFAULT_PARAMS


def show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """`chronicle --version`: the package's version and the dataset contract's."""
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import PackageNotFoundError, version

    from schemas import SCHEMA_VERSION

    try:
        package = version("chronicle")
    except PackageNotFoundError:
        package = "(not installed)"
    click.echo(f"chronicle {package}, dataset contract {SCHEMA_VERSION}")
    ctx.exit()


class Commands(click.Group):
    """The commands, listed in the order of the work rather than alphabetically."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The command names, in the order they were added."""
        return list(self.commands)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--params",
    "params_file",
    type=click.Path(path_type=Path),
    default=DEFAULT_PARAMS,
    show_default=True,
    help="The params file the commands read their folders from (DVC reads params.yaml).",
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=show_version,
    help="Show the package and dataset contract versions and exit.",
)
def chronicle(params_file: Path) -> None:
    """Chronicle: raw text to a dataset of documents, entities and dated events."""


for command in (add, run, status, validate, summary, evaluate):
    chronicle.add_command(command)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line (the `chronicle` console script); exits with the command's code."""
    chronicle.main(args=argv, prog_name="chronicle")
