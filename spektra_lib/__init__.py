"""SPEKTRA: budget monitoring for an agency (see README.md and docs/architecture.md)."""
import importlib.abc
import importlib.util
import sys

# Analysts' own notebooks written before the page layer (issue 21) import
# `spektra_lib.present.notebook` (and link / widgets / saring): those names still open the
# page layer's modules. The package's own code and notebooks use spektra_lib.page.*.
_PINDAH = {f"spektra_lib.present.{m}": f"spektra_lib.page.{m}"
           for m in ("notebook", "link", "widgets", "saring")}


class _NamaLama(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        return importlib.util.spec_from_loader(name, self) if name in _PINDAH else None

    def create_module(self, spec):
        return importlib.import_module(_PINDAH[spec.name])

    def exec_module(self, module):
        pass


if not any(isinstance(f, _NamaLama) for f in sys.meta_path):
    sys.meta_path.append(_NamaLama())
