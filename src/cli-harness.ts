/**
 * Test support: runs the CLI as a real subprocess (`node --import tsx src/cli.ts`, what `npm run conformance`
 * runs), isolated from the developer's environment, and captures exit code, stdout, stderr and the report dir.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KNOWN_VARIABLES } from './runner/config';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// tsx's loader in the one process: the `tsx` wrapper CLI relays SIGINT to a child and SIGKILLs it when the
// child's acknowledgement takes over 30 ms (a loaded machine), which would lose the interrupted run's report
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const CLI = join(ROOT, 'src', 'cli.ts');

/** Every variable the CLI reads (the config's own list); blanked so a developer's shell or `.env` never points a test at a real target. */
const ISOLATED: Record<string, string> = Object.fromEntries(KNOWN_VARIABLES.map((k) => [k, '']));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Where `--report-dir` pointed (a fresh temp dir unless the args name one). */
  reportDir: string;
}

export interface CliRunOptions {
  env?: Record<string, string>;
  /** Kill the child after this long; every test run is bounded. @defaultValue 40000 */
  timeoutMs?: number;
  /** Called on each stdout chunk (e.g. to send SIGINT once a rule has finished). */
  onStdout?: (soFar: string, kill: (signal: NodeJS.Signals) => void) => void;
  /**
   * Run `npm run conformance -- …` from the repository root instead of node directly, in a process group of
   * its own; `kill` then signals the whole group, as a terminal's Ctrl-C or a CI runner's cancel does.
   */
  viaNpm?: boolean;
  /** Leave `--report-dir` out when the args do (the CLI's default applies, under the temp cwd). */
  defaultReportDir?: boolean;
}

/** A fresh temp directory for one test. */
export function tempDir(prefix = 'conformance-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function runCli(args: readonly string[], opts: CliRunOptions = {}): Promise<CliRun> {
  // cwd is a temp dir: no `.env` is loaded and nothing lands in the repo
  const cwd = tempDir('conformance-cwd-');
  const reportDir = args.includes('--report-dir')
    ? (args[args.indexOf('--report-dir') + 1] ?? '')
    : join(cwd, 'reports');
  const argv =
    args.includes('--report-dir') || opts.defaultReportDir ? [...args] : [...args, '--report-dir', reportDir];
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, NO_COLOR: '1', ...ISOLATED, ...opts.env };
  return new Promise((done, fail) => {
    const child = opts.viaNpm
      ? spawn('npm', ['run', '--silent', 'conformance', '--', ...argv], {
          cwd: ROOT,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        })
      : spawn(process.execPath, ['--import', TSX_LOADER, CLI, ...argv], {
          cwd,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
    let stdout = '';
    let stderr = '';
    const kill = (signal: NodeJS.Signals) => {
      if (opts.viaNpm && child.pid !== undefined) {
        try {
          process.kill(-child.pid, signal);
        } catch {
          // the group has already exited
        }
      } else child.kill(signal);
    };
    const timer = setTimeout(() => kill('SIGKILL'), opts.timeoutMs ?? 40_000);
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      opts.onStdout?.(stdout, kill);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, reportDir });
    });
  });
}

/** Every file under `dir`, recursively, with its text (empty when the dir does not exist). */
export function filesUnder(dir: string): { path: string; text: string }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ path, text: readFileSync(path, 'latin1') }];
  });
}

/** Lines of `text` that look like a stack frame. */
export function stackLines(text: string): string[] {
  return text.split('\n').filter((l) => /^\s+at\s/.test(l));
}

/** A port that was just bound and released: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
