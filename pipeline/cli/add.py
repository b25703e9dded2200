"""`chronicle add`: copy documents into `paths.raw` and describe them in the manifest."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path, PurePosixPath

import click

from pipeline.cli.common import CliError, Command, params
from pipeline.core.progress import progress
from schemas.vocabularies import ANCHOR_MODES


def read_manifest_rows(manifest: Path) -> list[dict[str, str]]:
    """The manifest's rows (none when there is no manifest yet, or an empty one).

    It is read as ingest reads it: a link, a folder, text that is not UTF-8, unknown columns or
    a stray double quote stop `add` with one line, before it rewrites the manifest (rewriting
    a manifest whose quote swallowed later rows would lose those rows for good).
    """
    from pipeline.ingest.manifest import manifest_exists, manifest_rows, read_manifest_text
    from pipeline.ingest.report import RejectError

    try:
        if not manifest_exists(manifest) or not manifest.read_bytes().strip():
            return []
        text, _ = read_manifest_text(manifest)
        return [{k: v or "" for k, v in row.items()} for _, _, row in manifest_rows(manifest, text)]
    except RejectError as err:
        raise CliError(err.detail) from err


def write_manifest_rows(manifest: Path, rows: list[dict[str, str]]) -> None:
    """Rewrite the manifest atomically with every known column."""
    from pipeline.core.io import atomic_open
    from pipeline.ingest.manifest import MANIFEST_COLUMNS

    with atomic_open(manifest) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(MANIFEST_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: row.get(c, "") for c in MANIFEST_COLUMNS} for row in rows)


def manifest_row(relative: str, described: dict[str, str | None]) -> dict[str, str]:
    """The manifest row for one added file, checked as ingest will check it."""
    from pipeline.ingest.manifest import parse_manifest_row
    from pipeline.ingest.report import RejectError

    row = {"path": relative, **{k: v or "" for k, v in described.items()}}
    try:
        parse_manifest_row(row)
    except RejectError as err:
        raise CliError(f"--published/--anchor-mode for {err.detail}") from err
    return row


NEWS_WITHOUT_DATE = (
    "{path}: news mode resolves relative dates ('yesterday', 'last Tuesday') against the "
    "publication date, and none is given: {fix}"
)
"""Such a document's relative dates stay unresolved (XXXX-XX-XX) and date no event."""


def check_news_dates(rows: list[dict[str, str]], default_anchor_mode: str) -> None:
    """Refuse a row in news mode without `published`; warn when news is only the default."""
    for row in rows:
        if row.get("published"):
            continue
        if row.get("anchor_mode") == "news":
            fix = "add --published YYYY-MM-DD, or use --anchor-mode narrative"
            raise CliError(NEWS_WITHOUT_DATE.format(path=row["path"], fix=fix))
        if not row.get("anchor_mode") and default_anchor_mode == "news":
            fix = "add --published YYYY-MM-DD (ingest.default_anchor_mode is news)"
            click.echo("warning: " + NEWS_WITHOUT_DATE.format(path=row["path"], fix=fix), err=True)


def check_sources(sources: list[Path]) -> None:
    """Refuse, before copying anything, a file that is missing or that ingest would reject."""
    from pipeline.ingest.discover import MEDIA_TYPE_BY_SUFFIX

    for source in sources:
        if not source.is_file():
            raise CliError(f"{source}: no such file")
        if source.suffix.lower() not in MEDIA_TYPE_BY_SUFFIX:
            raise CliError(
                f"{source}: Chronicle reads {', '.join(sorted(MEDIA_TYPE_BY_SUFFIX))} files; "
                "this one would be rejected (unsupported_type)"
            )


def same_content(a: Path, b: Path) -> bool:
    """Whether two files hold the same bytes."""
    return a.read_bytes() == b.read_bytes()


@click.command(cls=Command)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--title", help="The document's title.")
@click.option("--source-url", help="Where the document was found.")
@click.option("--published", help="Publication date, YYYY-MM-DD.")
@click.option("--licence", help="The document's licence.")
@click.option(
    "--anchor-mode",
    type=click.Choice(ANCHOR_MODES),
    help="What relative dates anchor to: the publication date (news) or the story's own dates.",
)
@click.option("--into", default=".", help="Subfolder of the raw folder to copy into.")
@click.option("--force", is_flag=True, help="Replace a different file of the same name.")
@click.pass_context
def add(
    ctx: click.Context, files: tuple[Path, ...], into: str, force: bool, **described: str | None
) -> None:
    """Copy documents into the raw folder and describe them.

    FILES (.txt, .md, .html) are copied into params.yaml `paths.raw` (into its subfolder
    --into, if given) and described in the manifest, `ingest.manifest`. Adding a file again
    changes only the fields given.
    """
    settings = params(ctx)
    raw, manifest = settings.paths.raw, settings.ingest.manifest
    folder = PurePosixPath(into)
    if folder.is_absolute() or ".." in folder.parts:
        raise CliError(f"--into {into}: must be a folder inside {raw}/")
    sources = list(files)
    check_sources(sources)
    plan = [(source, (folder / source.name).as_posix()) for source in sources]
    new_rows = {relative: manifest_row(relative, described) for _, relative in plan}
    for source, relative in plan:
        target = raw / relative
        if target.exists() and not force and not same_content(source, target):
            raise CliError(f"{target} exists with other content; use --force to replace it")
    rows = read_manifest_rows(manifest)
    by_path = {row["path"]: row for row in rows}
    for relative, row in new_rows.items():
        if relative in by_path:
            by_path[relative].update({k: v for k, v in row.items() if v})
        else:
            rows.append(row)
            by_path[relative] = row
    check_news_dates(
        [by_path[relative] for relative in new_rows], settings.ingest.default_anchor_mode
    )
    added = 0
    for source, relative in progress(plan, len(plan), "adding", "file"):
        target = raw / relative
        if not target.exists() or not same_content(source, target):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            added += 1
    write_manifest_rows(manifest, rows)
    click.echo(
        f"{added} file(s) copied into {raw}/, {len(sources)} described in {manifest}. "
        "Next: chronicle run"
    )
