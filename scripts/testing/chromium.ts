/**
 * Headless Chromium for every browser test (widget, Custom UIs, sandbox end to end):
 * Debian's chromium package driven by playwright-core, with the flags CI machines need
 * (no sandbox in containers, no GPU, no background traffic to Google).
 * Test tooling only: product code never imports it.
 */
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM_PATH = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS });
}
