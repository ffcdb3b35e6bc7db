"""The printed order of a POK, shared by the synthetic SAKTI Excel reports (Form POK,
printed Form Cetak POK, GLP039): each level's line where its path begins, then the item."""
from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from .. import schema

LEVELS = schema.LEVELS[:-1]      # the level lines above the items


def lines(p: pd.DataFrame) -> Iterator[tuple[object, pd.Series, str | None, pd.DataFrame]]:
    """(index, item row, level, rows summed on the line) in printed order: a level's line
    where its code path changes (an empty subkomponen has none), then the item's own
    (level None, its one row). `p`: sorted by the level codes, empty codes as ""."""
    keys = [f"kode_{lv}" for lv in LEVELS]
    groups = {k: p.groupby(keys[:k + 1], sort=False) for k in range(len(LEVELS))}
    prev: tuple = ()
    for i, it in p.iterrows():
        at = tuple(it[k] for k in keys)
        for k, lv in enumerate(LEVELS):
            if prev[:k + 1] == at[:k + 1] or (lv == "subkomponen" and at[k] == ""):
                continue
            yield i, it, lv, groups[k].get_group(at[:k + 1])
        prev = at
        yield i, it, None, p.loc[[i]]
