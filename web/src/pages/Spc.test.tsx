import { callsTo, problem, resetFetch, route, USERS } from "./shared/testing";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Q, renderSpc, serveSpc, signIn, stored, view } from "./spc/spcPage.testutil";

beforeEach(resetFetch);

test("a stored chart shows points, per-point limits, Phase I/II, violations on the chart and in a table, and capability", async () => {
  serveSpc();
  renderSpc();
  const list = await screen.findByRole("list", { name: "Charts" });
  expect(within(list).getAllByRole("button")).toHaveLength(2);
  expect(within(list).getByRole("button", { name: /Bore diameter/ })).toHaveAttribute("aria-current", "true");

  const chart = await screen.findByTestId("spc-chart");
  expect(chart).toHaveAttribute("data-points", "6");
  expect(chart).toHaveAccessibleName(/6 points, latest 9.99 \(limits 9.91 to 10.09, centre 10\); 1 rule violation; Phase I is the first 3 points/);
  expect(within(chart).getByText("Phase I")).toBeInTheDocument();
  expect(within(chart).getByText("Phase II")).toBeInTheDocument();
  const marks = within(chart).getAllByTestId("spc-violation");
  expect(marks).toHaveLength(1);
  expect(marks[0]).toHaveAttribute("data-rules", "we1");
  expect(marks[0]).toHaveTextContent("1");
  expect(within(chart).getAllByTestId("spc-excluded")).toHaveLength(1);
  expect(screen.getByTestId("spc-limits")).toHaveTextContent("control limits vary with the subgroup size (per point)");
  expect(screen.getByTestId("spc-phase1")).toHaveTextContent("Phase I: 3 subgroups, 2 used for the limits, excluded 2; in control.");

  const rows = within(screen.getByRole("table", { name: "Rule violations" })).getAllByTestId("violation-row");
  expect(rows).toHaveLength(1);
  expect(rows[0]).toHaveTextContent("5IIwe1");
  expect(rows[0]).toHaveTextContent("point beyond the control limits");

  const cap = screen.getByRole("table", { name: "Capability indices" });
  expect(within(cap).getByRole("row", { name: /^Cpk/ })).toHaveTextContent("1.267");
  expect(within(cap).getByRole("row", { name: /^Cpk/ })).toHaveTextContent("(below 1.33)");
  expect(within(cap).getByRole("row", { name: /^Cp\b/ })).toHaveTextContent("1.01 – 1.65");
});

test("constant limits are stated; a chart with no subgroups yet says so", async () => {
  serveSpc();
  route("GET", `${Q}/charts/c-1/chart`, () => problem(409, "the chart has no subgroups yet", "spc_chart_conflict"));
  route("GET", `${Q}/charts/c-2/chart`, view({ limits: { lcl: 9.93, center: 10, ucl: 10.07 }, violations: [], capability: null }));
  const user = userEvent.setup();
  renderSpc();
  expect(await screen.findByText("No subgroups yet: add the first ones below.")).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: /Spindle temp/ }));
  expect(await screen.findByTestId("spc-limits")).toHaveTextContent("LCL 9.93, UCL 10.07");
  expect(screen.getByText("No rule is violated.")).toBeInTheDocument();
  expect(screen.queryByRole("heading", { name: "Add subgroups" })).toBeNull(); // sensor-fed
  expect(screen.queryByRole("heading", { name: "Freeze the Phase I limits" })).toBeNull(); // already Phase II
});

test("creating a chart sends type, subgroup size, rules, specs and source", async () => {
  serveSpc({ charts: [] });
  route("POST", `${Q}/charts`, (c) => ({ ...stored("c-9", { name: "Torque", type: "imr", subgroup_size: 1, source: "sensor" }), _sent: c.body }));
  const user = userEvent.setup();
  renderSpc();
  expect(await screen.findByText("No stored charts yet.")).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "New chart" }));
  const form = within(screen.getByRole("form", { name: "New SPC chart" }));
  await user.type(form.getByLabelText("Name"), "Torque");
  await user.selectOptions(form.getByLabelText("Chart type"), "imr");
  await user.clear(form.getByLabelText("Subgroup size"));
  await user.type(form.getByLabelText("Subgroup size"), "1");
  await user.selectOptions(form.getByLabelText("Rules"), "nelson");
  await user.type(form.getByLabelText("LSL (optional)"), "12");
  await user.type(form.getByLabelText("USL (optional)"), "10");
  expect(form.getByText("USL must be above LSL.")).toBeInTheDocument();
  await user.clear(form.getByLabelText("USL (optional)"));
  await user.type(form.getByLabelText("USL (optional)"), "14");
  await user.click(form.getByRole("radio", { name: /A sensor's readings/ }));
  await user.selectOptions(await form.findByLabelText("Sensor"), "s-1");
  await user.click(form.getByRole("button", { name: "Create chart" }));
  await waitFor(() => expect(callsTo("POST", `${Q}/charts`)).toHaveLength(1));
  expect(callsTo("POST", `${Q}/charts`)[0].body).toEqual({
    name: "Torque",
    settings: { type: "imr", rules: "nelson", lsl: 12, usl: 14 },
    source: "sensor",
    subgroup_size: 1,
    sensor_id: "s-1",
  });
  expect(await screen.findByRole("heading", { name: "Torque" })).toBeInTheDocument();
});

test("adding subgroups by hand and freezing the Phase I limits", async () => {
  serveSpc();
  route("POST", `${Q}/charts/c-1/points`, { phase: 1, first_seq: 7, last_seq: 8, signals: [] });
  route("POST", `${Q}/charts/c-1/limits`, stored("c-1", { status: "phase2", limits: { params: {} }, limits_version: 1, frozen_at: "2026-03-02T09:00:00Z", subgroups: 8 }));
  const user = userEvent.setup();
  renderSpc();
  await screen.findByTestId("spc-chart");
  const values = screen.getByLabelText(/One subgroup per line: its 5 measurement/);
  await user.type(values, "10.1, 10.2, 9.9, 10.0, 10.0{Enter}10.0 x");
  expect(screen.getByText("line 2: “x” is not a number")).toBeInTheDocument();
  await user.type(values, "{Backspace}9.8");
  await user.type(screen.getByLabelText("Note (optional)"), "new tool");
  await user.click(screen.getByRole("button", { name: "Add 2 subgroups" }));
  expect(await screen.findByText("Added subgroups 7–8 (Phase I).")).toBeInTheDocument();
  expect(callsTo("POST", `${Q}/charts/c-1/points`)[0].body).toEqual({
    subgroups: [
      { values: [10.1, 10.2, 9.9, 10.0, 10.0], note: "new tool" },
      { values: [10.0, 9.8], note: "new tool" },
    ],
  });
  await waitFor(() => expect(callsTo("GET", `${Q}/charts/c-1/chart`).length).toBe(2)); // reloaded

  await user.type(screen.getByLabelText("Exclude subgroups (assignable causes)"), "2, 5");
  await user.click(screen.getByRole("checkbox", { name: /drop the subgroups the rules flag/ }));
  await user.click(screen.getByRole("button", { name: "Freeze limits" }));
  await waitFor(() => expect(callsTo("POST", `${Q}/charts/c-1/limits`)).toHaveLength(1));
  expect(callsTo("POST", `${Q}/charts/c-1/limits`)[0].body).toEqual({ exclude: [2, 5], auto_exclude: true });
  expect(await screen.findByText("Phase II (limits frozen)")).toBeInTheDocument();
  expect(screen.queryByRole("heading", { name: "Freeze the Phase I limits" })).toBeNull();
});

test("quick chart: pasted CSV → stateless chart; bad data and API errors are explained", async () => {
  serveSpc();
  route("POST", `${Q}/chart`, (c) => {
    const b = c.body as { values?: number[] };
    return b.values && b.values.length < 3 ? problem(422, "need at least 2 subgroups", "spc_bad_input") : view({ type: "imr", capability: null });
  });
  const user = userEvent.setup();
  renderSpc("/quality/spc?tab=quick");
  const csv = screen.getByLabelText("Data (CSV)");
  await user.type(csv, "value{Enter}10.1{Enter}abc");
  expect(screen.getByText("line 3: “abc” is not a number")).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Compute chart" })).toBeDisabled();
  await user.clear(csv);
  await user.type(csv, "10.1{Enter}9.9");
  await user.click(screen.getByRole("button", { name: "Compute chart" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("Could not compute the chart: need at least 2 subgroups");

  await user.type(csv, "{Enter}10.0{Enter}10.3");
  await user.type(screen.getByLabelText("Phase I subgroups (optional)"), "3");
  await user.type(screen.getByLabelText("USL (optional)"), "11");
  await user.click(screen.getByRole("button", { name: "Compute chart" }));
  expect(await screen.findByTestId("spc-chart")).toHaveAttribute("data-points", "6");
  expect(callsTo("POST", `${Q}/chart`).at(-1)?.body).toEqual({ type: "imr", rules: "we", phase1: 3, usl: 11, values: [10.1, 9.9, 10.0, 10.3] });
  expect(callsTo("POST", `${Q}/charts`)).toHaveLength(0); // nothing stored
});

test("viewers read charts but cannot create, add or freeze; load errors retry", async () => {
  serveSpc();
  signIn(USERS.viewer);
  renderSpc();
  await screen.findByTestId("spc-chart");
  expect(screen.queryByRole("button", { name: "New chart" })).toBeNull();
  expect(screen.queryByRole("heading", { name: "Add subgroups" })).toBeNull();
  expect(screen.queryByRole("heading", { name: "Freeze the Phase I limits" })).toBeNull();
  expect(screen.getByText(/Creating charts, adding subgroups and freezing limits need/)).toBeInTheDocument();
});

test("a failing chart list shows an error with retry", async () => {
  serveSpc();
  route("GET", `${Q}/charts`, () => problem(503, "database is down"));
  const user = userEvent.setup();
  renderSpc();
  expect(await screen.findByRole("alert")).toHaveTextContent("Could not load charts: database is down");
  route("GET", `${Q}/charts`, { items: [stored("c-1")], limit: 1000, offset: 0 });
  await user.click(screen.getByRole("button", { name: "Retry" }));
  expect(await screen.findByTestId("spc-chart")).toBeInTheDocument();
});
