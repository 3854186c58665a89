import { callsTo, problem, resetFetch, route, USERS, type FetchCall } from "./shared/testing";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { capa, currentUrl, ENGINEER, ncr, Q, renderQuality, serveQuality, signIn } from "./quality/qualityPage.testutil";
import type { Capa } from "./quality/api";

beforeEach(resetFetch);

const ACTIONS = [
  { action: "Replace worn die", owner: "Bo Li", due_date: "2020-02-01", done: false },
  { action: "Update work instruction", owner: "Ann", due_date: "2999-01-01", done: false },
];

test("the CAPA list shows status, NCRs and overdue actions; the 8D detail has D1–D8 and saves only what changed", { timeout: 20_000 }, async () => {
  const n1 = ncr("n1", { ncr_number: "NCR-000001", title: "Burr on edge", capa_ids: ["c1"] });
  let current: Capa = capa("c1", { capa_number: "CAPA-000001", title: "Burrs on brackets", status: "implementing", ncr_ids: ["n1"], corrective_actions: ACTIONS, version: 4 });
  const capas = [current, capa("c2", { capa_number: "CAPA-000002", title: "Old closed one", status: "closed" })];
  serveQuality({ ncrs: [n1], capas });
  route("PATCH", `${Q}/capas/c1`, (c: FetchCall) => {
    const b = c.body as Partial<Capa>;
    current = { ...current, ...b, version: current.version + 1 } as Capa;
    capas[0] = current;
    return current;
  });
  signIn(ENGINEER);
  const user = userEvent.setup();
  renderQuality("/quality?tab=capas");

  const table = await screen.findByRole("table", { name: "CAPAs" });
  expect(within(table).getAllByTestId("capa-row")).toHaveLength(1);
  const row = within(table).getByTestId("capa-row");
  expect(row).toHaveTextContent("CAPA-000001 Burrs on brackets");
  expect(row).toHaveTextContent("Implementing");
  await waitFor(() => expect(row).toHaveTextContent("NCR-000001"));
  expect(row).toHaveTextContent("2 open of 21 overdue");
  await user.click(screen.getByLabelText("Show closed and cancelled (1)"));
  expect(within(table).getAllByTestId("capa-row")).toHaveLength(2);

  await user.click(within(row).getByRole("link", { name: /CAPA-000001/ }));
  expect(currentUrl()).toBe("/quality?tab=capas&capa=c1");
  const detail = await screen.findByTestId("capa-detail");
  for (const legend of ["D1 · Team", "D2 · Problem description", "D3 · Containment", "D4 · Root cause", "D5 · Corrective actions", "D6 · Implementation", "D7 · Preventive actions", "Effectiveness check", "D8 · Closure and recognition"]) {
    expect(within(detail).getByRole("group", { name: new RegExp(`^${legend}`) })).toBeInTheDocument();
  }
  const d5 = within(detail).getByRole("group", { name: /^D5/ });
  expect(d5).toHaveAccessibleName("D5 · Corrective actions1 overdue");
  const rows = within(d5).getAllByTestId("capa-action-row");
  expect(rows[0]).toHaveClass("qa-overdue");
  expect(within(rows[0]).getByText("Overdue")).toBeInTheDocument();
  expect(rows[1]).not.toHaveClass("qa-overdue");
  expect(within(detail).getByRole("button", { name: "Save 8D" })).toBeDisabled();

  // D4 + mark an action done + a new team member
  const d4 = within(detail).getByRole("group", { name: /^D4/ });
  await user.type(within(d4).getByLabelText("Why 1"), "Die worn");
  await user.selectOptions(within(d4).getByLabelText("Category"), "machine");
  await user.click(within(rows[0]).getByLabelText("Done"));
  const d1 = within(detail).getByRole("group", { name: /^D1/ });
  await user.click(within(d1).getByRole("button", { name: "Add team member" }));
  // a nameless member blocks saving, with the reason
  expect(within(detail).getByRole("button", { name: "Verify effectiveness" })).toBeDisabled();
  await user.click(within(detail).getByRole("button", { name: "Save 8D" }));
  expect(await within(detail).findByText("D1: every team member needs a name.")).toBeInTheDocument();
  expect(callsTo("PATCH", `${Q}/capas/c1`)).toHaveLength(0);
  await user.type(within(d1).getByLabelText("Name"), "Bo Li");
  await user.type(within(d1).getByLabelText("Role"), "toolmaker");
  await user.click(within(detail).getByRole("button", { name: "Save 8D" }));
  await waitFor(() => expect(callsTo("PATCH", `${Q}/capas/c1`)).toHaveLength(1));
  expect(callsTo("PATCH", `${Q}/capas/c1`)[0].body).toEqual({
    expected_version: 4,
    team: [{ name: "Bo Li", role: "toolmaker", user_id: null }],
    root_cause: { method: "5why", whys: ["Die worn"], category: "machine", statement: "" },
    corrective_actions: [{ ...ACTIONS[0], done: true }, ACTIONS[1]],
  });
  expect(await within(detail).findByText("Saved.")).toBeInTheDocument();
  expect(detail).toHaveTextContent("version 5");
  expect(within(detail).getByRole("button", { name: "Verify effectiveness" })).toBeEnabled();
});

test("closing without a passed effectiveness check: the 409 is explained; recording the check then closes", { timeout: 20_000 }, async () => {
  let current: Capa = capa("c1", { capa_number: "CAPA-000001", status: "verifying", corrective_actions: [{ ...ACTIONS[1], done: true }], version: 7 });
  serveQuality({ capas: [current] });
  route("POST", `${Q}/capas/c1/transition`, () => problem(409, "closing a CAPA needs a passed effectiveness check (date and result 'passed')", "capa_effectiveness_not_passed"));
  route("PATCH", `${Q}/capas/c1`, (c: FetchCall) => (current = { ...current, ...(c.body as object), version: current.version + 1 } as Capa));
  signIn(USERS.admin);
  const user = userEvent.setup();
  renderQuality("/quality?tab=capas&capa=c1");
  const detail = await screen.findByTestId("capa-detail");
  expect(within(detail).getByText("Closing needs a passed effectiveness check (date and result “Passed”, saved).")).toBeInTheDocument();
  await user.click(within(detail).getByRole("button", { name: "Close CAPA" }));
  const alert = await within(detail).findByRole("alert");
  expect(alert).toHaveTextContent("Could not move CAPA-000001 to Closed: The CAPA cannot be closed yet.");
  expect(alert).toHaveTextContent("record the check's date and result “Passed” in the effectiveness section, save, then close");

  const eff = within(detail).getByRole("group", { name: "Effectiveness check" });
  await user.type(within(eff).getByLabelText("Checked on"), "2026-03-01");
  await user.selectOptions(within(eff).getByLabelText("Result"), "passed");
  await user.click(within(detail).getByRole("button", { name: "Save 8D" }));
  await waitFor(() => expect(callsTo("PATCH", `${Q}/capas/c1`)).toHaveLength(1));
  expect(callsTo("PATCH", `${Q}/capas/c1`)[0].body).toEqual({ expected_version: 7, effectiveness_date: "2026-03-01", effectiveness_result: "passed" });

  route("POST", `${Q}/capas/c1/transition`, (c: FetchCall) => ({ ...current, status: (c.body as { to: string }).to, closed_at: "2026-03-02T10:00:00Z", closed_by: USERS.admin.id, version: 9 }));
  await user.type(within(detail).getByLabelText("Comment for the status change (optional)"), "Verified over 4 weeks");
  await user.click(await within(detail).findByRole("button", { name: "Close CAPA" }));
  await waitFor(() => expect(callsTo("POST", `${Q}/capas/c1/transition`)).toHaveLength(2));
  expect(callsTo("POST", `${Q}/capas/c1/transition`)[1].body).toEqual({ to: "closed", comment: "Verified over 4 weeks", expected_version: 8 });
  await waitFor(() => expect(within(detail).queryByRole("button", { name: "Save 8D" })).toBeNull());
  expect(within(detail).getByRole("group", { name: /^D2/ })).toBeDisabled();
  expect(detail).toHaveTextContent("Closed");
});

test("opening a CAPA from an NCR pre-links it and opens the new CAPA", async () => {
  const n1 = ncr("n1", { ncr_number: "NCR-000001", title: "Burr on edge", description: "Burrs found at final inspection" });
  const capas: Capa[] = [];
  serveQuality({ ncrs: [n1, ncr("n2", { ncr_number: "NCR-000002", title: "Other" })], capas });
  const created = capa("c9", { capa_number: "CAPA-000009", title: "NCR-000001: Burr on edge", ncr_ids: ["n1"] });
  route("POST", `${Q}/capas`, () => (capas.push(created), new Response(JSON.stringify(created), { status: 201, headers: { "content-type": "application/json" } })));
  signIn(ENGINEER);
  const user = userEvent.setup();
  renderQuality("/quality?ncr=n1");
  const detail = await screen.findByTestId("ncr-detail");
  await user.click(within(detail).getByRole("link", { name: "Open a CAPA for this NCR" }));
  const form = await screen.findByRole("form", { name: "Open a CAPA (8D)" });
  expect(within(form).getByLabelText("Title")).toHaveValue("NCR-000001: Burr on edge");
  expect(within(form).getByRole("checkbox", { name: /NCR-000001/ })).toBeChecked();
  expect(within(form).getByRole("checkbox", { name: /NCR-000002/ })).not.toBeChecked();
  expect(within(form).getByLabelText("D2 · Problem description")).toHaveValue("Burrs found at final inspection");
  await user.type(within(form).getByLabelText(/D1 · Team/), "Ann Smith, quality engineer{Enter}Bo Li");
  await user.click(within(form).getByRole("button", { name: "Open CAPA" }));
  await waitFor(() => expect(callsTo("POST", `${Q}/capas`)).toHaveLength(1));
  expect(callsTo("POST", `${Q}/capas`)[0].body).toEqual({
    title: "NCR-000001: Burr on edge",
    ncr_ids: ["n1"],
    team: [
      { name: "Ann Smith", role: "quality engineer" },
      { name: "Bo Li", role: "" },
    ],
    problem: "Burrs found at final inspection",
    containment: "",
  });
  await waitFor(() => expect(currentUrl()).toBe("/quality?tab=capas&capa=c9"));
  expect(await screen.findByTestId("capa-detail")).toHaveTextContent("CAPA-000009");
});

test("axe finds no accessibility violations on the NCR board with an NCR open, or on a CAPA's 8D", { timeout: 30_000 }, async () => {
  const { default: axe } = await import("axe-core");
  const check = async (el: Element) => {
    const r = await axe.run(el, { rules: { "color-contrast": { enabled: false } } }); // jsdom cannot compute colours
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  };
  serveQuality({
    ncrs: [
      ncr("n1", { ncr_number: "NCR-000001", status: "pending_mrb", disposition: "repair", mrb_required: true, containment: [{ action: "Hold", owner: "Bo", due_date: "2020-01-01", done: false }] }),
      ncr("n2", { ncr_number: "NCR-000002", status: "contained" }),
    ],
    capas: [capa("c1", { capa_number: "CAPA-000001", status: "implementing", ncr_ids: ["n1"], corrective_actions: ACTIONS, team: [{ name: "Bo", role: "lead" }] })],
  });
  signIn(ENGINEER);
  const { container, unmount } = renderQuality("/quality?ncr=n1");
  await screen.findByTestId("ncr-detail");
  await screen.findByTestId("metric-dpmo");
  expect(await check(container)).toEqual([]);
  unmount();
  const second = renderQuality("/quality?tab=capas&capa=c1");
  await screen.findByTestId("capa-detail");
  expect(await check(second.container)).toEqual([]);
});
