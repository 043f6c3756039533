"""A PEP 517 build backend in the standard library only, so ``pip install ./sdk/python`` works offline on
any Python >= 3.10 (no setuptools or wheel to fetch, with or without ``--no-build-isolation``).

It builds a pure-Python wheel of ``codex_fleet`` (PEP 427), an sdist, and an editable wheel (PEP 660).
The metadata comes from pyproject.toml's ``[project]`` table (the simple ``key = "value"`` lines).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "codex_fleet"
TAG = "py3-none-any"


def _project() -> dict[str, str]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    table = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if not table:
        raise RuntimeError("pyproject.toml has no [project] table")
    return dict(re.findall(r'^([\w-]+)\s*=\s*"([^"]*)"\s*$', table.group(1), re.M))


def _dist_name() -> str:
    return re.sub(r"[-_.]+", "_", _project()["name"])


def _metadata() -> str:
    p = _project()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return (
        "Metadata-Version: 2.1\n"
        f"Name: {p['name']}\nVersion: {p['version']}\nSummary: {p.get('description', '')}\n"
        f"Requires-Python: {p.get('requires-python', '>=3.10')}\nLicense: MIT\n"
        "Classifier: Programming Language :: Python :: 3\nClassifier: Typing :: Typed\n"
        f"Description-Content-Type: text/markdown\n\n{readme}"
    )


def _wheel_file() -> str:
    return f"Wheel-Version: 1.0\nGenerator: codex_fleet_build\nRoot-Is-Purelib: true\nTag: {TAG}\n"


def _package_files() -> list[Path]:
    return sorted(p for p in (ROOT / PACKAGE).rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix in (".py", ".typed"))


def _write_wheel(directory: str, files: dict[str, bytes]) -> str:
    p = _project()
    dist_info = f"{_dist_name()}-{p['version']}.dist-info"
    files = {**files, f"{dist_info}/METADATA": _metadata().encode(), f"{dist_info}/WHEEL": _wheel_file().encode()}
    record_lines = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record_lines.append(f"{name},sha256={digest},{len(data)}")
    record_lines.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record_lines) + "\n").encode()
    name = f"{_dist_name()}-{p['version']}-{TAG}.whl"
    with zipfile.ZipFile(os.path.join(directory, name), "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in files.items():
            info = zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return name


def get_requires_for_build_wheel(config_settings: Any = None) -> list[str]:
    return []


def get_requires_for_build_sdist(config_settings: Any = None) -> list[str]:
    return []


def get_requires_for_build_editable(config_settings: Any = None) -> list[str]:
    return []


def build_wheel(wheel_directory: str, config_settings: Any = None, metadata_directory: Any = None) -> str:
    files = {p.relative_to(ROOT).as_posix(): p.read_bytes() for p in _package_files()}
    return _write_wheel(wheel_directory, files)


def build_editable(wheel_directory: str, config_settings: Any = None, metadata_directory: Any = None) -> str:
    return _write_wheel(wheel_directory, {f"{_dist_name()}.pth": (str(ROOT) + "\n").encode()})


def build_sdist(sdist_directory: str, config_settings: Any = None) -> str:
    base = f"{_dist_name()}-{_project()['version']}"
    name = f"{base}.tar.gz"
    members = [ROOT / "pyproject.toml", ROOT / "README.md", *(ROOT / "_build").glob("*.py"), *_package_files()]
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as tar:
        for path in members:
            tar.add(path, arcname=f"{base}/{path.relative_to(ROOT).as_posix()}")
        pkg_info = _metadata().encode()
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        info.size = len(pkg_info)
        tar.addfile(info, io.BytesIO(pkg_info))
    return name
