"""The package's build, beside pyproject.toml (which holds everything else): a wheel also
carries the folders the package ships at the repository's root — the page notebooks
(notebooks/*.ipynb) and the rules (parameters/**/*.yaml) — inside the package, as
spektra_lib/_bawaan/<folder>, where settings.bawaan() finds them once installed. A checkout
(and an editable install) reads them from the root, where analysts open and edit them.
tests/test_install.py builds a wheel and checks every one of them is in it."""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# folder at the root -> the files of it the package ships
SHIPPED = {"notebooks": ("*.ipynb",), "parameters": ("*.yaml", "**/*.yaml")}


def shipped_files() -> list[Path]:
    """Every file of SHIPPED, relative to the root (what the wheel must carry)."""
    out = set()
    for folder, patterns in SHIPPED.items():
        for pattern in patterns:
            out |= {p.relative_to(ROOT) for p in (ROOT / folder).glob(pattern)
                    if p.is_file() and ".ipynb_checkpoints" not in p.parts}
    return sorted(out)


class BuildPy(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "spektra_lib" / "_bawaan"
        for rel in shipped_files():
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest)


setup(cmdclass={"build_py": BuildPy})
