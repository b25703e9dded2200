"""A 50 MB document: ingest keeps it (no too_long) and memory grows with it, not with the corpus.

The ingest stage runs as its own process, as DVC runs it, and its peak resident memory is read
from the operating system (wait4). The floor is the same stage on one short document. The
whole pipeline runs on a 3 MB document here; the 50 MB one is `benchmarks/large_document.py`
(about nine minutes on 2 cores).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from benchmarks.ingest_memory import english_text
from benchmarks.large_document import build
from tests.support.helpers import PROJECT

pytestmark = pytest.mark.slow

SAMPLE = PROJECT / "raw" / "cuban-missile-crisis-reconsidered.txt"
MB = 1 << 20


PEAK_RSS = """
import atexit, runpy
def peak():
    with open("/proc/self/status") as status:
        print(next(line for line in status if line.startswith("VmHWM:")).split()[1])
atexit.register(peak)
runpy.run_module("pipeline.ingest", run_name="__main__")
"""
"""Run the ingest stage and print its peak RSS in kB as the kernel counts it for this program
(VmHWM). getrusage/wait4 would not do: a child forked from a large pytest process inherits the
parent's peak in ru_maxrss."""


def ingest_peak_mb(folder: Path, files: dict[str, bytes]) -> float:
    """Run the ingest stage on `files` in `folder`; its peak RSS in MB."""
    if not Path("/proc/self/status").exists():
        pytest.skip("peak memory is read from /proc (Linux)")
    raw = folder / "raw"
    raw.mkdir(parents=True)
    for name, data in files.items():
        (raw / name).write_bytes(data)
    (folder / "params.yaml").write_text(
        yaml.safe_dump({"ingest": {"manifest": "raw/manifest.csv", "batch_size": 64}})
    )
    result = subprocess.run(
        [sys.executable, "-c", PEAK_RSS],
        cwd=folder,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(PROJECT)),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return int(result.stdout.split()[-1]) / 1024


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> float:
    """Peak RSS of ingest on one short document: the interpreter, its libraries and models."""
    return ingest_peak_mb(tmp_path_factory.mktemp("floor"), {"a.txt": SAMPLE.read_bytes()})


def test_a_50_mb_document_is_kept_and_costs_memory_in_proportion(floor, tmp_path):
    data = english_text(50 * MB)
    peak = ingest_peak_mb(tmp_path, {"book.txt": data})
    texts = pq.read_table(tmp_path / "data" / "interim" / "ingest" / "texts.parquet")
    rejects = pq.read_table(tmp_path / "data" / "interim" / "ingest" / "rejects.parquet")
    assert texts.num_rows == 1 and rejects.num_rows == 0
    n_chars = texts.column("n_chars")[0].as_py()
    assert n_chars > 50_000_000  # accepted whole (the old 1M-character limit rejected it)
    assert texts.column("text")[0].as_py().startswith("Part 0.\n\nIt is worth reflecting")
    # Python holds this text as 2 bytes a character (it has dashes), and each repair makes a
    # new copy; the bound says memory is a small multiple of the document, nothing more.
    assert peak - floor < 12 * len(data) / MB, (peak, floor)


def corpus(n_docs: int) -> dict[str, bytes]:
    """`n_docs` different documents of about 100 kB each."""
    return {f"doc{i:04}.txt": english_text(100 * 1024, seed=1000 * i) for i in range(n_docs)}


def test_memory_does_not_grow_with_the_corpus(tmp_path):
    # 112 MB more text: a stage holding it would be caught; the allocator's own high-water
    # mark, which moves by a few tens of MB from run to run, would not be taken for it
    small, large = corpus(160), corpus(1280)
    extra_mb = (sum(map(len, large.values())) - sum(map(len, small.values()))) / MB
    peak_small = ingest_peak_mb(tmp_path / "small", small)
    peak_large = ingest_peak_mb(tmp_path / "large", large)
    texts = pq.ParquetFile(tmp_path / "large" / "data" / "interim" / "ingest" / "texts.parquet")
    assert texts.metadata.num_rows == 1280
    assert texts.metadata.num_row_groups == 20  # batches of ingest.batch_size=64 documents
    assert peak_large - peak_small < extra_mb / 2, (peak_small, peak_large, extra_mb)


def test_a_long_document_through_the_whole_pipeline(tmp_path):
    # Long enough to be parsed in 30 segments (nlp.max_segment_chars is 100,000) and streamed
    # stage by stage as the 50 MB book of `python -m benchmarks.large_document` is.
    built = build(tmp_path, 3 * MB)
    assert built.returncode == 0, built.output[-3000:]
    documents = pq.read_table(built.repo / "outputs" / "documents.parquet").to_pandas()
    book = documents.set_index("path").loc["book.txt"]
    assert book["n_chars"] > 3_000_000
    copies = book["text"].count("Khrushchev was replaced by")
    assert copies > 500
    assert book["n_sentences"] >= 37 * copies  # every copy of the essay is split
    timexes = pq.read_table(
        built.repo / "outputs" / "timexes.parquet", columns=["doc_id", "text", "value"]
    ).to_pylist()
    march = [
        t["value"] for t in timexes if t["doc_id"] == book["doc_id"] and t["text"] == "March 1962"
    ]
    assert len(march) == book["text"].count("March 1962") and set(march) == {"1962-03"}
    assert built.largest_mb < 1536, f"a stage peaked at {built.largest_mb:.0f} MB"
