// End-to-end: a person logs in, watches live simulator data arrive on a machine chart, sees an injected
// safety breach appear as an alarm, acknowledges it; a second tenant's user sees none of it.
// Run by tests/e2e/test_dashboard_e2e.py, which starts `mip demo` and passes the environment below.
import { join } from "node:path";
import { RESULTS, a11yViolations, apiSession, check, launch, need } from "./browser.mjs";

const base = need("MIP_URL");
const A = { email: need("A_EMAIL"), password: need("A_PASSWORD") };
const B = { email: need("B_EMAIL"), password: need("B_PASSWORD") };
const deviceKey = need("A_DEVICE_KEY");
const machineId = need("A_MACHINE_ID");
const guardPath = need("A_GUARD_SENSOR_PATH");
const guardId = need("A_GUARD_SENSOR_ID");
const shot = (page, name) => page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true });
const log = (...a) => console.log("[e2e]", ...a);
const a11y = {};
async function audit(page, name) {
  a11y[name] = await a11yViolations(page);
}

async function login(page, who) {
  await page.goto(base + "/");
  await page.waitForURL(/\/login$/);
  await page.locator('input[type="email"]').fill(who.email);
  await page.locator('input[type="password"]').fill(who.password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.endsWith("/login"));
}

const browser = await launch();
const errors = [];
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));

  // 1. log in; a wrong password is refused with a visible message first
  await page.goto(base + "/login");
  await shot(page, "login");
  await audit(page, "login");
  await page.locator('input[type="email"]').fill(A.email);
  await page.locator('input[type="password"]').fill("wrong-password");
  await page.locator('button[type="submit"]').click();
  await page.getByRole("alert").first().waitFor({ timeout: 10_000 });
  await login(page, A);
  log("logged in as", A.email);

  // 2. plant overview: live tiles
  const tile = page.locator(`[data-testid="machine-tile"][data-machine-id="${machineId}"]`);
  await tile.waitFor({ timeout: 20_000 });
  const tiles = await page.locator('[data-testid="machine-tile"]').count();
  check(tiles > 1, `several machine tiles on the overview (got ${tiles})`);
  await page.waitForFunction(
    () => [...document.querySelectorAll('[data-testid="sensor-value"]')].some((e) => /\d/.test(e.textContent ?? "")),
    null,
    { timeout: 20_000 },
  );
  await shot(page, "plant-overview");
  await audit(page, "plant-overview");
  await page.setViewportSize({ width: 768, height: 1024 }); // a tablet on the shop floor
  await shot(page, "plant-overview-tablet");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `no horizontal scrolling at 768 px (overflow ${overflow} px)`);
  await page.setViewportSize({ width: 1280, height: 900 });

  // 3. machine detail: live simulator data arrives on a chart over the WebSocket
  await tile.click();
  await page.waitForURL(new RegExp(`/machines/${machineId}`));
  const chart = page.locator('[data-testid="sensor-chart"]').first();
  await chart.waitFor({ timeout: 20_000 });
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid="sensor-chart"]')?.getAttribute("data-points") ?? 0) > 0,
    null,
    { timeout: 20_000 },
  );
  const before = Number(await chart.getAttribute("data-points"));
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="sensor-chart"]')?.getAttribute("data-points") ?? 0) > n,
    before,
    { timeout: 20_000 },
  );
  const after = Number(await chart.getAttribute("data-points"));
  log(`live chart grew from ${before} to ${after} points`);
  await shot(page, "machine-detail");
  await audit(page, "machine-detail");

  // 4. an injected safety breach appears as an alarm (banner + inbox) and is acknowledged
  const breach = await fetch(`${base}/api/v1/ingest/readings`, {
    method: "POST",
    headers: { authorization: `Bearer ${deviceKey}`, "content-type": "application/json" },
    body: JSON.stringify([{ sensor: guardPath, ts: new Date().toISOString(), value: 999.5 }]),
  });
  check(breach.status === 202, `breach ingested (HTTP ${breach.status})`);
  const banner = page.locator('[role="alert"]').filter({ hasText: /e2e_guard|999\.5/ });
  await banner.first().waitFor({ timeout: 15_000 });
  log("safety banner shown");
  await page.goto(base + "/alarms");
  const session = await apiSession(base, A.email, A.password);
  const auth = { authorization: `Bearer ${session.accessToken}` };
  const alerts = await (await fetch(`${base}/api/v1/alerts?sensor_id=${guardId}`, { headers: auth })).json();
  check(alerts.items.length === 1, `one alarm for the guard sensor (got ${alerts.items.length})`);
  const alertId = alerts.items[0].id;
  const row = page.locator(`[data-testid="alarm-row"][data-alert-id="${alertId}"]`);
  await row.waitFor({ timeout: 15_000 });
  await shot(page, "alarms");
  await audit(page, "alarms");
  await row.getByRole("button", { name: "Acknowledge" }).click();
  await page.waitForFunction(
    async ([url, token]) => {
      const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      return (await r.json()).state === "acknowledged";
    },
    [`${base}/api/v1/alerts/${alertId}`, session.accessToken],
    { timeout: 10_000, polling: 250 },
  );
  await row.filter({ hasText: /acknowledged/i }).waitFor({ timeout: 10_000 });
  log("alarm acknowledged", alertId);
  await shot(page, "alarm-acknowledged");

  // 5. another tenant's user sees none of it
  const ctxB = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const pageB = await ctxB.newPage();
  pageB.on("pageerror", (e) => errors.push(String(e)));
  await login(pageB, B);
  await pageB.locator("main").waitFor();
  await pageB.waitForLoadState("networkidle");
  check((await pageB.locator('[data-testid="machine-tile"]').count()) === 0, "tenant B sees no machine tiles");
  check((await pageB.content()).indexOf(machineId) === -1, "tenant B's page never names tenant A's machine");
  await shot(pageB, "tenant-b-overview");
  await pageB.goto(base + "/alarms");
  await pageB.waitForLoadState("networkidle");
  check((await pageB.locator('[data-testid="alarm-row"]').count()) === 0, "tenant B sees no alarms");
  await pageB.goto(`${base}/machines/${machineId}`);
  await pageB.waitForLoadState("networkidle");
  check((await pageB.locator('[data-testid="sensor-chart"]').count()) === 0, "tenant B cannot open A's machine");
  await shot(pageB, "tenant-b-machine");
  check(errors.length === 0, `no uncaught page errors: ${errors.join("; ")}`);
  for (const [name, r] of Object.entries(a11y)) check(r.rulesPassed > 10, `axe-core ran on ${name}`);
  const bad = Object.entries(a11y).filter(([, r]) => r.serious.length);
  check(bad.length === 0, `accessibility (WCAG 2.1 AA, axe-core): ${JSON.stringify(Object.fromEntries(bad), null, 1)}`);
  console.log(JSON.stringify({ ok: true, tiles, livePointsBefore: before, livePointsAfter: after, alertId, a11y }));
} finally {
  await browser.close();
}
