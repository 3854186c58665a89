// /bench/chart?n=100000: render N synthetic points, then one zoom and one pan, and publish the timings
// (performance.now() from the start of rendering to the completed uPlot draw) for the headless benchmark.
import { useEffect, useMemo, useRef, useState } from "react";
import { TimeSeriesChart } from "../components/chart/TimeSeriesChart";
import "../styles-pages.css";
import type { ChartData, ChartHandle, DrawInfo } from "../components/chart/types";

export interface BenchResult {
  points: number;
  renderMs: number;
  zoomMs: number;
  panMs: number;
}

declare global {
  interface Window {
    __chartBench?: BenchResult;
  }
}

/** A machine-like signal at 1 s spacing ending now: slow cycle + vibration + noise + a few spikes (seeded). */
export function generateSignal(n: number, endSec = Math.floor(Date.now() / 1000)): ChartData {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let seed = 42;
  const rand = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  const t0 = endSec - n + 1;
  for (let i = 0; i < n; i++) {
    x[i] = t0 + i;
    y[i] = 60 + 12 * Math.sin((2 * Math.PI * i) / 3600) + 2.5 * Math.sin((2 * Math.PI * i) / 97) + (rand() - 0.5) * 3;
  }
  for (let k = 1; k <= 5; k++) {
    const at = Math.floor((n * k) / 6);
    if (at < n) y[at] += 25 + 10 * rand();
  }
  return { x, y };
}

function pointsParam(): number {
  const raw = Number(new URLSearchParams(globalThis.location?.search ?? "").get("n"));
  return Number.isFinite(raw) && raw >= 10 ? Math.min(Math.floor(raw), 5_000_000) : 100_000;
}

const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

export function ChartBench() {
  const n = useMemo(pointsParam, []);
  const data = useMemo(() => generateSignal(n), [n]);
  const chart = useRef<ChartHandle>(null);
  const t0 = useRef(0);
  const started = useRef(false);
  const [mounted, setMounted] = useState(false);
  const [result, setResult] = useState<BenchResult | null>(null);

  useEffect(() => {
    t0.current = performance.now();
    setMounted(true);
  }, []);

  const timed = async (h: ChartHandle, min: number, max: number): Promise<number> => {
    await nextFrame();
    const t = performance.now();
    const drawn = h.nextDraw();
    h.setXRange(min, max);
    return (await drawn) - t;
  };

  const onDraw = (info: DrawInfo) => {
    if (started.current) return;
    started.current = true;
    const renderMs = info.at - t0.current;
    void (async () => {
      const h = chart.current;
      if (!h) return;
      const a = data.x[0];
      const span = data.x[n - 1] - a;
      const zoomMs = await timed(h, a + span * 0.45, a + span * 0.55);
      const panMs = await timed(h, a + span * 0.5, a + span * 0.6);
      const r: BenchResult = { points: n, renderMs, zoomMs, panMs };
      window.__chartBench = r;
      setResult(r);
    })();
  };

  return (
    <main className="pg-bench">
      <h1>Chart benchmark</h1>
      <p>
        {n.toLocaleString("en-US")} points at 1 s spacing: render, zoom to 10 %, pan.
      </p>
      {mounted && (
        <TimeSeriesChart ref={chart} data={data} label="signal" unit="°C" height={360} onDraw={onDraw} />
      )}
      <pre data-testid="bench-result">{result ? JSON.stringify(result) : "running…"}</pre>
    </main>
  );
}
