import { callsTo, problem, resetFetch, route, USERS } from "./shared/testing";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { fireEvent } from "@testing-library/react";
import { A, editor, ENGINEER, renderAnalytics, result, runButton, savedQuery, serveAnalytics } from "./analytics/analyticsPage.testutil";
import type { SavedQuery } from "./analytics/api";

beforeEach(resetFetch);

const OTHER = "00000000-0000-0000-0000-0000000000ff";
const mine = savedQuery("q1", { name: "Alarms by severity", description: "per severity", sql: "select severity, count(*) from alarms group by all" });
const theirs = savedQuery("q2", { name: "Hot sensors", owner_id: OTHER });
const withParam = savedQuery("q3", {
  name: "One sensor",
  sql: "select ts, value from readings where sensor_id = $sensor and value > $min",
  parameters: [
    { name: "sensor", type: "string", default: "s-1", description: "the sensor id" },
    { name: "min", type: "number", default: null, description: "" },
  ],
});

const item = (name: string) => screen.getAllByTestId("saved-query").find((li) => within(li).queryByText(name)) as HTMLElement;

test("saved queries are listed with owner and parameters; only the owner (or an admin) gets Delete", async () => {
  serveAnalytics({ saved: [mine, theirs, withParam] });
  renderAnalytics();
  await screen.findByText("Alarms by severity");
  expect(item("Alarms by severity")).toHaveTextContent("yours · no parameters · updated 2026-03-01 09:00:00");
  expect(item("Hot sensors")).toHaveTextContent("by another user");
  expect(item("One sensor")).toHaveTextContent("$sensor, $min");
  expect(within(item("Alarms by severity")).getByRole("button", { name: "Delete Alarms by severity" })).toBeInTheDocument();
  expect(within(item("Hot sensors")).queryByRole("button", { name: /Delete/ })).toBeNull();
});

test("an admin may delete anyone's saved query", async () => {
  serveAnalytics({ user: USERS.admin, saved: [theirs] });
  renderAnalytics();
  expect(await screen.findByRole("button", { name: "Delete Hot sensors" })).toBeInTheDocument();
});

test("Save as… saves the editor's SQL with its parameters (values become defaults) and opens it", async () => {
  const created: SavedQuery[] = [];
  serveAnalytics();
  route("POST", `${A}/saved-queries`, (c: { body: unknown }) => {
    const b = c.body as { name: string; description: string; sql: string; parameters: SavedQuery["parameters"] };
    const q = savedQuery("new", { ...b });
    created.push(q);
    return new Response(JSON.stringify(q), { status: 201, headers: { "content-type": "application/json" } });
  });
  route("GET", `${A}/saved-queries`, () => ({ items: created }));
  const user = userEvent.setup();
  renderAnalytics();
  fireEvent.change(editor(), { target: { value: "select * from alarms where severity = $sev" } });
  await user.type(screen.getByRole("textbox", { name: "$sev" }), "major");
  await user.click(screen.getByRole("button", { name: "Save as…" }));
  const form = screen.getByRole("form", { name: "Save query as" });
  expect(within(form).getByRole("textbox", { name: "Name" })).toHaveFocus();
  expect(form).toHaveTextContent("$sev (string, default major)");

  await user.click(within(form).getByRole("button", { name: "Save" }));
  expect(within(form).getByText("Enter a name.")).toBeInTheDocument();
  expect(callsTo("POST", `${A}/saved-queries`)).toHaveLength(0);

  await user.type(within(form).getByRole("textbox", { name: "Name" }), "  Major alarms ");
  await user.type(within(form).getByRole("textbox", { name: "Description (optional)" }), "only major");
  await user.click(within(form).getByRole("button", { name: "Save" }));
  await waitFor(() => expect(screen.queryByRole("form", { name: "Save query as" })).toBeNull());
  expect(callsTo("POST", `${A}/saved-queries`)[0].body).toEqual({
    name: "Major alarms",
    description: "only major",
    sql: "select * from alarms where severity = $sev",
    parameters: [{ name: "sev", type: "string", default: "major", description: "" }],
  });
  expect(screen.getByText("Saved as “Major alarms”.")).toBeInTheDocument();
  expect(screen.getByTestId("loaded-query")).toHaveTextContent("Saved query “Major alarms”");
  expect(await screen.findByText("in the editor")).toBeInTheDocument();
});

test("a taken name (409) is said next to the name field, and the form keeps its input", async () => {
  serveAnalytics({ saved: [mine] });
  route("POST", `${A}/saved-queries`, () => problem(409, "a saved query named 'Alarms by severity' already exists", "saved_query_name_taken"));
  const user = userEvent.setup();
  renderAnalytics();
  await user.click(screen.getByRole("button", { name: "Save as…" }));
  const name = screen.getByRole("textbox", { name: "Name" });
  await user.type(name, "Alarms by severity");
  await user.click(screen.getByRole("button", { name: "Save" }));
  expect(await screen.findByText(/A saved query named “Alarms by severity” already exists. Choose another name/)).toBeInTheDocument();
  expect(name).toHaveAttribute("aria-invalid", "true");
  expect(name).toHaveAccessibleDescription(/already exists/);
  expect(name).toHaveValue("Alarms by severity");
  expect(name).toHaveFocus();
});

test("a query the server refuses to save (bad parameters) shows the problem in the form", async () => {
  serveAnalytics();
  route("POST", `${A}/saved-queries`, () => problem(400, "declare the query's parameters: $x", "bad_parameters"));
  const user = userEvent.setup();
  renderAnalytics();
  await user.click(screen.getByRole("button", { name: "Save as…" }));
  await user.type(screen.getByRole("textbox", { name: "Name" }), "X");
  await user.click(screen.getByRole("button", { name: "Save" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("Could not save the query: declare the query's parameters: $x");
});

test("Run on a saved query opens it and runs it through the saved-query endpoint with its defaults and the typed values", async () => {
  serveAnalytics({ saved: [withParam] });
  route("POST", `${A}/saved-queries/q3/run`, result());
  const user = userEvent.setup();
  renderAnalytics();
  await user.click(await screen.findByRole("button", { name: "Run One sensor" }));
  // $min has no default and is empty: not sent
  expect(screen.getByTestId("form-error")).toHaveTextContent("$min (enter a value)");
  expect(editor().value).toBe(withParam.sql);
  expect(screen.getByRole("textbox", { name: "$sensor" })).toHaveValue("s-1");
  expect(screen.getByText("the sensor id")).toBeInTheDocument();
  expect(screen.getByRole("combobox", { name: "Type of $min" })).toHaveValue("number");

  await user.type(screen.getByRole("textbox", { name: "$min" }), "10");
  await user.click(runButton());
  expect(await screen.findByTestId("result-facts")).toHaveTextContent("“One sensor”");
  const body = callsTo("POST", `${A}/saved-queries/q3/run`)[0].body as { params: object; max_rows: number; start: string };
  expect(body.params).toEqual({ sensor: "s-1", min: 10 });
  expect(body.max_rows).toBe(1000);
  expect(callsTo("POST", `${A}/query`)).toHaveLength(0);

  // edited SQL runs ad hoc
  route("POST", `${A}/query`, result());
  fireEvent.change(editor(), { target: { value: withParam.sql + " limit 5" } });
  expect(screen.getByTestId("loaded-query")).toHaveTextContent("changed, not saved");
  await user.click(runButton());
  await waitFor(() => expect(callsTo("POST", `${A}/query`)).toHaveLength(1));
});

test("Save changes updates the opened query (owner), and a refusal (403) is explained", async () => {
  serveAnalytics({ saved: [mine] });
  route("PATCH", `${A}/saved-queries/q1`, (c: { body: unknown }) => ({ ...mine, ...(c.body as object), updated_at: "2026-03-02T08:00:00Z" }));
  const user = userEvent.setup();
  renderAnalytics();
  await user.click(await screen.findByRole("button", { name: "Open Alarms by severity in the editor" }));
  const saveChanges = screen.getByRole("button", { name: "Save changes to “Alarms by severity”" });
  expect(saveChanges).toBeDisabled();
  fireEvent.change(editor(), { target: { value: "select severity, count(*) as n from alarms group by all" } });
  await user.click(saveChanges);
  expect(await screen.findByText("Saved the changes to “Alarms by severity”.")).toBeInTheDocument();
  expect(callsTo("PATCH", `${A}/saved-queries/q1`)[0].body).toEqual({ sql: "select severity, count(*) as n from alarms group by all", parameters: [] });
  expect(screen.getByTestId("loaded-query")).not.toHaveTextContent("changed");

  route("PATCH", `${A}/saved-queries/q1`, () => problem(403, "only the owner of a saved query or an admin may change or delete it", "permission_denied"));
  fireEvent.change(editor(), { target: { value: "select 1" } });
  await user.click(screen.getByRole("button", { name: "Save changes to “Alarms by severity”" }));
  expect(await screen.findByRole("alert")).toHaveTextContent(
    "Could not save the changes: only the owner of a saved query or an admin may change or delete it. Use “Save as…” to keep your version under a new name.",
  );
});

test("Delete asks first, deletes and reloads the list", async () => {
  let items = [mine, withParam];
  serveAnalytics();
  route("GET", `${A}/saved-queries`, () => ({ items }));
  route("DELETE", `${A}/saved-queries/q1`, () => {
    items = [withParam];
    return new Response(null, { status: 204 });
  });
  const user = userEvent.setup();
  renderAnalytics();
  await user.click(await screen.findByRole("button", { name: "Delete Alarms by severity" }));
  expect(screen.getByText("Delete the saved query “Alarms by severity”?")).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Yes, delete" }));
  await waitFor(() => expect(screen.queryByText("Alarms by severity")).toBeNull());
  expect(callsTo("DELETE", `${A}/saved-queries/q1`)).toHaveLength(1);
  expect(screen.getByText("Deleted “Alarms by severity”.")).toBeInTheDocument();
});

test("a refused delete (403) is explained next to the query, which stays", async () => {
  serveAnalytics({ saved: [mine] });
  route("DELETE", `${A}/saved-queries/q1`, () => problem(403, "only the owner of a saved query or an admin may change or delete it", "permission_denied"));
  const user = userEvent.setup();
  renderAnalytics();
  await user.click(await screen.findByRole("button", { name: "Delete Alarms by severity" }));
  await user.click(screen.getByRole("button", { name: "Yes, delete" }));
  const msg = await within(item("Alarms by severity")).findByRole("alert");
  expect(msg).toHaveTextContent(
    "You may not delete “Alarms by severity”: only the owner of a saved query or an admin may change or delete it. Ask its owner or an administrator.",
  );
});

test("the saved list's load error offers a retry", async () => {
  serveAnalytics();
  route("GET", `${A}/saved-queries`, () => problem(503, "database is down", "unavailable"));
  const user = userEvent.setup();
  renderAnalytics();
  expect(await screen.findByRole("alert")).toHaveTextContent("Could not load the saved queries: database is down");
  route("GET", `${A}/saved-queries`, { items: [mine] });
  await user.click(screen.getByRole("button", { name: "Retry" }));
  expect(await screen.findByText("Alarms by severity")).toBeInTheDocument();
  expect(ENGINEER.role).toBe("engineer");
});
