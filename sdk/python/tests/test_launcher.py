"""Finding the CLI that starts a sidecar (starting one is covered by the integration scenarios)."""

from __future__ import annotations

import os
import tempfile
import unittest

from codex_fleet import SidecarUnavailableError
from codex_fleet.launcher import cli_command

from .support import REPO_ROOT


class CliCommandTest(unittest.TestCase):
    def test_env_wins(self) -> None:
        self.assertEqual(cli_command({"CODEX_FLEET_CLI": "/x/bin/codex-fleet.js"}), ["node", "/x/bin/codex-fleet.js"])
        self.assertEqual(cli_command({"CODEX_FLEET_CLI": "/x/node --inspect '/y z/cli.js'"}), ["/x/node", "--inspect", "/y z/cli.js"])
        self.assertEqual(cli_command({"CODEX_FLEET_CLI": "a.js", "CODEX_FLEET_NODE": "/n/node"}), ["/n/node", "a.js"])

    def test_path_then_checkout(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            exe = os.path.join(tmp, "codex-fleet")
            with open(exe, "w") as f:
                f.write("#!/bin/sh\n")
            os.chmod(exe, 0o755)
            self.assertEqual(cli_command({"PATH": tmp}), [exe])
            empty = os.path.join(tmp, "empty")
            os.mkdir(empty)
            checkout = REPO_ROOT / "bin" / "codex-fleet.js"
            if checkout.exists():
                self.assertEqual(cli_command({"PATH": empty}), ["node", str(checkout)])
            else:
                with self.assertRaisesRegex(SidecarUnavailableError, "CODEX_FLEET_CLI"):
                    cli_command({"PATH": empty})


if __name__ == "__main__":
    unittest.main()
