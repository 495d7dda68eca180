/**
 * Opens a generated `conformance.html` in a real headless Chromium (Debian's, driven by playwright-core)
 * and checks what a reader relies on: it renders, the matrix is there, a failing rule's link reaches its section,
 * and the page fetches nothing. Used by `npm run check:html` and by a unit test (skipped without Chromium).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { betterprompt } from '../apis/betterprompt';
import type { BpKnob } from '../apis/betterprompt/provider';
import type { RunReport } from '../shared/report';
import { runEmbedded } from '../selftest/harness';
import { writeReports } from './index';

/**
 * Where Debian's `chromium` package puts the browser: the `/usr/bin/chromium` wrapper, or the binary itself in
 * `/usr/lib/chromium/` (some images ship only that). CI machines may have neither.
 */
export const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/lib/chromium/chromium'] as const;

/** The first Chromium found, or `undefined`. */
export function findChromium(exists: (path: string) => boolean = existsSync): string | undefined {
  return CHROMIUM_PATHS.find((p) => exists(p));
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A fault that fails a handful of cursor rules: a realistic report with several failure sections. */
export const CHECK_KNOBS: readonly BpKnob[] = ['cursor-tie-skip'];

export interface HtmlCheck {
  title: string;
  /** Rule rows in the matrix. */
  rows: number;
  /** The failing rule whose matrix link was followed. */
  followed: string;
  /** Every URL the page loaded (only the file itself is allowed). */
  loaded: string[];
  screenshots: string[];
}

/** Runs the BetterPrompt catalogue against a fault-injected provider and writes its reports to `dir`. */
export async function failingReport(dir: string): Promise<{ report: RunReport; html: string }> {
  const report = await runEmbedded(betterprompt, { knobs: CHECK_KNOBS });
  writeReports(report, dir);
  return { report, html: join(dir, 'conformance.html') };
}

export async function checkHtmlReport(htmlFile: string, screenshot: string, expectedRows: number): Promise<HtmlCheck> {
  const executablePath = findChromium();
  if (!executablePath)
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATHS.join(' or ')}; install it with: apt-get install -y chromium`,
    );
  const profile = mkdtempSync(join(tmpdir(), 'conformance-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    timeout: 30_000,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const loaded: string[] = [];
    page.on('request', (r) => loaded.push(r.url()));
    const url = pathToFileURL(htmlFile).href;
    await page.goto(url, { waitUntil: 'load' });

    const title = await page.title();
    assert(/^FAIL · Conformance: \d+ failed/.test(title), `page title is "${title}", not the report's`);
    const rows = await page.locator('#matrix tbody tr.rule').count();
    assert(rows === expectedRows, `matrix shows ${rows} rule rows, expected ${expectedRows}`);
    assert(await page.locator('#matrix').isVisible(), 'the matrix is not visible');

    mkdirSync(dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot });

    const link = page.locator('#matrix tr[data-status="fail"] th a').first();
    assert((await link.count()) === 1, 'no failing rule links from the matrix');
    const followed = (await link.textContent()) ?? '';
    const target = (await link.getAttribute('href')) ?? '';
    await link.click();
    // a string expression: it runs in the page, where `location` exists (this file has no DOM typings)
    await page.waitForFunction(`location.hash === ${JSON.stringify(target)}`);
    const card = page.locator(target);
    assert(await card.isVisible(), `${target} is not visible after following the link`);
    const box = await card.boundingBox();
    const viewport = page.viewportSize();
    assert(
      box !== null && viewport !== null && box.y >= 0 && box.y < viewport.height / 2,
      `${target} is not scrolled into view (top at ${box?.y})`,
    );
    const text = (await card.textContent()) ?? '';
    for (const part of [
      followed,
      'expected',
      'actual',
      'shrunk',
      'seed',
      'rerun',
      '--replay',
      'curl',
      'Bearer [redacted]',
    ])
      assert(text.includes(part), `the ${followed} section lacks "${part}"`);
    const failureShot = screenshot.replace(/\.png$/, '-failure.png');
    await page.screenshot({ path: failureShot });

    const external = loaded.filter((u) => u !== url);
    assert(external.length === 0, `the page loaded ${external.join(', ')}; it must be self-contained`);
    return { title, rows, followed, loaded, screenshots: [screenshot, failureShot] };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(`HTML check: ${message}`);
}
