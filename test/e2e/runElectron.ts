/**
 * The standard launcher for the same extension-host suites (test/e2e/host), through
 * @vscode/test-electron: it downloads a desktop VS Code into .vscode-test/ and runs the suite in it.
 * For machines that reach the VS Code download server; offline (this project's CI) it fails at once
 * with `getaddrinfo ENOTFOUND update.code.visualstudio.com`, so CI uses runExtensionHost.ts instead.
 * On a Linux box without a display, run it under `xvfb-run -a`.
 *
 *   npx tsx test/e2e/runElectron.ts [--smoke | --extension <dir>] [--files <regex>] [--grep <re>] [--vscode <version>]
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';
import { buildHostSuites } from './runExtensionHost';
import { copyWorkspace, removeDir, REPO_ROOT, SMOKE_EXTENSION } from './support/tools';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean' },
      extension: { type: 'string' },
      files: { type: 'string' },
      grep: { type: 'string' },
      vscode: { type: 'string' },
    },
  });
  const extensionDevelopmentPath = path.resolve(values.smoke ? SMOKE_EXTENSION : (values.extension ?? REPO_ROOT));
  const isSmoke = extensionDevelopmentPath === SMOKE_EXTENSION;
  buildHostSuites();
  const workspace = copyWorkspace();
  try {
    const code = await runTests({
      version: values.vscode ?? process.env.VSCODE_TEST_VERSION ?? 'stable',
      extensionDevelopmentPath,
      extensionTestsPath: path.join(REPO_ROOT, 'dist', 'test', 'e2e', 'host', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: {
        E2E_HOST_FILES: values.files ?? (isSmoke ? '^smoke/' : '^(?!smoke/)'),
        ...(isSmoke ? { E2E_HOST_MARKER: 'from-runner' } : {}),
        ...(values.grep ? { E2E_HOST_GREP: values.grep } : {}),
      },
    });
    process.exitCode = code;
  } finally {
    removeDir(workspace);
  }
}

main().catch((err: unknown) => {
  console.error('@vscode/test-electron run failed:', err instanceof Error ? err.message : err);
  console.error('Offline? Use `npx tsx test/e2e/runExtensionHost.ts` (code-server) instead.');
  process.exitCode = 1;
});
