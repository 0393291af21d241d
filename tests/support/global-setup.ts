// Before any browser test: make sure there is a browser, and say exactly how to get one if not.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { chromiumExecutable } from './chromium.ts';

export default function globalSetup(): void {
  if (chromiumExecutable()) return;
  if (existsSync(chromium.executablePath())) return;
  throw new Error(
    [
      'No Chromium found for the browser tests.',
      '  On Debian or Ubuntu:  sudo apt-get install -y chromium',
      '  Anywhere else:        npx playwright install chromium',
      '  Or point at one:      CHROMIUM_PATH=/path/to/chromium npm test',
    ].join('\n'),
  );
}
