import { callsTo, jsonResponse, problem, resetFetch, route, USERS } from "./shared/testing";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { LinePlotProps } from "./analytics/LinePlot";
import { A, editor, renderAnalytics, result, runButton, serveAnalytics, signIn } from "./analytics/analyticsPage.testutil";

// uPlot needs a real canvas: the plot is replaced by a stub that shows what it was given.
vi.mock("./analytics/LinePlot", () => ({
  LinePlot: (p: LinePlotProps) => (
    <div data-testid="plot-stub" data-series={p.series.map((s) => s.label).join("|")} data-points={p.x.length} data-tz={p.timeZone} data-y={p.yLabel} />
  ),
}));

beforeEach(resetFetch);

const DAY = 86_400_000;

function setSql(text: string) {
  fireEvent.change(editor(), { target: { value: text } });
}

test("the page shows the editor with an example, the tables, saved queries and examples", async () => {
  serveAnalytics();
  renderAnalytics();
  expect(screen.getByRole("heading", { level: 1, name: "Analytics" })).toBeInTheDocument();
  expect(screen.getByRole("tab", { name: "Query" })).toHaveAttribute("aria-selected", "true");
  expect(editor().value).toContain("time_bucket(interval '1 hour', r.bucket)");
  expect(screen.getByRole("combobox", { name: "Time range" })).toHaveValue("7d");
  expect(screen.getByRole("spinbutton", { name: "Max rows" })).toHaveValue(1000);
  expect(await screen.findByRole("button", { name: "Insert table readings_1m" })).toBeInTheDocument();
  expect(screen.getByRole("heading", { name: "Dimension tables" })).toBeInTheDocument();
  expect(await screen.findByText(/No saved queries yet/)).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Use example: Alarms per day" })).toBeInTheDocument();
  expect(screen.getByText("Run a query to see its result here.")).toBeInTheDocument();
});

test("a viewer is told analytics needs another role, and nothing is requested", async () => {
  serveAnalytics({ user: USERS.viewer });
  renderAnalytics();
  expect(screen.getByRole("alert")).toHaveTextContent("Analytics needs the administrator, engineer, production, quality, supply chain or maintenance role; yours is viewer");
  expect(screen.queryByRole("textbox", { name: "SQL" })).toBeNull();
  expect(callsTo("GET", `${A}/tables`)).toHaveLength(0);
});

test("running a query posts the SQL, the last 7 days and max rows, and shows the typed result in plant time", async () => {
  serveAnalytics();
  route("POST", `${A}/query`, result());
  const user = userEvent.setup();
  renderAnalytics();
  setSql("select 1");
  await user.click(runButton());

  const table = await screen.findByRole("table", { name: /Query result/ });
  const [call] = callsTo("POST", `${A}/query`);
  const body = call.body as { sql: string; start: string; end: string; max_rows: number; params: object };
  expect(body.sql).toBe("select 1");
  expect(body.max_rows).toBe(1000);
  expect(body.params).toEqual({});
  expect(Date.parse(body.end) - Date.parse(body.start)).toBe(7 * DAY);
  expect(Math.abs(Date.parse(body.end) - Date.now())).toBeLessThan(60_000);

  const headers = within(table).getAllByRole("columnheader");
  expect(headers.map((h) => h.textContent)).toEqual(["hourTIMESTAMP WITH TIME ZONE", "sensorVARCHAR", "avg_valueDOUBLE", "nBIGINT"]);
  const rows = within(table).getAllByRole("row");
  expect(rows).toHaveLength(5);
  expect(rows[1]).toHaveTextContent("2026-03-02 10:00:00"); // 09:00Z in Berlin
  expect(rows[1]).toHaveTextContent("71.25");
  expect(within(rows[4]).getByText("NULL")).toBeInTheDocument();
  const facts = screen.getByTestId("result-facts");
  expect(facts).toHaveTextContent("4 rows");
  expect(facts).toHaveTextContent("312 ms");
  expect(facts).toHaveTextContent("3.0 MiB of lake data read");
  expect(facts).toHaveTextContent("from readings_1m, sensors");
  expect(screen.queryByTestId("truncated")).toBeNull();
});

test("Ctrl+Enter (and Cmd+Enter) in the editor runs the query; the button says Running… meanwhile", async () => {
  serveAnalytics();
  let release!: () => void;
  route("POST", `${A}/query`, () => new Promise((r) => (release = () => r(result()))));
  renderAnalytics();
  fireEvent.keyDown(editor(), { key: "Enter", ctrlKey: true });
  expect(await screen.findByRole("button", { name: "Running…" })).toBeDisabled();
  expect(screen.getByText(/Running ad-hoc query…/)).toBeInTheDocument();
  fireEvent.keyDown(editor(), { key: "Enter", metaKey: true }); // ignored while one runs
  release();
  expect(await screen.findByTestId("result-facts")).toBeInTheDocument();
  expect(callsTo("POST", `${A}/query`)).toHaveLength(1);
  fireEvent.keyDown(editor(), { key: "Enter", metaKey: true });
  await waitFor(() => expect(callsTo("POST", `${A}/query`)).toHaveLength(2));
  fireEvent.keyDown(editor(), { key: "Enter" }); // a plain Enter is a new line
  expect(callsTo("POST", `${A}/query`)).toHaveLength(2);
});

test("a truncated result says so, with the limit that was applied", async () => {
  serveAnalytics();
  route("POST", `${A}/query`, result({ truncated: true, max_rows: 4, row_count: 4 }));
  const user = userEvent.setup();
  renderAnalytics();
  await user.clear(screen.getByRole("spinbutton", { name: "Max rows" }));
  await user.type(screen.getByRole("spinbutton", { name: "Max rows" }), "4");
  await user.click(runButton());
  expect(await screen.findByTestId("truncated")).toHaveTextContent("Truncated: the query returned more than 4 rows; only the first 4 are shown.");
  expect((callsTo("POST", `${A}/query`)[0].body as { max_rows: number }).max_rows).toBe(4);
});

test.each([
  [400, "sql_error", 'Binder Error: Referenced column "valu" not found\nLINE 1: select valu from readings\n               ^', "SQL error"],
  [400, "forbidden_sql", "only read-only queries (SELECT / WITH) are allowed; DELETE statements are not", "Statement not allowed"],
  [422, "query_timeout", "the query was stopped after its time limit", "Query timed out"],
  [422, "query_too_large", "the query would load more than 2147483648 bytes of lake data; narrow start/end", "Query too large"],
])("a %s %s is shown with its code, message and a hint", async (status, code, detail, title) => {
  serveAnalytics();
  route("POST", `${A}/query`, () => problem(status, detail, code));
  const user = userEvent.setup();
  renderAnalytics();
  await user.click(runButton());
  const alert = await screen.findByTestId("query-error");
  expect(alert).toHaveAttribute("role", "alert");
  expect(alert).toHaveTextContent(`${title} (${code}, HTTP ${status})`);
  expect(within(alert).getByText((_t, el) => el?.tagName === "PRE" && el.textContent === detail)).toBeInTheDocument();
  expect(alert.querySelector("p.small")?.textContent).toBeTruthy();
  expect(editor()).toBeInTheDocument(); // never a blank page
});

test("busy (429) offers to run again and says how long to wait; an error keeps the previous result, marked", async () => {
  serveAnalytics();
  route("POST", `${A}/query`, result());
  const user = userEvent.setup();
  renderAnalytics();
  await user.click(runButton());
  await screen.findByTestId("result-facts");

  route("POST", `${A}/query`, () =>
    jsonResponse(429, { type: "about:blank", title: "Too many requests", status: 429, code: "analytics_busy", detail: "2 analytics queries are already running; retry shortly", retry_after: 2 }),
  );
  await user.click(runButton());
  const alert = await screen.findByTestId("query-error");
  expect(alert).toHaveTextContent("Analytics is busy (analytics_busy, HTTP 429)");
  expect(alert).toHaveTextContent("The server suggests waiting 2 s.");
  expect(screen.getByText("The result below is from the previous successful run.")).toBeInTheDocument();
  expect(screen.getByTestId("result-facts")).toBeInTheDocument();

  route("POST", `${A}/query`, result({ rows: [["2026-03-02T09:00:00+00:00", "x", 1, 1]] }));
  await user.click(within(alert).getByRole("button", { name: "Run again" }));
  await waitFor(() => expect(screen.getByTestId("result-facts")).toHaveTextContent("1 row"));
  expect(screen.queryByTestId("query-error")).toBeNull();
  expect(callsTo("POST", `${A}/query`)).toHaveLength(3);
});

test("a network failure is said plainly", async () => {
  serveAnalytics();
  route("POST", `${A}/query`, () => Promise.reject(new TypeError("Failed to fetch")));
  const user = userEvent.setup();
  renderAnalytics();
  await user.click(runButton());
  expect(await screen.findByTestId("query-error")).toHaveTextContent("MIP is not reachable (network_error)");
});

test("cancel stops waiting for the answer and ignores it", async () => {
  serveAnalytics();
  let release!: () => void;
  route("POST", `${A}/query`, () => new Promise((r) => (release = () => r(result()))));
  const user = userEvent.setup();
  renderAnalytics();
  await user.click(runButton());
  await user.click(await screen.findByRole("button", { name: "Cancel" }));
  expect(screen.getByText(/Cancelled/)).toBeInTheDocument();
  expect(runButton()).toBeEnabled();
  release();
  await new Promise((r) => setTimeout(r, 20));
  expect(screen.queryByTestId("result-facts")).toBeNull();
});

test("thousands of rows are paged 100 at a time", async () => {
  serveAnalytics();
  const rows = Array.from({ length: 2500 }, (_, i) => [new Date(Date.UTC(2026, 2, 1) + i * 60_000).toISOString(), `s${i}`, i, 1]);
  route("POST", `${A}/query`, result({ rows, row_count: 2500 }));
  const user = userEvent.setup();
  renderAnalytics();
  await user.click(runButton());
  const table = await screen.findByRole("table", { name: /Query result, rows 1 to 100 of 2500/ });
  expect(within(table).getAllByRole("row")).toHaveLength(101);
  const pager = screen.getByRole("navigation", { name: "Result pages" });
  expect(pager).toHaveTextContent("Rows 1–100 of 2,500");
  await user.click(within(pager).getByRole("button", { name: "Next" }));
  expect(pager).toHaveTextContent("Rows 101–200 of 2,500");
  expect(within(table).getByText("s100")).toBeInTheDocument();
  await user.click(within(pager).getByRole("button", { name: "Last" }));
  expect(pager).toHaveTextContent("Rows 2,401–2,500 of 2,500");
  expect(within(pager).getByRole("button", { name: "Next" })).toBeDisabled();
  await user.selectOptions(within(pager).getByRole("combobox", { name: "Rows per page" }), "500");
  expect(pager).toHaveTextContent("Rows 1–500 of 2,500");
});

test("the chart plots the time column against a number, one line per text value, and the columns can be changed", async () => {
  serveAnalytics();
  route("POST", `${A}/query`, result());
  const user = userEvent.setup();
  renderAnalytics();
  await user.click(runButton());
  await screen.findByTestId("result-facts");
  await user.click(screen.getByRole("button", { name: "Chart" }));
  expect(screen.getByRole("button", { name: "Chart" })).toHaveAttribute("aria-pressed", "true");
  const plot = await screen.findByTestId("plot-stub"); // uPlot loads with the first chart
  expect(plot).toHaveAttribute("data-series", "Press 1/temp|Press 2/temp");
  expect(plot).toHaveAttribute("data-points", "2");
  expect(plot).toHaveAttribute("data-tz", "Europe/Berlin");
  expect(screen.getByRole("img", { name: /Line chart of avg_value over hour by sensor: 2 series, 2 time points from 2026-03-02 10:00:00 to 2026-03-02 11:00:00/ })).toBeInTheDocument();

  await user.selectOptions(screen.getByRole("combobox", { name: "Y axis (value)" }), "n");
  await user.selectOptions(screen.getByRole("combobox", { name: "One line per" }), "");
  expect(screen.getByTestId("plot-stub")).toHaveAttribute("data-series", "n");
  expect(screen.getByTestId("plot-stub")).toHaveAttribute("data-y", "n");
});

test("a result without a time column explains why there is no chart", async () => {
  serveAnalytics();
  route("POST", `${A}/query`, result({ columns: [{ name: "severity", type: "VARCHAR" }, { name: "n", type: "BIGINT" }], rows: [["major", 3]] }));
  const user = userEvent.setup();
  renderAnalytics();
  await user.click(runButton());
  await screen.findByTestId("result-facts");
  await user.click(screen.getByRole("button", { name: "Chart" }));
  expect(screen.getByTestId("no-chart")).toHaveTextContent("a line chart needs a time column");
});

test("table and column buttons insert the name at the cursor", async () => {
  serveAnalytics();
  const user = userEvent.setup();
  renderAnalytics();
  setSql("select  from ");
  editor().setSelectionRange(13, 13);
  await user.click(await screen.findByRole("button", { name: "Insert table readings_1m" }));
  expect(editor().value).toBe("select  from readings_1m");
  expect(screen.getByText("Inserted readings_1m into the query.")).toBeInTheDocument();

  const cols = screen.getByRole("button", { name: "Columns of readings_1m" });
  expect(cols).toHaveAttribute("aria-expanded", "false");
  await user.click(cols);
  expect(cols).toHaveAttribute("aria-expanded", "true");
  expect(within(screen.getByTestId("table-readings_1m")).getByText("time column")).toBeInTheDocument();
  editor().setSelectionRange(7, 7);
  await user.click(screen.getByRole("button", { name: "Insert column bucket (TIMESTAMP WITH TIME ZONE)" }));
  expect(editor().value).toBe("select bucket from readings_1m");
});

test("$parameters get fields; an empty one stops the run, typed values are sent with their type", async () => {
  serveAnalytics();
  route("POST", `${A}/query`, result());
  const user = userEvent.setup();
  renderAnalytics();
  setSql("select * from readings r where r.sensor_id = $sensor and r.value > $min -- $not_a_param\n and 'x$y' = 'x$y'");
  const group = screen.getByRole("group", { name: "Parameters" });
  expect(within(group).getAllByTestId(/^param-/).map((e) => e.dataset.testid)).toEqual(["param-sensor", "param-min"]);
  await user.click(runButton());
  expect(screen.getByTestId("form-error")).toHaveTextContent("Fill in the query's parameters: $sensor (enter a value), $min (enter a value).");
  expect(callsTo("POST", `${A}/query`)).toHaveLength(0);

  await user.type(screen.getByRole("textbox", { name: "$sensor" }), "s-1");
  await user.selectOptions(screen.getByRole("combobox", { name: "Type of $min" }), "number");
  await user.type(screen.getByRole("textbox", { name: "$min" }), "abc");
  await user.click(runButton());
  expect(screen.getByTestId("form-error")).toHaveTextContent("$min (enter a number)");
  expect(screen.getByRole("textbox", { name: "$min" })).toHaveAttribute("aria-invalid", "true");

  await user.clear(screen.getByRole("textbox", { name: "$min" }));
  await user.type(screen.getByRole("textbox", { name: "$min" }), "42.5");
  await user.click(runButton());
  await screen.findByTestId("result-facts");
  expect((callsTo("POST", `${A}/query`)[0].body as { params: object }).params).toEqual({ sensor: "s-1", min: 42.5 });
});

test("a custom range is sent as typed in plant time, and a reversed one is refused before asking the server", async () => {
  serveAnalytics();
  route("POST", `${A}/query`, result());
  const user = userEvent.setup();
  renderAnalytics();
  await screen.findByRole("button", { name: "Insert table readings_1m" }); // the tenant (time zone) has loaded
  await user.selectOptions(screen.getByRole("combobox", { name: "Time range" }), "custom");
  const start = screen.getByLabelText("Start (plant time)");
  const end = screen.getByLabelText("End (plant time)");
  fireEvent.change(start, { target: { value: "2026-03-02T08:00" } });
  fireEvent.change(end, { target: { value: "2026-03-01T08:00" } });
  await user.click(runButton());
  expect(screen.getByTestId("form-error")).toHaveTextContent("The start must be before the end.");
  expect(callsTo("POST", `${A}/query`)).toHaveLength(0);

  fireEvent.change(end, { target: { value: "2026-03-03T08:00" } });
  await user.click(runButton());
  await screen.findByTestId("result-facts");
  const body = callsTo("POST", `${A}/query`)[0].body as { start: string; end: string };
  expect(body).toMatchObject({ start: "2026-03-02T07:00:00.000Z", end: "2026-03-03T07:00:00.000Z" });
});

test("an example replaces the editor text and Undo brings the old text back; the draft survives a reload", async () => {
  serveAnalytics();
  const user = userEvent.setup();
  const view = renderAnalytics();
  setSql("select 42 as answer");
  await user.click(screen.getByRole("button", { name: "Use example: Alarms per day" }));
  expect(editor().value).toContain("time_bucket(interval '1 day', ts,");
  expect(editor().value).toContain("from alarms");
  await user.click(screen.getByRole("button", { name: "Undo" }));
  expect(editor().value).toBe("select 42 as answer");

  view.unmount();
  renderAnalytics();
  expect(editor().value).toBe("select 42 as answer");
  await screen.findByRole("button", { name: "Insert table readings_1m" });
});

test("an invalid max rows is refused before asking the server", async () => {
  serveAnalytics();
  const user = userEvent.setup();
  renderAnalytics();
  const max = screen.getByRole("spinbutton", { name: "Max rows" });
  await user.clear(max);
  await user.type(max, "200000");
  expect(max).toHaveAttribute("aria-invalid", "true");
  await user.click(runButton());
  expect(screen.getByTestId("form-error")).toHaveTextContent("Max rows must be a whole number from 1 to 100,000.");
  expect(callsTo("POST", `${A}/query`)).toHaveLength(0);
});

test("the tabs are keyboard operable and the lake tab is in the URL", async () => {
  serveAnalytics();
  signIn(USERS.operator); // production may query too
  const user = userEvent.setup();
  renderAnalytics();
  screen.getByRole("tab", { name: "Query" }).focus();
  await user.keyboard("{ArrowRight}");
  expect(screen.getByRole("tab", { name: "Lake status & catalog" })).toHaveAttribute("aria-selected", "true");
  expect(await screen.findByRole("heading", { name: "Lake status" })).toBeInTheDocument();
  // the query tab keeps its state while hidden
  await user.keyboard("{Home}");
  expect(editor()).toBeVisible();
});

test("axe finds no accessibility violations on the query tab with a result, or on the lake tab", async () => {
  const { default: axe } = await import("axe-core");
  const check = async (el: Element) => {
    const r = await axe.run(el, { rules: { "color-contrast": { enabled: false } } }); // jsdom cannot compute colours
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  };
  serveAnalytics();
  route("POST", `${A}/query`, result({ truncated: true }));
  route("POST", `${A}/saved-queries`, () => problem(409, "taken", "saved_query_name_taken"));
  const user = userEvent.setup();
  const { container } = renderAnalytics();
  setSql("select * from readings where sensor_id = $s");
  await user.type(screen.getByRole("textbox", { name: "$s" }), "x");
  await user.click(runButton());
  await screen.findByTestId("truncated");
  await user.click(screen.getByRole("button", { name: "Columns of readings_1m" }));
  await user.click(screen.getByRole("button", { name: "Save as…" }));
  await user.type(screen.getByRole("textbox", { name: "Name" }), "x");
  await user.click(screen.getByRole("button", { name: "Save" }));
  await screen.findByText(/already exists/);
  expect(await check(container)).toEqual([]);

  await user.click(screen.getByRole("tab", { name: "Lake status & catalog" }));
  await screen.findByTestId("catalog-ddl");
  await screen.findByRole("table", { name: "Datasets in the lake" });
  expect(await check(container)).toEqual([]);
});
