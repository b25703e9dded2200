"""MLCommons Croissant 1.0 metadata (croissant.json) for the Parquet files.

One file object per table, with its size and sha256, and one record set per table, with its
primary key and a field per column described from the pandera models.
"""

from __future__ import annotations

from typing import Any

import pandera.pandas as pandera

from pipeline.core.release import parquet_path
from pipeline.publish.citation import bibtex
from pipeline.publish.dataset import (
    DATASET_DESCRIPTION,
    DATASET_NAME,
    DATASET_VERSION,
    KEYWORDS,
    LICENCE,
    PARQUET_MEDIA_TYPE,
)
from pipeline.publish.provenance import Provenance
from schemas import TABLES, Table, columns, logical_type

CROISSANT_TYPES = {
    "str": "sc:Text",
    "int64": "sc:Integer",
    "float64": "sc:Float",
    "bool": "sc:Boolean",
    "date": "sc:Date",
    "list<string>": "sc:Text",
}

CROISSANT_CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
    "equivalentProperty": "cr:equivalentProperty",
    "samplingRate": "cr:samplingRate",
}
"""The JSON-LD context of Croissant 1.0, as the reference implementation (mlcroissant) has it."""


def file_object(table: Table, files: dict[str, tuple[int, str]]) -> dict[str, Any]:
    """A table's Parquet file, with its size and sha256 from `files` (by path under outputs/)."""
    path = parquet_path(table.name)
    size, sha256 = files[path]
    return {
        "@type": "cr:FileObject",
        "@id": path,
        "name": path,
        "description": f"The {table.name} table as Parquet.",
        "contentUrl": path,
        "encodingFormat": PARQUET_MEDIA_TYPE,
        "sha256": sha256,
        "contentSize": f"{size} B",
    }


def _croissant_field(table: Table, column: pandera.Column) -> dict[str, Any]:
    """A column as a Croissant field, extracted from its table's Parquet file."""
    kind = logical_type(column)
    field: dict[str, Any] = {
        "@type": "cr:Field",
        "@id": f"{table.name}/{column.name}",
        "name": column.name,
        "description": column.description or "",
        "dataType": CROISSANT_TYPES[kind],
        "source": {
            "fileObject": {"@id": parquet_path(table.name)},
            "extract": {"column": column.name},
        },
    }
    if kind == "list<string>":
        field["repeated"] = True
    return field


def record_set(table: Table) -> dict[str, Any]:
    """A table as a Croissant record set: its primary key and a field per column."""
    return {
        "@type": "cr:RecordSet",
        "@id": table.name,
        "name": table.name,
        "description": table.description,
        "key": [{"@id": f"{table.name}/{k}"} for k in table.primary_key],
        "field": [_croissant_field(table, c) for c in columns(table)],
    }


def croissant(
    provenance: Provenance,
    files: dict[str, tuple[int, str]],
    creator: str = "Chronicle contributors",
    homepage: str = "",
) -> dict[str, Any]:
    """MLCommons Croissant 1.0 metadata for the Parquet files: one record set per table.

    Each record set states its primary key (`key`). Foreign keys are left to
    datapackage.json (and named in each column's description): with Croissant `references`
    on participants.event_id, mlcroissant 1.1 fails to generate the participants records (its
    Join receives a generator), and every record set should load with the reference tool.
    """
    metadata: dict[str, Any] = {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "name": DATASET_NAME,
        "description": DATASET_DESCRIPTION,
        "license": LICENCE["path"],
        "url": homepage or "README.md",
        "version": DATASET_VERSION,
        "keywords": list(KEYWORDS),
        "inLanguage": "en",
        "creator": {"@type": "sc:Organization", "name": creator},
        "citeAs": bibtex(provenance, creator, homepage),
        "distribution": [file_object(t, files) for t in TABLES.values()],
        "recordSet": [record_set(t) for t in TABLES.values()],
    }
    if provenance.date_published:
        metadata["datePublished"] = provenance.date_published
    return metadata
