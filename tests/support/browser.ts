/** Headless Chromium (Debian's, driven by playwright-core) that records what a page did wrong. */
import type {Browser, Page} from "playwright-core";

export {CHROMIUM, launchBrowser} from "../../scripts/browser.ts";

export interface PageProblems {
  consoleErrors: string[];
  failedRequests: string[];
  outsideRequests: string[];
  pageErrors: string[];
}

/** Opens a new page that records console errors, failed requests and requests leaving origin. */
export async function watchedPage(
  browser: Browser,
  origin: string
): Promise<{page: Page; problems: PageProblems}> {
  const page = await browser.newPage();
  // No limit of Playwright's own (30 s by default) on a wait or a navigation: on a busy machine
  // a slow page is still a working one, and the test's timeout ends one that hangs.
  page.setDefaultTimeout(0);
  const problems: PageProblems = {
    consoleErrors: [],
    failedRequests: [],
    outsideRequests: [],
    pageErrors: []
  };
  page.on("console", (message) => {
    if (message.type() === "error") problems.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => problems.pageErrors.push(error.message));
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith("data:") && !url.startsWith("blob:")) {
      problems.outsideRequests.push(url);
    }
  });
  page.on("requestfailed", (request) =>
    problems.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`)
  );
  page.on("response", (response) => {
    if (response.status() >= 400)
      problems.failedRequests.push(`${response.url()}: HTTP ${response.status()}`);
  });
  return {page, problems};
}
