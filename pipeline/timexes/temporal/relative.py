"""What the relative rule families share: a determiner's direction, and the period n steps away.

"last month" is the month before the reference's, "next year" the year after; a reference too
coarse for the period ("last month" against "1964") gives the part it knows and X ("1964-XX").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pipeline.timexes.temporal import normalise as nm
from pipeline.timexes.temporal.expr import Res
from pipeline.timexes.temporal.normalise import Ctx, Ref


def direction(det: str) -> int:
    """-1 for a determiner that looks back ("last", "the previous"), 1 forward ("next"), else 0."""
    d = det.lower()
    if any(w in d for w in ("last", "past", "previous", "preceding", "prior")):
        return -1
    if any(w in d for w in ("next", "following", "coming")):
        return 1
    return 0


_UNIT_OF_GRAN = {
    "day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y", "decade": "DE",
    "century": "CE",
}  # fmt: skip


def rel_unit_value(ref: Ref | None, gran: str, n: int, weekend: bool = False) -> str:
    """Value of the `gran` period `n` steps from the reference ("last month": n=-1)."""
    if ref is None:
        return nm.mask(rel_unit_value(Ref(dt.date(2000, 6, 15), "day", ""), gran, n, weekend))
    if gran in ("decade", "century"):
        if nm.RANK[ref.precision] > nm.RANK[gran]:
            return nm.partial(ref, gran)
        d = nm.shift_date(ref.date, _UNIT_OF_GRAN[gran], n)
        return nm.render(d, gran) if d else nm.beyond_calendar(ref, gran)
    if not nm.knows(ref, gran):
        return nm.partial(ref, gran)
    d = nm.shift_date(ref.date, _UNIT_OF_GRAN[gran], n)
    if d is None:
        return nm.beyond_calendar(ref, gran)
    out = nm.render(d, gran)
    return out + "-WE" if weekend and gran == "week" else out


def anchored_duration(value: str, unit: str, steps: int) -> Callable[[Ctx], Res]:
    """Resolver of a duration laid from the reference, its interval `steps` units away.

    "The past three years" ends at the reference, "within two years" starts there.
    """

    def resolve(ctx: Ctx) -> Res:
        ref = ctx.ref
        if ref is None:
            return Res(value)
        other = nm.shift_date(ref.date, unit, steps)
        if other is None:
            return Res(value)
        a, b = sorted((ref.date, other))
        return Res(value, (a, b, ref.precision))

    return resolve
