import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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
