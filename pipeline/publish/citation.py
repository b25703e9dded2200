"""How to cite the dataset, in words and as BibTeX (the card and croissant.json give both)."""

from __future__ import annotations

from pipeline.publish.dataset import DATASET_NAME, DATASET_TITLE, DATASET_VERSION
from pipeline.publish.provenance import Provenance


def citation(provenance: Provenance, creator: str, homepage: str = "") -> str:
    """How to cite the dataset, in words."""
    year = f" ({provenance.year})" if provenance.year else ""
    inputs = f", inputs {provenance.inputs_sha256[:12]}" if provenance.inputs_sha256 else ""
    where = f". {homepage}" if homepage else ""
    return f"{creator}{year}. {DATASET_TITLE}. Dataset, version {DATASET_VERSION}{inputs}{where}."


def bibtex(provenance: Provenance, creator: str, homepage: str = "") -> str:
    """How to cite the dataset, as a BibTeX entry."""
    key = f"{DATASET_NAME}_{DATASET_VERSION.replace('.', '_')}"
    lines = [
        f"@misc{{{key},",
        f"  author = {{{{{creator}}}}},",
        f"  title = {{{DATASET_TITLE}}},",
        f"  version = {{{DATASET_VERSION}}},",
    ]
    if provenance.year:
        lines.append(f"  year = {{{provenance.year}}},")
    if provenance.inputs_sha256:
        lines.append(f"  note = {{Dataset; raw inputs digest {provenance.inputs_sha256}}},")
    if homepage:
        lines.append(f"  url = {{{homepage}}},")
    lines.append("}")
    return "\n".join(lines)
