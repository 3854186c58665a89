import { callsTo, problem, resetFetch, route, USERS } from "./shared/testing";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { dataset, lake, renderAnalytics, serveAnalytics } from "./analytics/analyticsPage.testutil";

beforeEach(resetFetch);

const H = 3_600_000;

test("the lake tab shows each dataset's state in words, freshness, sizes and the last error", async () => {
  serveAnalytics();
  route(
    "GET",
    "/api/v1/lake/status",
    lake({
      datasets: [
        dataset("readings_1m"),
        dataset("readings", { data_class: "raw", exported_through: new Date(Date.now() - 7 * H).toISOString() }),
        dataset("alarms", { last_error: "s3: access denied", data_class: "events" }),
        dataset("oee_hourly", { newest_ts: null, freshness_lag_s: null, exported_through: null, rows: 0, files: 0, bytes: 0, last_run_at: null, oldest_day: null }),
      ],
    }),
  );
  renderAnalytics("/analytics?tab=lake");
  const table = await screen.findByRole("table", { name: "Datasets in the lake" });
  const fresh = within(table).getByTestId("lake-readings_1m");
  expect(fresh).toHaveTextContent("Up to date");
  expect(fresh).toHaveTextContent("lag 1 h 30 min");
  expect(fresh).toHaveTextContent("123,456");
  expect(fresh).toHaveTextContent("5.0 MiB");
  expect(fresh).toHaveTextContent("5 min ago");
  expect(fresh).toHaveTextContent("2026-01-01");
  expect(within(table).getByTestId("lake-readings")).toHaveTextContent("Behind by 7 h");
  expect(within(table).getByTestId("lake-alarms")).toHaveTextContent("Errors3: access denied");
  const empty = within(table).getByTestId("lake-oee_hourly");
  expect(empty).toHaveTextContent("Not exported yet");
  expect(empty).toHaveTextContent("none");
  expect(empty).toHaveTextContent("never");
  expect(screen.getByText("file:///var/lib/mip/lake", { selector: "dd" })).toBeInTheDocument();
  expect(screen.getByTestId("lake-key")).toHaveTextContent("present");
});

test("a shredded key is called out, and Refresh reloads", async () => {
  serveAnalytics();
  route("GET", "/api/v1/lake/status", lake({ key: "shredded", shredded_at: "2026-03-01T12:00:00Z" }));
  const user = userEvent.setup();
  renderAnalytics("/analytics?tab=lake");
  expect(await screen.findByTestId("lake-key")).toHaveTextContent("shredded: the lake files of this tenant can no longer be decrypted (2026-03-01 13:00:00)");
  await user.click(screen.getByRole("button", { name: "Refresh" }));
  await waitFor(() => expect(callsTo("GET", "/api/v1/lake/status")).toHaveLength(2));
});

test("a refused lake status (403) says why instead of an empty panel", async () => {
  serveAnalytics({ user: USERS.operator });
  route("GET", "/api/v1/lake/status", () => problem(403, "role production may not read the lake status", "permission_denied"));
  renderAnalytics("/analytics?tab=lake");
  expect(await screen.findByText(/Your role may not read the lake status/)).toBeInTheDocument();
});

test("the catalog DDL is shown for Athena, switches to Trino and copies to the clipboard", async () => {
  serveAnalytics();
  const writeText = vi.fn(() => Promise.resolve());
  Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
  const user = userEvent.setup();
  Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true }); // userEvent.setup installs its own
  renderAnalytics("/analytics?tab=lake");
  const ddl = await screen.findByTestId("catalog-ddl");
  expect(ddl).toHaveTextContent("-- athena DDL");
  expect(screen.getByRole("button", { name: "Athena / Glue" })).toHaveAttribute("aria-pressed", "true");

  await user.click(screen.getByRole("button", { name: "Trino (Hive)" }));
  expect(await screen.findByText(/-- trino DDL/)).toBeInTheDocument();
  expect(callsTo("GET", "/api/v1/analytics/catalog").map((c) => c.url.searchParams.get("engine"))).toEqual(["athena", "trino"]);

  await user.click(screen.getByRole("button", { name: "Copy DDL" }));
  expect(writeText).toHaveBeenCalledWith("-- trino DDL\nCREATE EXTERNAL TABLE readings_1m (...)");
  expect(screen.getByText("Copied the DDL to the clipboard.")).toBeInTheDocument();
});

test("without clipboard access the DDL is selected for Ctrl+C", async () => {
  serveAnalytics();
  const user = userEvent.setup();
  Object.defineProperty(navigator, "clipboard", { value: { writeText: () => Promise.reject(new Error("denied")) }, configurable: true });
  renderAnalytics("/analytics?tab=lake");
  await screen.findByTestId("catalog-ddl");
  await user.click(screen.getByRole("button", { name: "Copy DDL" }));
  expect(await screen.findByText(/the DDL is selected, press Ctrl\+C/)).toBeInTheDocument();
  expect(globalThis.getSelection()?.toString()).toContain("CREATE EXTERNAL TABLE");
});

test("a catalog load error is shown", async () => {
  serveAnalytics();
  route("GET", "/api/v1/analytics/catalog", () => problem(500, "lake not configured", "internal_error"));
  renderAnalytics("/analytics?tab=lake");
  expect(await screen.findByRole("alert")).toHaveTextContent("Could not load the catalog DDL: lake not configured");
});
