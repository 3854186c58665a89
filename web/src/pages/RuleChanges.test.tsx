// Changing rules: edit with optimistic concurrency (409), the enabled switch, delete, and version history.
import { callsTo, problem, route, USERS, type FetchCall } from "./shared/testing";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { form, renderRules, RULES, rowOf, serveRules, setupRulesPage, signIn } from "./rules/rulesPage.testutil";
import { makeRule, THRESHOLD, version } from "./rules/testdata.testutil";

beforeEach(setupRulesPage);

test("edits with expected_version; on 409 says the rule changed and reloads it", async () => {
  const r = makeRule(THRESHOLD, { id: "r-oven", name: "Oven hot", version: 3 });
  serveRules([r]);
  route("PUT", `${RULES}/r-oven`, () => problem(409, "rule r-oven is at version 4, not 3: reload and retry", "rule_version_conflict"));
  route("GET", `${RULES}/r-oven`, { ...r, version: 4, condition: { ...THRESHOLD, value: 95 } });
  const user = userEvent.setup();
  renderRules();
  await user.click(await screen.findByRole("button", { name: "Edit Oven hot" }));
  const f = within(form());
  expect(f.getByLabelText("Name")).toHaveValue("Oven hot");
  expect(f.getByLabelText("Limit")).toHaveValue(85);
  await user.clear(f.getByLabelText("Limit"));
  await user.type(f.getByLabelText("Limit"), "90");
  await user.click(f.getByRole("button", { name: "Save new version" }));

  const conflict = await f.findByText(/This rule was changed by someone else/);
  expect(conflict.closest("[role=alert]")).toHaveTextContent("you edited version 3");
  const put = callsTo("PUT", `${RULES}/r-oven`)[0];
  expect(put.url.searchParams.get("expected_version")).toBe("3");
  expect(put.body).toMatchObject({ name: "Oven hot", condition: { type: "threshold", value: 90 } });
  expect(f.getByRole("button", { name: "Save new version" })).toBeDisabled();

  await user.click(f.getByRole("button", { name: "Reload rule" }));
  await waitFor(() => expect(f.getByLabelText("Limit")).toHaveValue(95));
  expect(f.queryByText(/changed by someone else/)).toBeNull();
  expect(rowOf("Oven hot")).toHaveTextContent("v4");

  route("PUT", `${RULES}/r-oven`, (c: FetchCall) => ({ ...r, ...(c.body as object), version: 5 }));
  await user.clear(f.getByLabelText("Limit"));
  await user.type(f.getByLabelText("Limit"), "99");
  await user.click(f.getByRole("button", { name: "Save new version" }));
  expect(await screen.findByRole("status")).toHaveTextContent("Rule “Oven hot” saved as version 5.");
  expect(callsTo("PUT", `${RULES}/r-oven`).at(-1)!.url.searchParams.get("expected_version")).toBe("4");
  expect(rowOf("Oven hot")).toHaveTextContent("value > 99");
});

test("the enabled switch PUTs the full rule with expected_version", async () => {
  const r = makeRule(THRESHOLD, { id: "r-oven", name: "Oven hot", version: 3, severity: "critical", scope: { sensor_id: "s-temp" }, max_alarms_per_hour: 4 });
  serveRules([r]);
  route("PUT", `${RULES}/r-oven`, (c: FetchCall) => ({ ...r, ...(c.body as object), version: 4 }));
  const user = userEvent.setup();
  renderRules();
  await user.click(await screen.findByRole("switch", { name: "Enabled: Oven hot" }));

  await waitFor(() => expect(rowOf("Oven hot")).toHaveTextContent("v4"));
  const put = callsTo("PUT", `${RULES}/r-oven`)[0];
  expect(put.url.searchParams.get("expected_version")).toBe("3");
  expect(put.body).toEqual({
    name: "Oven hot", enabled: false, severity: "critical", safety: false, scope: { sensor_id: "s-temp" }, condition: THRESHOLD,
    message: null, escalate_after_s: null, max_alarms_per_hour: 4,
  });
  expect(screen.getByRole("switch", { name: "Enabled: Oven hot" })).not.toBeChecked();

  route("PUT", `${RULES}/r-oven`, () => problem(409, "stale", "rule_version_conflict"));
  await user.click(screen.getByRole("switch", { name: "Enabled: Oven hot" }));
  expect(await within(rowOf("Oven hot")).findByRole("alert")).toHaveTextContent("changed by someone else");
  const lists = callsTo("GET", RULES).length;
  await user.click(within(rowOf("Oven hot")).getByRole("button", { name: "Reload rules" }));
  await waitFor(() => expect(callsTo("GET", RULES)).toHaveLength(lists + 1));
});

test("deletes a rule only after confirmation", async () => {
  serveRules([makeRule(THRESHOLD, { id: "r-oven", name: "Oven hot" }), makeRule(THRESHOLD, { id: "r-2", name: "Other" })]);
  route("DELETE", `${RULES}/r-oven`, { ...makeRule(THRESHOLD, { id: "r-oven", name: "Oven hot" }), enabled: false, version: 4 });
  const user = userEvent.setup();
  renderRules();
  await user.click(await screen.findByRole("button", { name: "Delete Oven hot" }));
  const confirm = screen.getByRole("group", { name: "Confirm deleting Oven hot" });
  expect(within(confirm).getByRole("button", { name: "Cancel" })).toHaveFocus();
  await user.click(within(confirm).getByRole("button", { name: "Cancel" }));
  expect(callsTo("DELETE", `${RULES}/r-oven`)).toHaveLength(0);
  await waitFor(() => expect(screen.getByRole("button", { name: "Delete Oven hot" })).toHaveFocus()); // focus goes back

  await user.click(screen.getByRole("button", { name: "Delete Oven hot" }));
  await user.click(within(screen.getByRole("group", { name: "Confirm deleting Oven hot" })).getByRole("button", { name: "Yes, delete" }));
  await waitFor(() => expect(screen.queryByText("Oven hot")).toBeNull());
  expect(callsTo("DELETE", `${RULES}/r-oven`)).toHaveLength(1);
  expect(screen.getByText("Other")).toBeInTheDocument();
  expect(screen.getByRole("status")).toHaveTextContent("Rule deleted.");
});

test("the version history shows who, when (plant time) and a readable diff against the previous version", async () => {
  signIn(USERS.admin);
  route("GET", "/api/v1/users", [USERS.admin, USERS.operator]);
  const v1 = makeRule(THRESHOLD, { id: "r-oven", name: "Oven hot" });
  const v2 = { ...v1, severity: "critical" as const, condition: { ...THRESHOLD, value: 90 } };
  const v3 = { ...v2, enabled: false, max_alarms_per_hour: 5 };
  serveRules([v3]);
  route("GET", `${RULES}/r-oven/versions`, {
    items: [
      version(v1, 1, "created", USERS.admin.id, "2026-03-01T08:00:00Z"),
      version(v2, 2, "updated", USERS.operator.id, "2026-03-01T10:00:00Z"),
      version(v3, 3, "updated", "12345678-9999-0000-0000-000000000000", "2026-07-01T10:00:00Z"),
    ],
  });
  const user = userEvent.setup();
  renderRules();
  await user.click(await screen.findByRole("button", { name: "History of Oven hot" }));
  await waitFor(() => expect(screen.getByRole("heading", { name: "History of “Oven hot”" })).toHaveFocus());

  await waitFor(() => expect(screen.getAllByTestId("rule-version")).toHaveLength(3));
  const [latest, second, first] = screen.getAllByTestId("rule-version"); // newest first
  expect(latest).toHaveTextContent("v3 Updated by user 12345678 · 2026-07-01 12:00:00"); // Berlin summer time
  expect(within(latest).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
    expect.stringMatching(/^Enabled: yes\s*→.*no$/),
    expect.stringMatching(/^Max alarms per hour: no limit\s*→.*5$/),
  ]);
  expect(second).toHaveTextContent("v2 Updated by Otto Operator · 2026-03-01 11:00:00");
  expect(within(second).getByText(/^Severity:/).parentElement).toHaveTextContent(/Severity: major\s*→.*critical/);
  expect(within(second).getByText(/^Condition:/).parentElement).toHaveTextContent(/value > 85 for 3 s \(deadband 2\)\s*→.*value > 90 for 3 s \(deadband 2\)/);
  expect(within(second).queryByText(/^Scope:/)).toBeNull(); // unchanged
  expect(first).toHaveTextContent("v1 Created by Ada Admin");
  expect(within(first).getByText(/^Scope:/).parentElement).toHaveTextContent("sensor “temp” on Press 1");
  expect(screen.getByText("Times in plant time (Europe/Berlin).")).toBeInTheDocument();
});

test("?rule=<id> opens that rule's history (linked from an alarm)", async () => {
  signIn(USERS.viewer);
  const r = makeRule(THRESHOLD, { id: "r-oven", name: "Oven hot" });
  serveRules([r]);
  route("GET", `${RULES}/r-oven/versions`, { items: [version(r, 1, "created", USERS.admin.id, "2026-03-01T08:00:00Z")] });
  renderRules("/rules?rule=r-oven");
  await waitFor(() => expect(screen.getAllByTestId("rule-version")).toHaveLength(1));
  // viewers cannot list users: the author is shown by a short id
  expect(screen.getByTestId("rule-version")).toHaveTextContent("v1 Created by user 00000000");
  expect(screen.getByRole("heading", { name: "History of “Oven hot”" })).toBeInTheDocument();
});
