import { calls, callsTo, problem, resetApi, route } from "./mockApi.testutil";
import { act, configure, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import type { TimeSeriesChartProps } from "../components/chart/TimeSeriesChart";
import type { LiveEvent } from "../live";
import { MachineDetail } from "./MachineDetail";

configure({ asyncUtilTimeout: 3000 }); // fetches are debounced and the suite runs in parallel

const live = vi.hoisted(() => new Set<(e: LiveEvent) => void>());
vi.mock("../live", async () => {
  const { useEffect } = await import("react");
  return {
    useLive: (h: (e: LiveEvent) => void, deps: unknown[] = []) =>
      useEffect(() => {
        live.add(h);
        return () => void live.delete(h);
      }, deps), // eslint-disable-line react-hooks/exhaustive-deps
  };
});
// uPlot needs a real canvas: the chart itself is covered by the headless-Chromium benchmark.
vi.mock("../components/chart/TimeSeriesChart", () => ({
  TimeSeriesChart: (p: TimeSeriesChartProps) => (
    <div data-testid="chart-stub" data-n={p.data.x.length} data-band={p.data.min ? "yes" : "no"}>
      <button type="button" onClick={() => p.onZoom?.(p.xRange![0] + 60, p.xRange![0] + 360)}>
        zoom {p.label}
      </button>
    </div>
  ),
}));

const M = "m-1";
const sensor = (id: string, name: string, extra = {}) => ({
  id,
  name,
  machine_id: M,
  kind: "temperature",
  unit: "degC",
  low_limit: 10,
  high_limit: 80,
  safety: false,
  sample_rate_hz: 1,
  path: `plant/hall/line/press-1/${name}`,
  tenant_id: "t",
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  ...extra,
});
const iso = (s: number) => new Date(s * 1000).toISOString();

function emit(e: LiveEvent) {
  act(() => live.forEach((h) => h(e)));
}

beforeEach(() => {
  resetApi();
  live.clear();
  const now = Date.now() / 1000;
  route("GET", "/api/v1/tenant", { id: "t", name: "Acme", slug: "acme", timezone: "Europe/Berlin", isolated: false, created_at: "" });
  route("GET", `/api/v1/assets/${M}`, {
    id: M, kind: "machine", name: "press-1", path: "plant/hall/line/press-1", description: "Hydraulic press",
    parent_id: null, timezone: null, tenant_id: "t", attributes: {}, created_at: "", updated_at: "",
  });
  route("GET", "/api/v1/sensors", { items: [sensor("s1", "oil-temp"), sensor("s2", "pressure", { unit: "bar" })], total: 2, limit: 500, offset: 0 });
  route("GET", `/api/v1/machines/${M}/latest`, {
    machine_id: M,
    sensors: [{ sensor_id: "s1", name: "oil-temp", path: "", unit: "degC", ts: iso(now - 5), value: 42.5, quality: 0 }],
  });
  route("GET", "/api/v1/alerts", {
    items: [{ id: "a1", machine_id: M, sensor_id: "s1", severity: "critical", safety: true, state: "open", message: "oil-temp above limit 80: 91", first_ts: iso(now - 60), count: 3 }],
    limit: 50,
    offset: 0,
  });
  route("GET", "/api/v1/sensors/{id}/readings", (c, { id }) => {
    const bucket = Number(c.query.get("bucket_s")) || null;
    const start = Date.parse(c.query.get("start")!) / 1000;
    const pts = id === "s2" ? [] : [0, 1, 2].map((i) => (bucket ? { ts: iso(start + i * bucket), min: 1, max: 3, avg: 2, count: 2 } : { ts: iso(start + i), value: 2, quality: 0 }));
    return { sensor_id: id, start: c.query.get("start"), end: c.query.get("end"), bucket_s: bucket, points: pts };
  });
});

function renderPage() {
  return render(
    <MemoryRouter initialEntries={[`/machines/${M}`]}>
      <Routes>
        <Route path="/machines/:machineId" element={<MachineDetail />} />
      </Routes>
    </MemoryRouter>,
  );
}

const chartOf = (id: string) => document.querySelector(`[data-testid="sensor-chart"][data-sensor-id="${id}"]`) as HTMLElement;

describe("MachineDetail", () => {
  it("shows the machine, current values, open alarms and one chart per sensor", async () => {
    renderPage();
    expect(await screen.findByRole("heading", { name: "press-1" })).toBeInTheDocument();
    expect(screen.getByText("Times in Europe/Berlin")).toBeInTheDocument();
    await waitFor(() => expect(chartOf("s1").dataset.points).toBe("3"));
    expect(screen.getAllByTestId("sensor-chart")).toHaveLength(2);
    expect(await screen.findByText("42.5 degC")).toBeInTheDocument();
    const alarm = await screen.findByRole("link", { name: "oil-temp above limit 80: 91" });
    expect(alarm).toHaveAttribute("href", `/alarms?machine=${M}&state=open`);
    await waitFor(() => expect(within(chartOf("s2")).getByText("No readings in this range")).toBeInTheDocument());
  });

  it("charts sensors that have readings first, in path order", async () => {
    route("GET", "/api/v1/sensors", {
      items: [sensor("s0", "e2e_guard"), sensor("s1", "oil-temp"), sensor("s2", "pressure")],
      total: 3,
      limit: 500,
      offset: 0,
    });
    route("GET", `/api/v1/machines/${M}/latest`, {
      machine_id: M,
      sensors: [
        { sensor_id: "s0", name: "e2e_guard", path: "", unit: "degC", ts: null, value: null, quality: null },
        { sensor_id: "s1", name: "oil-temp", path: "", unit: "degC", ts: iso(Date.now() / 1000), value: 1, quality: 0 },
        { sensor_id: "s2", name: "pressure", path: "", unit: "bar", ts: iso(Date.now() / 1000), value: 2, quality: 0 },
      ],
    });
    renderPage();
    await waitFor(() =>
      expect(screen.getAllByTestId("sensor-chart").map((c) => c.dataset.sensorId)).toEqual(["s1", "s2", "s0"]),
    );
  });

  it("asks the downsampling API for ~1,500-2,000 buckets and plots a min/max band", async () => {
    renderPage();
    await waitFor(() => expect(chartOf("s1").dataset.points).toBe("3"));
    const q = callsTo("GET", "/api/v1/sensors/s1/readings")[0].query;
    expect(q.get("bucket_s")).toBe("2"); // default 1 h range
    const span = (Date.parse(q.get("end")!) - Date.parse(q.get("start")!)) / 1000;
    expect(span / 2).toBeLessThanOrEqual(2000);
    expect(Date.parse(q.get("start")!) % 2000).toBe(0); // aligned to the bucket
    expect(within(chartOf("s1")).getByTestId("chart-stub").dataset.band).toBe("yes");

    fireEvent.click(screen.getByRole("button", { name: "7 d" }));
    await waitFor(() => expect(callsTo("GET", "/api/v1/sensors/s1/readings").at(-1)!.query.get("bucket_s")).toBe("600"));
    expect(screen.getByRole("button", { name: "7 d" })).toHaveAttribute("aria-pressed", "true");
  });

  it("appends live points of this machine's sensors and updates data-points and the current value", async () => {
    renderPage();
    await waitFor(() => expect(chartOf("s1").dataset.points).toBe("3"));
    const now = Date.now() / 1000;
    emit({
      type: "readings",
      tenant_id: "t",
      points: [
        { sensor_id: "s1", machine_id: M, ts: iso(now), value: 55 },
        { sensor_id: "x9", machine_id: "other", ts: iso(now), value: 1 },
      ],
    });
    await waitFor(() => expect(chartOf("s1").dataset.points).toBe("4"));
    expect(within(chartOf("s1")).getByTestId("chart-stub").dataset.n).toBe("4");
    expect(chartOf("s2").dataset.points).toBe("0");
    expect(screen.getByText("55 degC")).toBeInTheDocument();
    emit({ type: "readings", tenant_id: "t", points: [{ sensor_id: "s1", machine_id: M, ts: iso(now + 10), value: 56 }] });
    await waitFor(() => expect(chartOf("s1").dataset.points).toBe("5"));
  });

  it("refetches a zoomed window at finer resolution and leaves live mode", async () => {
    renderPage();
    await waitFor(() => expect(chartOf("s1").dataset.points).toBe("3"));
    fireEvent.click(within(chartOf("s1")).getByRole("button", { name: "zoom oil-temp" }));
    expect(await screen.findByRole("button", { name: "Back to live" })).toBeInTheDocument();
    await waitFor(() => {
      const q = callsTo("GET", "/api/v1/sensors/s1/readings").at(-1)!.query;
      expect(q.get("bucket_s")).toBeNull(); // a 5-minute window: raw readings
    });
    // Live points are not appended to a paused (zoomed) view.
    emit({ type: "readings", tenant_id: "t", points: [{ sensor_id: "s1", machine_id: M, ts: iso(Date.now() / 1000 + 5), value: 1 }] });
    await waitFor(() => expect(chartOf("s1").dataset.points).toBe("3"));
    fireEvent.click(screen.getByRole("button", { name: "Back to live" }));
    expect(await screen.findByText("● Live")).toBeInTheDocument();
  });

  it("shows a readings error with a retry", async () => {
    route("GET", "/api/v1/sensors/{id}/readings", problem(503, "unavailable", "database is restarting"));
    renderPage();
    await waitFor(() => expect(screen.getAllByText(/Could not load readings: database is restarting/)).toHaveLength(2));
    const before = calls.length;
    fireEvent.click(within(chartOf("s1")).getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(calls.length).toBeGreaterThan(before));
  });

  it("shows an error when the machine cannot be loaded", async () => {
    route("GET", `/api/v1/assets/${M}`, problem(404, "not_found", `asset ${M} not found`));
    renderPage();
    expect(await screen.findByRole("alert")).toHaveTextContent(`Could not load this machine: asset ${M} not found`);
  });
});
