"""Row-level problems found while reading or validating input, and the error that carries them."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Characters that would break "one problem, one line" or a UTF-8 terminal: C0/C1 controls,
# line/paragraph separators, and lone surrogates (Python's stand-in for the undecodable
# bytes of a non-UTF-8 file name).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(m: re.Match) -> str:
    c = m.group()
    if "\udc80" <= c <= "\udcff":          # surrogateescape: the original byte
        return f"\\x{ord(c) - 0xdc00:02x}"
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c, f"\\u{ord(c):04x}" if ord(c) > 0xff
                                                        else f"\\x{ord(c):02x}")


def safe_text(text) -> str:
    """`text` printable on one line of a UTF-8 terminal or log: control characters,
    line breaks and undecodable file-name bytes written as escapes (`\\n`, `\\xff`)."""
    text = str(text)
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int | None      # 1-based line of the file as a user sees it (header = line 1)
    column: str | None
    message: str         # Bahasa Indonesia

    def __str__(self) -> str:
        # One problem is one line, whatever the file name, header or cell holds.
        return (f"{safe_text(self.file)}:{self.row if self.row is not None else '-'}: "
                f"{safe_text(self.column or '-')}: {safe_text(self.message)}")


class IngestError(Exception):
    """Input refused; the store was not touched. `problems` lists every one found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class StoreSedangDipakai(RuntimeError):
    """The store file is locked by another process (DuckDB allows one writer)."""


class StoreTidakSah(RuntimeError):
    """The store path is not a DuckDB database (a CSV given as --store …)."""


class AksesDitolak(PermissionError):
    """A query for a scope the current user may not see."""
