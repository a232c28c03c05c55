"""scripts/bundle_licenses.py, the bundle's licences folder, on this test environment: what
installer/telpa.spec runs at build time with the names PyInstaller collected, here without
PyInstaller (tests/test_bundle.py checks the built bundle's folder)."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import imageio_ffmpeg
import pytest

CHECKOUT = Path(__file__).resolve().parent.parent
GENERATOR = CHECKOUT / "scripts" / "bundle_licenses.py"


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bundle_licenses", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bundle_licenses"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


bundle_licenses = _load_generator()

# What the spec passes: module names from the Analysis TOC and the paths of collected files.
COLLECTED = [
    "pygame.base",
    "pygame_ce.libs/libSDL2-2-50d19f93.0.so.0.3200.10",
    "PIL.Image",
    "pillow.libs/libjpeg-6dc8d115.so.62.4.0",
    "pydantic.main",
    "sqlalchemy.orm",
    "yaml",
    "espeakng_loader",
    "espeakng_loader/espeak-ng-data/lv_dict",
    "imageio_ffmpeg._utils",
    "imageio_ffmpeg/binaries/ffmpeg",
    "json.decoder",  # the standard library: Python's licence, no distribution
]


def third_party_rows(text: str) -> dict[str, list[str]]:
    """THIRD-PARTY.md's distribution table: name → [version, licence, home page, folder]."""
    table = text.split("## Python distributions", 1)[1].split("\n\n## ", 1)[0]
    rows = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if len(cells) == 5 and cells[0] not in ("distribution", "---"):
            rows[cells[0]] = cells[1:]
    return rows


def test_the_licences_folder_lists_each_carried_distribution_with_its_licence_files(
    tmp_path: Path,
) -> None:
    out = tmp_path / "licenses"
    inventory = bundle_licenses.write_licences(out, COLLECTED)

    rows = third_party_rows((out / "THIRD-PARTY.md").read_text(encoding="utf-8"))
    assert set(rows) == {
        "pygame-ce",
        "pillow",
        "pydantic",
        "sqlalchemy",
        "pyyaml",
        "espeakng-loader",
        "imageio-ffmpeg",
    }, "only what was collected, nothing of the rest of the environment (pytest, ruff, ...)"
    assert rows["pillow"][0] == bundle_licenses.metadata.version("pillow")
    assert rows["sqlalchemy"][1] == "MIT"
    for name, (version, _licence, _home, folder) in rows.items():
        assert folder == f"{name}-{version}/"
        assert [p for p in (out / folder).rglob("*") if p.is_file()], name
    # Pillow's licence file carries the licences of the libraries in pillow.libs.
    assert "LIBJPEG" in (out / f"pillow-{rows['pillow'][0]}" / "LICENSE").read_text().upper()
    # pygame-ce's wheel has no licence file: the build adds the LGPL-2.1 text it declares.
    pygame_files = [p.name for p in (out / f"pygame-ce-{rows['pygame-ce'][0]}").iterdir()]
    assert pygame_files == ["LGPL-2.1.txt"]
    assert {d.name for d in inventory.distributions} == set(rows)


def test_espeak_ng_and_ffmpeg_get_their_gpl_text_exact_version_and_source(
    tmp_path: Path,
) -> None:
    out = tmp_path / "licenses"
    inventory = bundle_licenses.write_licences(out, COLLECTED)

    espeak = out / inventory.espeak
    assert re.fullmatch(r"espeak-ng-\d+\.\d+(\.\d+)?", espeak.name)
    version = espeak.name.removeprefix("espeak-ng-")
    assert "GNU GENERAL PUBLIC LICENSE\n                       Version 3" in (
        espeak / "COPYING"
    ).read_text(encoding="utf-8")
    source = (espeak / "SOURCE.txt").read_text(encoding="utf-8")
    assert f"https://github.com/espeak-ng/espeak-ng/releases/tag/{version}" in source
    assert "Written offer" in source and "Corresponding Source" in source

    shown = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ffmpeg = out / inventory.ffmpeg
    assert ffmpeg.name == "ffmpeg-" + shown.split()[2]
    source = (ffmpeg / "SOURCE.txt").read_text(encoding="utf-8")
    assert shown.splitlines()[2] in source  # its configuration line, --enable-gpl or not
    if "--enable-gpl --enable-version3" in shown:
        assert "Licence: GPL-3.0-or-later" in source
        assert "Version 3" in (ffmpeg / "COPYING").read_text(encoding="utf-8")
    assert "Written offer" in source

    notice = (out / "NOTICE.txt").read_bytes()
    assert notice.isascii(), "Inno Setup reads NOTICE.txt in the ANSI code page"
    assert inventory.espeak.encode() in notice and inventory.ffmpeg.encode() in notice
    third_party = (out / "THIRD-PARTY.md").read_text(encoding="utf-8")
    assert f"{inventory.espeak}/COPYING" in third_party
    python = f"python-{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"
    assert "PYTHON SOFTWARE FOUNDATION LICENSE" in (out / python / "LICENSE.txt").read_text()


def _site_with_a_distribution(
    site: Path, name: str, *, licence_file: bool, sbom: bool = False
) -> None:
    """A distribution `name` 1.0 installed in `site`, as pip installs one."""
    (site / name).mkdir(parents=True)
    (site / name / "__init__.py").write_text("", encoding="utf-8")
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    lines = [f"Metadata-Version: 2.4\nName: {name}\nVersion: 1.0\n"]
    record = [f"{name}/__init__.py,,", f"{info.name}/METADATA,,", f"{info.name}/RECORD,,"]
    if licence_file:
        lines.append("License-Expression: MIT\nLicense-File: LICENSE\n")
        (info / "licenses").mkdir()
        (info / "licenses" / "LICENSE").write_text("MIT licence text\n", encoding="utf-8")
        record.append(f"{info.name}/licenses/LICENSE,,")
    if sbom:
        (info / "sboms").mkdir()
        (info / "sboms" / "auditwheel.cdx.json").write_text("{}", encoding="utf-8")
        record.append(f"{info.name}/sboms/auditwheel.cdx.json,,")
    (info / "METADATA").write_text("".join(lines), encoding="utf-8")
    (info / "RECORD").write_text("\n".join(record) + "\n", encoding="utf-8")


def test_a_new_dependency_without_a_licence_file_stops_the_generator_with_what_to_do(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    _site_with_a_distribution(site, "unlicensedlib", licence_file=False)
    _site_with_a_distribution(site, "licensedlib", licence_file=True)
    out = tmp_path / "licenses"
    ran = subprocess.run(
        [sys.executable, str(GENERATOR), str(out), "unlicensedlib.core", "licensedlib"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(site)},
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "unlicensedlib 1.0 (carried for unlicensedlib; declared licence: not declared)" in (
        ran.stderr
    )
    assert "licensedlib 1.0" not in ran.stderr.replace("unlicensedlib 1.0", "")
    assert "SUPPLEMENTS" in ran.stderr and "ALLOWED_WITHOUT_LICENCE" in ran.stderr

    ok = subprocess.run(
        [sys.executable, str(GENERATOR), str(out), "licensedlib"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(site)},
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert (out / "licensedlib-1.0" / "LICENSE").read_text() == "MIT licence text\n"
    assert third_party_rows((out / "THIRD-PARTY.md").read_text(encoding="utf-8")) == {
        "licensedlib": ["1.0", "MIT", "—", "licensedlib-1.0/"]
    }


def test_a_bill_of_materials_alone_is_not_a_licence(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _site_with_a_distribution(site, "sbomonly", licence_file=False, sbom=True)
    with pytest.raises(bundle_licenses.LicenceError, match=r"sbomonly 1\.0 \(carried for"):
        bundle_licenses.write_licences(tmp_path / "licenses", ["sbomonly"], path=[str(site)])


def test_an_allow_listed_distribution_is_listed_with_its_reason_instead_of_a_licence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    _site_with_a_distribution(site, "unlicensedlib", licence_file=False)
    monkeypatch.setitem(
        bundle_licenses.ALLOWED_WITHOUT_LICENCE, "unlicensedlib", "a test's own package"
    )
    out = tmp_path / "licenses"
    bundle_licenses.write_licences(out, ["unlicensedlib"], path=[str(site)])
    text = (out / "THIRD-PARTY.md").read_text(encoding="utf-8")
    assert third_party_rows(text)["unlicensedlib"][-1] == "none"
    assert "- unlicensedlib: a test's own package." in text
    assert not (out / "unlicensedlib-1.0").exists()


def test_telpa_itself_is_allowed_without_a_licence_because_the_project_has_chosen_none() -> None:
    """When the project chooses a licence (pyproject.toml `license`, a LICENSE file), the
    bundle must carry it: this fails until the allow-list entry goes."""
    pyproject = (CHECKOUT / "pyproject.toml").read_text(encoding="utf-8")
    has_licence = re.search(r"^license\s*=", pyproject, re.M) or any(CHECKOUT.glob("LICEN[CS]E*"))
    assert not has_licence
    assert "telpa" in bundle_licenses.ALLOWED_WITHOUT_LICENCE
