import fs from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { startServe, type ServeProcess } from './serve.ts';

/** Debian's Chromium (`apt-get install chromium`), or $CHROMIUM. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Whether a Chromium to drive is installed. */
export const hasChromium = (): boolean => fs.existsSync(CHROMIUM);

/**
 * Launches headless Chromium for end-to-end tests and benchmarks: no sandbox
 * when running as root, and none of Chromium's background connections (the
 * machines have no network beyond the registries).
 */
export function launchChromium(): Promise<Browser> {
  const args = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

/** Opens the app `serve` printed the address of and scans its folder from the Scan page (Alt+2), until the scan has finished. */
export async function scanFromInterface(page: Page, address: string, timeout = 180_000): Promise<void> {
  await page.goto(address);
  await page.keyboard.press('Alt+2');
  await page.getByRole('button', { name: 'Scan', exact: true }).click();
  await page.getByRole('heading', { name: /^Scan finished/ }).waitFor({ timeout });
}

/** `sonority serve` on a folder and a database, with Chromium and one page on it (not opened yet). */
export interface ServedApp {
  serve: ServeProcess;
  browser: Browser;
  page: Page;
}

/** Starts `sonority serve <folder> --db <db>` (see `startServe`), launches Chromium and opens a page with `pageOptions` (default 1280×800). */
export async function openServedApp(folder: string, db: string, pageOptions: BrowserContextOptions = { viewport: { width: 1280, height: 800 } }): Promise<ServedApp> {
  const serve = await startServe(folder, db);
  const browser = await launchChromium();
  return { serve, browser, page: await browser.newPage(pageOptions) };
}

/** Closes Chromium and stops `serve` with Ctrl-C; gives serve's exit code (undefined when it never started). */
export async function closeServedApp(browser: Browser | undefined, serve: ServeProcess | undefined): Promise<number | null | undefined> {
  await browser?.close();
  return serve?.stop();
}

/** Calls an API method from inside the page, as the renderer does in `serve` (the page's session cookie authenticates it), and gives its value. */
export function callApi<T = unknown>(page: Page, method: string, params: unknown = {}): Promise<T> {
  return page.evaluate(async ([m, p]) => ((await (await fetch(`api/${m}`, { method: 'POST', body: JSON.stringify(p) })).json()) as { value: unknown }).value, [method, params] as const) as Promise<T>;
}
