import { callsTo, jsonResponse, resetFetch, route, USERS, type FetchCall } from "./shared/testing";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FROM, renderOee, serveOee, signIn } from "./oee/oeePage.testutil";

const SHIFTS = "/api/v1/oee/shifts";

beforeEach(() => {
  resetFetch();
  serveOee();
  route("GET", SHIFTS, []);
  route("GET", "/api/v1/oee/planned-stops", []);
  route("GET", "/api/v1/oee/configs/m1", {
    asset_id: "m1",
    kind: "machine",
    path: "Berlin/Line A/Press 1",
    configured: false,
    own: null,
    effective: { run_sensor: "spindle_speed", run_threshold: 100, idle_sensor: null, idle_threshold: null, ideal_cycle_s: null, counter_sensor: null, counter_mode: null },
  });
  route("GET", "/api/v1/sensors", { items: [], total: 0, limit: 1000, offset: 0 });
});

test("creating a shift is checked inline first, then posts the site, times and weekdays", async () => {
  route("POST", SHIFTS, (c: FetchCall) => jsonResponse(201, { id: "sh-1", created_at: FROM, updated_at: FROM, ...(c.body as object) }));
  const user = userEvent.setup();
  renderOee("/oee?tab=settings");
  const section = await screen.findByRole("region", { name: "Shifts" });
  await waitFor(() => expect(within(section).getByLabelText("Site")).toHaveValue("site-1"));
  await waitFor(() => expect(callsTo("GET", SHIFTS)[0]?.url.searchParams.get("site_id")).toBe("site-1"));
  await user.click(within(section).getByRole("button", { name: "New shift" }));
  const form = within(section).getByRole("form", { name: "New shift" });
  const f = within(form);
  await waitFor(() => expect(f.getByLabelText("Name")).toHaveFocus());

  await user.click(f.getByRole("checkbox", { name: /Mon/ })); // Tue–Fri left
  for (const d of [/Tue/, /Wed/, /Thu/, /Fri/]) await user.click(f.getByRole("checkbox", { name: d }));
  await user.click(f.getByRole("button", { name: "Create shift" }));
  expect(callsTo("POST", SHIFTS)).toHaveLength(0);
  expect(f.getByLabelText("Name")).toHaveAttribute("aria-invalid", "true");
  expect(f.getByLabelText("Name")).toHaveAccessibleDescription("Give the shift a name");
  expect(f.getByLabelText("Starts")).toHaveAccessibleDescription("Enter the start as HH:MM");
  expect(f.getByText("Pick at least one day")).toBeInTheDocument();
  expect(f.getByLabelText("Name")).toHaveFocus();

  await user.type(f.getByLabelText("Name"), "Night");
  await user.type(f.getByLabelText("Starts"), "22:00");
  await user.type(f.getByLabelText("Ends"), "06:00");
  for (const d of [/Mon/, /Tue/, /Wed/, /Thu/]) await user.click(f.getByRole("checkbox", { name: d }));
  await user.click(f.getByRole("button", { name: "Create shift" }));

  await waitFor(() => expect(callsTo("POST", SHIFTS)).toHaveLength(1));
  expect(callsTo("POST", SHIFTS)[0].body).toEqual({ site_id: "site-1", name: "Night", start_time: "22:00", end_time: "06:00", days: [1, 2, 3, 4] });
  expect(await screen.findByText("Shift “Night” created.")).toBeInTheDocument();
  expect(within(screen.getByTestId("shifts-table")).getByRole("row", { name: /Night 22:00–06:00 Mon–Thu/ })).toBeInTheDocument();
});

test("the API's 422 field details and 409 conflicts for a shift show inline", async () => {
  route("POST", SHIFTS, () =>
    jsonResponse(422, {
      title: "Validation failed",
      status: 422,
      code: "validation_failed",
      detail: "body.start_time: Input should be in a valid time format",
      errors: [{ loc: "body.start_time", msg: "Input should be in a valid time format", type: "time_parsing" }],
    }),
  );
  const user = userEvent.setup();
  renderOee("/oee?tab=settings");
  const section = await screen.findByRole("region", { name: "Shifts" });
  await user.click(within(section).getByRole("button", { name: "New shift" }));
  const f = within(within(section).getByRole("form", { name: "New shift" }));
  await user.type(f.getByLabelText("Name"), "Night");
  await user.type(f.getByLabelText("Starts"), "22:00");
  await user.type(f.getByLabelText("Ends"), "06:00");
  await user.click(f.getByRole("button", { name: "Create shift" }));
  const alert = await f.findByRole("alert");
  expect(alert).toHaveTextContent("Could not save the shift: Validation failed");
  expect(within(alert).getByRole("listitem")).toHaveTextContent("Starts: Input should be in a valid time format");

  route("POST", SHIFTS, () => jsonResponse(409, { title: "Conflict", status: 409, code: "shift_conflict", detail: "shift “Night” overlaps “Late” on Monday" }));
  await user.click(f.getByRole("button", { name: "Create shift" }));
  expect(await f.findByRole("alert")).toHaveTextContent("Could not save the shift: shift “Night” overlaps “Late” on Monday");
});

test("reason codes: create with code, name and category; the machine OEE config is saved with its sensors", async () => {
  route("POST", "/api/v1/oee/reasons", (c: FetchCall) => jsonResponse(201, { id: "r9", created_at: FROM, updated_at: FROM, ...(c.body as object) }));
  route("PUT", "/api/v1/oee/configs/m1", (c: FetchCall) => ({
    asset_id: "m1",
    kind: "machine",
    path: "Berlin/Line A/Press 1",
    configured: true,
    own: c.body,
    effective: c.body,
  }));
  const user = userEvent.setup();
  renderOee("/oee?tab=settings");
  const reasons = await screen.findByRole("region", { name: "Downtime reason codes" });
  await user.click(within(reasons).getByRole("button", { name: "New reason" }));
  const rf = within(within(reasons).getByRole("form", { name: "New reason code" }));
  await user.type(rf.getByLabelText("Code"), "material_shortage");
  await user.type(rf.getByLabelText("Name"), "Material shortage");
  await user.click(rf.getByRole("button", { name: "Create reason" }));
  await waitFor(() => expect(callsTo("POST", "/api/v1/oee/reasons")).toHaveLength(1));
  expect(callsTo("POST", "/api/v1/oee/reasons")[0].body).toEqual({ code: "material_shortage", name: "Material shortage", category: "unplanned", description: "" });
  expect(await within(reasons).findByRole("rowheader", { name: "Material shortage" })).toBeInTheDocument();

  const config = screen.getByRole("region", { name: "Machine and line OEE config" });
  const cf = within(await within(config).findByRole("form", { name: "OEE config of Berlin/Line A/Press 1" }));
  expect(cf.getByLabelText("Run sensor")).toHaveAttribute("placeholder", "inherited: spindle_speed");
  await user.type(cf.getByLabelText("Run sensor"), "spindle");
  await user.type(cf.getByLabelText("Run threshold"), "50");
  await user.type(cf.getByLabelText("Ideal cycle time (s)"), "12.5");
  await user.type(cf.getByLabelText("Counter sensor"), "parts");
  await user.selectOptions(cf.getByLabelText("Counter mode"), "cumulative");
  await user.click(cf.getByRole("button", { name: "Save config" }));
  await waitFor(() => expect(callsTo("PUT", "/api/v1/oee/configs/m1")).toHaveLength(1));
  expect(callsTo("PUT", "/api/v1/oee/configs/m1")[0].body).toEqual({
    run_sensor: "spindle",
    run_threshold: 50,
    idle_sensor: null,
    idle_threshold: null,
    ideal_cycle_s: 12.5,
    counter_sensor: "parts",
    counter_mode: "cumulative",
  });
});

test("operators do not get the settings tab", async () => {
  signIn(USERS.operator);
  renderOee("/oee?tab=settings&machine=m1");
  await screen.findByTestId("oee-summary");
  expect(screen.queryByRole("region", { name: "Shifts" })).toBeNull();
});
