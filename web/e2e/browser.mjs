// Headless Debian Chromium driven by playwright-core. Never downloads a browser.
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.MIP_CHROMIUM ?? "/usr/bin/chromium";
export const RESULTS = join(dirname(fileURLToPath(import.meta.url)), "..", "test-results");

export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (make test does: apt-get install -y chromium)`);
  }
  mkdirSync(RESULTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
}

export function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is required`);
  return v;
}

/** Log in through the API and return the session object the app keeps in localStorage. */
export async function apiSession(base, email, password) {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!r.ok) throw new Error(`login ${email}: HTTP ${r.status} ${await r.text()}`);
  const t = await r.json();
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    expiresAt: Date.now() + t.expires_in * 1000,
    user: t.user,
  };
}

export function check(cond, message) {
  if (!cond) throw new Error(`check failed: ${message}`);
}

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** WCAG 2.1 A/AA checks (axe-core) on the current page: rules passed and violations by impact. */
export async function a11yViolations(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  return {
    rulesPassed: result.passes.length,
    serious: result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`),
    minor: result.violations.filter((v) => v.impact !== "serious" && v.impact !== "critical").map((v) => v.id),
  };
}
