"""Source layouts as data: one YAML file per layout in `layouts/` says how a layout is
recognised, which columns it has (with the names sources write them under), their
kinds, which are required, and the canonical table it lands in (CONTRACT §1).

A reader keeps only what is format-specific (JSON envelope, XML, DBF, an Excel report's
title rows, SAKTI's header lines); a renamed or extra column of a known layout is a
change to its YAML file. Format of a file:

    name: sakti_dataang                 # as in messages and `spektra periksa`
    title: SAKTI ANG/dataAng — POK per item
    system: sakti                       # the source system (ingest log "layout")
    table: pok                          # canonical table it feeds
    recognise: {all: [KODE_AKUN, TOTAL], any: [POK_NILAI_1, CONS_ITEM]}
    fields:
      kode_satker: {from: [KDSATKER, KODE_SATKER]}       # kind text, required
      pagu: {from: [TOTAL], kind: amount}
      tahun: {from: [THANG], kind: int, required: false}

Header names are compared normalised (upper case; spaces, dots and dashes as `_`), so
`Kode Satker`, `kode_satker` and `KODE-SATKER` are one column. The first name in `from`
is what our writers write.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import pandas as pd

import yaml

from .. import schema

FOLDER = Path(__file__).with_name("layouts")
KINDS = {"text": schema.TEXT, "amount": schema.AMOUNT, "number": schema.NUMBER,
         "int": schema.INT, "date": schema.DATE}


def norm(name: str) -> str:
    """A header name as layouts compare it."""
    return re.sub(r"[\s.\-/]+", "_", str(name).strip().upper()).strip("_")


@dataclass(frozen=True)
class Field:
    name: str                    # canonical (or reader-internal) column name
    sources: tuple[str, ...]     # normalised header names, first = the one we write
    kind: str = schema.TEXT
    required: bool = True


@dataclass(frozen=True)
class Layout:
    name: str
    title: str
    system: str
    table: str
    all_of: tuple[str, ...]
    any_of: tuple[str, ...]
    fields: tuple[Field, ...]
    reader: str = ""              # "module:function" in sources/, for detect.read

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def _index(self, header) -> dict[str, str]:
        """normalised name -> header as written (the first of equals)."""
        out: dict[str, str] = {}
        for h in header:
            out.setdefault(norm(h), h)
        return out

    def matches(self, header) -> bool:
        have = set(self._index(header))
        return set(self.all_of) <= have and (not self.any_of or bool(set(self.any_of) & have))

    def score(self, header) -> float:
        """Recognition columns and required fields present, then their share: the
        nearest layout to an unknown header (ties go to the smaller layout)."""
        have = set(self._index(header))
        want = set(self.all_of) | {f.sources[0] for f in self.fields if f.required}
        hit = len(want & have) + sum(1 for f in self.fields if f.required
                                     and f.sources[0] not in have and set(f.sources) & have)
        return hit + hit / max(len(want), 1)

    def resolve(self, header) -> dict[str, tuple[str, str]]:
        """{field: (header as written, kind)} for the fields present: a spec for
        parse.parse_frame."""
        idx = self._index(header)
        out = {}
        for f in self.fields:
            for s in f.sources:
                if s in idx:
                    out[f.name] = (idx[s], f.kind)
                    break
        return out

    def spec(self, header) -> dict[str, tuple[str, str]]:
        """resolve() for every field; an absent one maps to its first source name (an
        all-empty column for parse_frame)."""
        got = self.resolve(header)
        return {f.name: got.get(f.name, (f.sources[0], f.kind)) for f in self.fields}

    def missing(self, header) -> list[str]:
        """Required fields absent from the header, by the name sources write them."""
        got = self.resolve(header)
        return [f.sources[0] for f in self.fields if f.required and f.name not in got]

    def write_names(self) -> dict[str, tuple[str, str]]:
        """{field: (header our writers write, kind)}."""
        return {f.name: (f.sources[0], f.kind) for f in self.fields}


def _parse(data: dict, origin: str) -> Layout:
    fields = []
    for name, spec in (data.get("fields") or {}).items():
        spec = spec or {}
        src = spec.get("from") or [name]
        src = [src] if isinstance(src, str) else src
        kind = spec.get("kind", "text")
        if kind not in KINDS:
            raise ValueError(f"{origin}: jenis kolom {kind!r} tidak dikenal untuk {name}")
        fields.append(Field(name, tuple(norm(s) for s in src), KINDS[kind],
                            bool(spec.get("required", True))))
    rec = data.get("recognise") or {}
    return Layout(name=data["name"], title=data.get("title", data["name"]),
                  system=data.get("system", ""), table=data.get("table", ""),
                  all_of=tuple(norm(c) for c in rec.get("all") or ()),
                  any_of=tuple(norm(c) for c in rec.get("any") or ()),
                  fields=tuple(fields), reader=data.get("reader", ""))


def all_layouts() -> tuple[Layout, ...]:
    """The package's layouts (sources/layouts/), and an agency's own in the folder
    SPEKTRA_LAYOUT names: a file there adds a layout, or replaces the package's layout of
    the same `name` (a variant of an export), without editing the package."""
    from ..settings import settings
    files = sorted(FOLDER.glob("*.yaml"))
    agency = settings().layout
    if agency:
        folder = Path(agency)
        if not folder.is_dir():
            raise ValueError(f"SPEKTRA_LAYOUT {folder}: folder tidak ada.")
        files += sorted(folder.glob("*.yaml"))
    return _layouts(tuple((p, p.stat().st_mtime_ns) for p in files))


@lru_cache(maxsize=8)
def _layouts(files: tuple) -> tuple[Layout, ...]:
    out: dict[str, Layout] = {}
    for p, _ in files:
        try:
            lay = _parse(yaml.safe_load(p.read_text(encoding="utf-8")) or {}, p.name)
        except (yaml.YAMLError, KeyError, TypeError, AttributeError) as e:
            raise ValueError(f"{p}: berkas layout tidak sah ({type(e).__name__}: {e}).") from None
        out[lay.name] = lay         # a later file (the agency's) replaces one of that name
    return tuple(out.values())


all_layouts.cache_clear = _layouts.cache_clear      # tests that edit a layout file


def load(name: str) -> Layout:
    for lay in all_layouts():
        if lay.name == name:
            return lay
    raise KeyError(f"layout tidak dikenal: {name}")


def recognise(header, systems: tuple[str, ...] | None = None) -> Layout | None:
    """The first layout (most recognition columns first) whose columns the header has."""
    cands = [lay for lay in all_layouts() if lay.all_of or lay.any_of]
    if systems:
        cands = [lay for lay in cands if lay.system in systems]
    cands.sort(key=lambda lay: -(len(lay.all_of) + bool(lay.any_of)))
    for lay in cands:
        if lay.matches(header):
            return lay
    return None


def nearest(header) -> tuple[Layout | None, list[str]]:
    """The known layout closest to a header nobody recognised, and what it lacks."""
    best = max(all_layouts(), key=lambda lay: lay.score(header), default=None)
    if best is None or best.score(header) == 0:
        return None, []
    idx = set(best._index(header))
    lack = [c for c in best.all_of if c not in idx] + best.missing(header)
    return best, list(dict.fromkeys(lack))


# -- what a reader may need beyond its file ------------------------------------------
@dataclass
class Context:
    """Set by detect.read for the readers of one ingest."""
    tahun: int | None = None                 # `--tahun`: for sources that carry no year
    notes: list[str] = dc_field(default_factory=list)
    # (kode_satker, item key text) -> tahun, no_item of items already in the store: keys
    # a realisasi-only export (SAKTI KODE_ITEM) whose dataAng came in an earlier ingest.
    stored_items: "Callable[[pd.DataFrame], pd.DataFrame] | None" = None
    stored_satker: "set[str] | None" = None   # kode_satker the store declares
    # `--satuan ribuan|rupiah`: the unit of an Excel report that does not state one
    satuan: str | None = None
    # the unit each Excel report was read in, for the store's satuan_sumber (dicts of
    # schema.SATUAN_SUMBER's columns)
    satuan_dibaca: list[dict] = dc_field(default_factory=list)
    # the months a file declares it covers (dicts of schema.CAKUPAN_SUMBER's columns)
    cakupan: list[dict] = dc_field(default_factory=list)
    # (kode_satker, tahun) whose SPP in the store came from a register (schema.SUMBER_TABEL):
    # PEM/realisasi yields no SPP rows for them
    stored_spp_register: "set[tuple[str, int]] | None" = None


def in_ingest() -> bool:
    """True inside detect.read (a reader may then leave notes for the user)."""
    return _CONTEXT.get(None) is not None


_CONTEXT: ContextVar[Context | None] = ContextVar("spektra_layout_context", default=None)


def context() -> Context:
    return _CONTEXT.get() or Context()


@contextmanager
def using(ctx: Context):
    token = _CONTEXT.set(ctx)
    try:
        yield ctx
    finally:
        _CONTEXT.reset(token)
