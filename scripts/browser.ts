/** Debian's Chromium, driven by playwright-core: for `npm run pdf` and the browser tests. */
import {chromium, type Browser} from "playwright-core";

/** The browser binary: CHROMIUM_PATH, or Debian's chromium package. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Launches Debian's chromium with the flags that keep it off the network. `timeout` limits the
 * launch in ms (Playwright's default, 3 minutes, unless given; 0 for none, as the tests ask).
 */
export function launchBrowser({timeout}: {timeout?: number} = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    timeout,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run"
    ]
  });
}
