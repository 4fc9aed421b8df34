import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

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
