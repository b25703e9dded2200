"""What the dataset is, in the words every generated document shares.

Its name, title, description, version, licence and keywords, and the note on CSV safety, are
written here once and used by the Data Package, the Croissant metadata, the data dictionary,
the dataset card and the report, so that they cannot say different things.
"""

from __future__ import annotations

from schemas import SCHEMA_VERSION

DATASET_NAME = "chronicle"
DATASET_TITLE = "Chronicle: entities and dated events extracted from text"
DATASET_DESCRIPTION = (
    "Documents, named-entity mentions, canonical entities, temporal expressions normalised to "
    "TimeML, and dated events with their participants, extracted from the texts in raw/ by the "
    "Chronicle pipeline. Every span carries character offsets into its document's text."
)
DATASET_VERSION = SCHEMA_VERSION
"""The dataset's semver is its contract's: it bumps when a table or column changes (see
CHANGELOG.md). A release of new data under the same contract is told apart by the digest of
its raw inputs (on the card) and by the sha256 of each file, listed in datapackage.json and
croissant.json."""

LICENCE = {
    "name": "ODC-BY-1.0",
    "path": "https://opendatacommons.org/licenses/by/1-0/",
    "title": "Open Data Commons Attribution License 1.0",
}
KEYWORDS = (
    "events",
    "named entities",
    "temporal expressions",
    "TimeML",
    "timeline",
    "information extraction",
    "spaCy",
)

PARQUET_MEDIA_TYPE = "application/x-parquet"
"""The Parquet media type Croissant (mlcroissant) recognises."""

CSV_SAFETY_NOTE = (
    "In the CSV copies, a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage "
    "return is written with a leading single quote (`'`), so that spreadsheet programs show it "
    "as text instead of running it as a formula (OWASP: CSV injection). So is a cell that "
    "already begins with quotes followed by one of those characters, which makes the change "
    "reversible: to get the exact value back, drop the first `'` of a cell that begins with "
    "`'` when the characters after its leading quotes begin with one of them "
    '(`pipeline.load.load(..., format="csv")` does this). The Parquet files hold the exact '
    "values and are not changed."
)
