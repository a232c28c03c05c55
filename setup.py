"""Build hook: the repository keeps `assets/`, `content/` and `config.yaml` at its top, and
the wheel carries them inside the package as `kiosk/_data/`, where `kiosk.paths` finds
them through importlib.resources. Everything else is in pyproject.toml.

An editable install (`pip install -e .`) copies nothing: it reads the checkout's files."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
#: Repository path → path inside the `kiosk` package.
PROGRAM_DATA = {
    "assets": "_data/assets",
    "content": "_data/content",
    "config.yaml": "_data/config.yaml",
}
_SKIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", ".DS_Store")


class BuildPyWithProgramData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        package = Path(self.build_lib) / "kiosk"
        for source, target in PROGRAM_DATA.items():
            origin, destination = HERE / source, package / target
            if not origin.exists():
                raise SystemExit(f"cannot build Telpa: {origin} is missing from the source tree")
            if destination.exists():
                shutil.rmtree(destination) if destination.is_dir() else destination.unlink()
            destination.parent.mkdir(parents=True, exist_ok=True)
            if origin.is_dir():
                shutil.copytree(origin, destination, ignore=_SKIPPED)
            else:
                shutil.copy2(origin, destination)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if self.editable_mode:
            return outputs
        package = Path(self.build_lib) / "kiosk"
        for source, target in PROGRAM_DATA.items():
            origin = HERE / source
            files = [p for p in origin.rglob("*") if p.is_file()] if origin.is_dir() else [origin]
            outputs += [str(package / target / f.relative_to(origin)) for f in files]
        return outputs


setup(cmdclass={"build_py": BuildPyWithProgramData})
