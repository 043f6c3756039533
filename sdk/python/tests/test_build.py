"""The standard-library build backend: a wheel with the package, py.typed and a valid RECORD; an sdist."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import tarfile
import tempfile
import unittest
import zipfile
from pathlib import Path

from .support import SDK_ROOT

spec = importlib.util.spec_from_file_location("codex_fleet_build", SDK_ROOT / "_build" / "codex_fleet_build.py")
assert spec and spec.loader
backend = importlib.util.module_from_spec(spec)
spec.loader.exec_module(backend)


class BuildBackendTest(unittest.TestCase):
    def test_wheel(self) -> None:
        self.assertEqual(backend.get_requires_for_build_wheel(), [])
        with tempfile.TemporaryDirectory() as tmp:
            name = backend.build_wheel(tmp)
            self.assertEqual(name, "codex_fleet-0.1.0-py3-none-any.whl")
            with zipfile.ZipFile(Path(tmp) / name) as zf:
                names = set(zf.namelist())
                self.assertTrue({"codex_fleet/__init__.py", "codex_fleet/py.typed", "codex_fleet/skills.py"} <= names)
                self.assertFalse(any("__pycache__" in n or n.startswith("tests/") for n in names))
                record = zf.read("codex_fleet-0.1.0.dist-info/RECORD").decode().splitlines()
                for line in record:
                    path, digest, size = line.rsplit(",", 2)
                    if not digest:
                        continue
                    data = zf.read(path)
                    expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                    self.assertEqual((digest, int(size)), (f"sha256={expected}", len(data)), path)
                metadata = zf.read("codex_fleet-0.1.0.dist-info/METADATA").decode()
                self.assertIn("Name: codex-fleet\nVersion: 0.1.0\n", metadata)
                self.assertIn("Requires-Python: >=3.10", metadata)
        from codex_fleet import __version__

        self.assertEqual(__version__, backend._project()["version"], "codex_fleet/version.py and pyproject.toml agree")

    def test_sdist(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            name = backend.build_sdist(tmp)
            with tarfile.open(Path(tmp) / name) as tar:
                names = set(tar.getnames())
            self.assertTrue(
                {"codex_fleet-0.1.0/pyproject.toml", "codex_fleet-0.1.0/PKG-INFO", "codex_fleet-0.1.0/codex_fleet/py.typed"} <= names
            )


if __name__ == "__main__":
    unittest.main()
