"""What the commands share: one-line errors, the params file, and running DVC."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import IO, Any

import click

from pipeline.core.config import Params, ParamsError, load_params


class CliError(click.ClickException):
    """A problem told in one line, `chronicle COMMAND: error: ...`, without a traceback."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        context = click.get_current_context(silent=True)
        self.command = context.command_path if context else "chronicle"

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the one line on stderr."""
        click.echo(f"{self.command}: error: {self.format_message()}", file=file, err=True)


class Command(click.Command):
    """A command whose expected failures (bad params, a missing file) print one line."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, turning expected errors into a `CliError`."""
        try:
            return super().invoke(ctx)
        except (ParamsError, FileNotFoundError) as err:
            raise CliError(str(err)) from err


def params(ctx: click.Context) -> Params:
    """The parameters from the params file given to `chronicle --params` (params.yaml)."""
    return load_params(ctx.find_root().params["params_file"])


def dvc_command(*args: str) -> list[str]:
    """The command line that runs DVC with this interpreter, so the project's DVC is used."""
    return [sys.executable, "-m", "dvc", *args]


def run_dvc(*args: str, capture: bool = False) -> subprocess.CompletedProcess:
    """Run DVC in the current folder; its messages go to the terminal (not stdout if `capture`)."""
    return subprocess.run(
        dvc_command(*args), stdout=subprocess.PIPE if capture else None, text=True
    )


def pass_through(result: subprocess.CompletedProcess, what: str) -> None:
    """Stop with DVC's own exit code, in one line, when it failed."""
    if result.returncode != 0:
        raise CliError(
            f"{what} failed (exit {result.returncode}); the messages above say which stage and why",
            exit_code=result.returncode,
        )


def output_folder(ctx: click.Context, folder: Path | None) -> Path:
    """The folder given, else `paths.outputs` from the params file; it must exist."""
    if folder is None:
        folder = params(ctx).paths.outputs
    if not folder.is_dir():
        raise CliError(f"{folder}: no such folder")
    return folder
