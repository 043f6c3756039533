"""State paths equal sdk/stateDir.ts's for the same workspace and environment; untrusted paths are refused."""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import unittest

from codex_fleet import AsyncCodexFleet, InsecureStateDirError, SidecarUnavailableError
from codex_fleet.paths import check_paths_trusted, state_paths

from .support import REPO_ROOT, run_tsx

TS = """
import { statePaths } from './sdk/stateDir';
const cases = JSON.parse(process.env.CASES!);
const out = cases.map((c: { workspace: string; env: Record<string, string> }) => statePaths(c.workspace, c.env));
console.log(JSON.stringify(out));
"""


class StatePathsTest(unittest.TestCase):
    def test_same_as_typescript(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            real = os.path.join(tmp, "real ws")
            os.makedirs(real)
            link = os.path.join(tmp, "link")
            os.symlink(real, link)
            home = os.path.join(tmp, "home")
            cases = [
                {"workspace": real, "env": {"CODEX_FLEET_STATE_DIR": os.path.join(tmp, "state")}},
                {"workspace": link + "/", "env": {"CODEX_FLEET_STATE_DIR": tmp + "/./state/../state2"}},
                {"workspace": os.path.join(tmp, "missing", "..", "missing2"), "env": {"XDG_STATE_HOME": os.path.join(tmp, "xdg")}},
                {"workspace": "relative/ws", "env": {"HOME": home, "CODEX_FLEET_STATE_DIR": "", "XDG_STATE_HOME": ""}},
                {"workspace": "/tmp/ünïcode wörkspace", "env": {"CODEX_FLEET_STATE_DIR": "rel-state"}},
            ]
            # HOME is read by both through the process environment (os.homedir / expanduser).
            ts = json.loads(run_tsx(self, TS, env={"CASES": json.dumps(cases), "HOME": home}, cwd=None))
            old_home, old_cwd = os.environ.get("HOME"), os.getcwd()
            os.environ["HOME"] = home
            os.chdir(REPO_ROOT)  # where tsx ran: relative paths resolve the same
            try:
                for case, expected in zip(cases, ts, strict=True):
                    py = state_paths(str(case["workspace"]), dict(case["env"]))  # type: ignore[arg-type]
                    with self.subTest(case=case):
                        self.assertEqual(py.workspace, expected["workspace"])
                        self.assertEqual(py.dir, expected["dir"])
                        self.assertEqual(py.socket_path, expected["socketPath"])
                        self.assertEqual(py.log_path, expected["logPath"])
                        self.assertEqual(py.app_server_socket, expected["appServerSocket"])
            finally:
                os.chdir(old_cwd)
                if old_home is None:
                    del os.environ["HOME"]
                else:
                    os.environ["HOME"] = old_home


class TrustTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.env = {"CODEX_FLEET_STATE_DIR": self.tmp.name}
        self.paths = state_paths(os.path.join(self.tmp.name, "ws"), self.env)

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def connect(self) -> None:
        async def go() -> None:
            await AsyncCodexFleet.connect(self.paths.workspace, env=self.env, auto_start=False)

        asyncio.run(go())

    def test_missing_dir_is_fine_and_means_not_running(self) -> None:
        check_paths_trusted(self.paths)
        with self.assertRaises(SidecarUnavailableError) as e:
            self.connect()
        self.assertNotIsInstance(e.exception, InsecureStateDirError)

    def test_group_or_other_writable_dir_is_refused(self) -> None:
        os.makedirs(self.paths.dir, mode=0o700)
        os.chmod(self.paths.dir, 0o770)
        with self.assertRaisesRegex(InsecureStateDirError, "writable by group or others .*0770"):
            self.connect()
        os.chmod(self.paths.dir, 0o702)
        with self.assertRaises(InsecureStateDirError):
            check_paths_trusted(self.paths)
        os.chmod(self.paths.dir, 0o700)
        check_paths_trusted(self.paths)

    def test_symlinked_dir_or_socket_is_refused(self) -> None:
        elsewhere = os.path.join(self.tmp.name, "elsewhere")
        os.makedirs(elsewhere, mode=0o700)
        os.symlink(elsewhere, self.paths.dir)
        with self.assertRaisesRegex(InsecureStateDirError, "symbolic link"):
            self.connect()
        os.unlink(self.paths.dir)
        os.makedirs(self.paths.dir, mode=0o700)
        os.symlink(os.path.join(elsewhere, "sock"), self.paths.socket_path)
        with self.assertRaisesRegex(InsecureStateDirError, "socket .* symbolic link"):
            check_paths_trusted(self.paths)

    @unittest.skipUnless(os.getuid() == 0, "chown to another user needs root")
    def test_foreign_owner_is_refused(self) -> None:
        os.makedirs(self.paths.dir, mode=0o700)
        os.chown(self.paths.dir, 65534, 65534)
        with self.assertRaisesRegex(InsecureStateDirError, "owned by uid 65534"):
            check_paths_trusted(self.paths)


if __name__ == "__main__":
    unittest.main()
