"""Row-level problems found while reading or validating input, and the error that carries them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int | None      # 1-based line of the file as a user sees it (header = line 1)
    column: str | None
    message: str         # Bahasa Indonesia

    def __str__(self) -> str:
        return f"{self.file}:{self.row if self.row is not None else '-'}: {self.column or '-'}: {self.message}"


class IngestError(Exception):
    """Input refused; the store was not touched. `problems` lists every one found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class AksesDitolak(PermissionError):
    """A query for a scope the current user may not see."""
