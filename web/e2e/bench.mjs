// Dashboard budgets in headless Chromium: first load of the plant overview (cold cache, logged in) and
// rendering a 100,000-point chart. Prints one JSON object. Run by `mip bench web`.
import { apiSession, launch, need } from "./browser.mjs";

const base = need("MIP_URL");
const email = need("A_EMAIL");
const password = need("A_PASSWORD");
const runs = Number(process.env.RUNS ?? 5);
const points = Number(process.env.CHART_POINTS ?? 100000);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const browser = await launch();
try {
  const overview = [];
  for (let i = 0; i < runs; i++) {
    const session = await apiSession(base, email, password);
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } }); // cold cache
    await ctx.addInitScript((s) => localStorage.setItem("mip.session", JSON.stringify(s)), session);
    const page = await ctx.newPage();
    const t0 = performance.now();
    await page.goto(base + "/", { waitUntil: "commit" });
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-testid="sensor-value"]')].some((e) => /\d/.test(e.textContent ?? "")),
      null,
      { timeout: 30_000, polling: "raf" },
    );
    const wall = performance.now() - t0;
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType("navigation")[0];
      const res = performance.getEntriesByType("resource");
      return {
        domContentLoadedMs: n.domContentLoadedEventEnd,
        transferBytes: n.transferSize + res.reduce((s, r) => s + (r.transferSize || 0), 0),
        tiles: document.querySelectorAll('[data-testid="machine-tile"]').length,
      };
    });
    overview.push({ wallMs: wall, ...nav });
    await ctx.close();
  }
  const charts = [];
  for (let i = 0; i < 3; i++) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await ctx.newPage();
    await page.goto(`${base}/bench/chart?n=${points}`);
    await page.waitForFunction(() => window.__chartBench, null, { timeout: 30_000 });
    charts.push(await page.evaluate(() => window.__chartBench));
    await ctx.close();
  }
  console.log(
    JSON.stringify({
      overview_runs: overview,
      overview_first_load_ms_median: median(overview.map((o) => o.wallMs)),
      overview_first_load_ms_max: Math.max(...overview.map((o) => o.wallMs)),
      overview_tiles: overview[0].tiles,
      overview_transfer_bytes: overview[0].transferBytes,
      chart_runs: charts,
      chart_points: charts[0].points,
      chart_render_ms_median: median(charts.map((c) => c.renderMs)),
      chart_zoom_ms_median: median(charts.map((c) => c.zoomMs)),
      chart_pan_ms_median: median(charts.map((c) => c.panMs)),
    }),
  );
} finally {
  await browser.close();
}
