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

  // 5. planning (the demo pump's 4-level BOM, MRP with pegging), a solved schedule's Gantt, and an SPC chart
  await page.goto(base + "/planning");
  await page.getByRole("button", { name: /PUMP-100/ }).click();
  await page.locator('[data-testid="bom-row"]').first().waitFor({ timeout: 15_000 });
  await page.locator('[data-testid="cost-facts"]').waitFor({ timeout: 15_000 });
  const bomRows = await page.locator('[data-testid="bom-row"]').count();
  check(bomRows >= 8, `the demo pump's BOM explodes into its lines (got ${bomRows})`);
  check((await page.getByText("Phantom", { exact: true }).count()) > 0, "the phantom seal kit is marked");
  await shot(page, "planning-bom");
  await audit(page, "planning-bom");
  await page.goto(base + "/planning?tab=mrp");
  await page.locator('[data-testid="supply-row"]').first().waitFor({ timeout: 15_000 });
  await shot(page, "planning-mrp");
  await audit(page, "planning-mrp");

  await page.goto(base + "/schedules");
  const solveForm = page.getByRole("form", { name: "Solve a new schedule" });
  await solveForm.getByLabel("Time limit (s)").fill("3");
  await solveForm.getByRole("button", { name: "Solve" }).click();
  await page.locator('[data-testid="gantt-bar"]').first().waitFor({ timeout: 90_000 });
  const ganttBars = Number(await page.locator('[data-testid="gantt"] svg[role="img"]').getAttribute("data-bars"));
  check(ganttBars > 0, `the solved schedule has operations on the Gantt (got ${ganttBars})`);
  await page.locator('[data-testid="late-order"], .pg-ok').first().waitFor({ timeout: 15_000 });
  await shot(page, "schedules");
  await audit(page, "schedules");
  await page.setViewportSize({ width: 768, height: 1024 });
  const schedOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(schedOverflow <= 0, `schedules: no horizontal scrolling at 768 px (overflow ${schedOverflow} px)`);
  await shot(page, "schedules-tablet");
  await page.setViewportSize({ width: 1280, height: 900 });

  const json = { ...auth, "content-type": "application/json" };
  const created = await fetch(`${base}/api/v1/quality/spc/charts`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ name: "E2E bore diameter", settings: { type: "xbar", lsl: 9.7, usl: 10.3 }, machine_id: machineId, subgroup_size: 4 }),
  });
  check(created.status === 201, `SPC chart created (HTTP ${created.status})`);
  const spcChart = await created.json();
  const wobble = (i, j) => 10 + 0.02 * Math.sin(i * 1.7 + j * 2.3);
  const group = (i, shift = 0) => ({ values: [0, 1, 2, 3].map((j) => Number((wobble(i, j) + shift).toFixed(4))) });
  const post = (path, body) => fetch(`${base}/api/v1/quality/spc/charts/${spcChart.id}/${path}`, { method: "POST", headers: json, body: JSON.stringify(body) });
  check((await post("points", { subgroups: Array.from({ length: 20 }, (_, i) => group(i)) })).status === 201, "Phase I subgroups added");
  check((await post("limits", {})).status === 200, "Phase I limits frozen");
  check((await post("points", { subgroups: [group(21), group(22, 0.5), group(23)] })).status === 201, "Phase II subgroups added");
  await page.goto(`${base}/quality/spc?chart=${spcChart.id}`);
  await page.locator('[data-testid="spc-chart"]').first().waitFor({ timeout: 15_000 });
  await page.locator('[data-testid="spc-violation"]').first().waitFor({ timeout: 15_000 });
  await shot(page, "spc");
  await audit(page, "spc");
  await page.goto(base + "/quality/spc?tab=quick");
  await page.getByLabel("Data (CSV)").fill("10.1\n9.9\n10.0\n10.3\n9.8\n10.05\n11.2");
  await page.getByRole("button", { name: "Compute chart" }).click();
  await page.locator('[data-testid="spc-chart"]').first().waitFor({ timeout: 15_000 });
  await audit(page, "spc-quick");
  log("planning, schedules and SPC pages checked");

  // 5b. quality board, trace explorer and analytics render for an admin (axe on each)
  await page.goto(base + "/quality");
  await page.getByRole("heading", { level: 1 }).first().waitFor({ timeout: 15_000 });
  await page.waitForLoadState("networkidle");
  await shot(page, "quality");
  await audit(page, "quality");
  await page.goto(base + "/trace");
  await page.getByRole("heading", { level: 1 }).first().waitFor({ timeout: 15_000 });
  await page.waitForLoadState("networkidle");
  await audit(page, "trace");
  await page.goto(base + "/analytics");
  await page.getByRole("heading", { level: 1 }).first().waitFor({ timeout: 15_000 });
  await page.waitForLoadState("networkidle");
  await shot(page, "analytics");
  await audit(page, "analytics");

  // 6. another tenant's user sees none of it
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
  console.log(JSON.stringify({ ok: true, tiles, livePointsBefore: before, livePointsAfter: after, alertId, bomRows, ganttBars, a11y }));
} finally {
  await browser.close();
}
