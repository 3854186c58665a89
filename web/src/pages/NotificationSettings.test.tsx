import { callsTo, jsonResponse, problem, resetFetch, route, TENANT, USERS, type FetchCall } from "./shared/testing";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { setSession } from "../api/client";
import { AuthProvider } from "../auth";
import { NotificationSettings } from "./NotificationSettings";
import type { Delivery, Subscription, Webhook } from "./notifications/api";

const N = "/api/v1/notifications";
const NOW = "2026-03-02T10:00:00Z";
const SITE = { id: "11111111-0000-0000-0000-000000000001", kind: "site", name: "Berlin", path: "Berlin", timezone: "Europe/Berlin" };
const LINE = { id: "22222222-0000-0000-0000-000000000002", kind: "line", name: "Line A", path: "Berlin/Line A", timezone: null };
const asset = (a: typeof SITE | typeof LINE) => ({ ...a, parent_id: null, tenant_id: TENANT.id, description: "", attributes: {}, created_at: NOW, updated_at: NOW });

function subscription(over: Partial<Subscription> = {}): Subscription {
  return {
    id: "sub-1",
    tenant_id: TENANT.id,
    user_id: USERS.operator.id,
    name: "Everything",
    site_ids: [],
    line_ids: [],
    min_severity: "warning",
    safety_only: false,
    event_kinds: ["opened", "escalated", "cleared"],
    channels: ["email"],
    enabled: true,
    created_at: NOW,
    updated_at: NOW,
    ...over,
  };
}

function webhook(over: Partial<Webhook> = {}): Webhook {
  return {
    id: "wh-1",
    tenant_id: TENANT.id,
    name: "SCADA",
    url: "https://scada.example/hook",
    site_ids: [],
    line_ids: [],
    min_severity: "major",
    safety_only: false,
    event_kinds: ["opened"],
    enabled: true,
    created_by: USERS.admin.id,
    created_at: NOW,
    updated_at: NOW,
    ...over,
  };
}

const DEAD: Delivery = {
  id: "d-1",
  tenant_id: TENANT.id,
  event_key: "alert.opened:a1",
  event_type: "alert.opened",
  alert_id: "a1",
  channel: "webhook",
  endpoint_id: "wh-1",
  user_id: null,
  subscription_id: null,
  target: "https://scada.example/hook",
  status: "dead",
  attempts: 8,
  next_attempt_at: NOW,
  last_error: "connection refused",
  last_status_code: 502,
  delivered_at: null,
  dead_at: NOW,
  created_at: NOW,
  updated_at: NOW,
};

function setup(user: (typeof USERS)[keyof typeof USERS]) {
  resetFetch();
  setSession({ accessToken: "acc", refreshToken: "ref", expiresAt: Date.now() + 3_600_000, user });
  route("GET", "/api/v1/tenant", TENANT);
  route("GET", "/api/v1/assets", (c: FetchCall) => {
    const items = [SITE, LINE].filter((a) => a.kind === c.url.searchParams.get("kind")).map(asset);
    return { items, total: items.length, limit: 1000, offset: 0 };
  });
  route("GET", `${N}/subscriptions`, { items: [subscription()] });
  route("GET", `${N}/quiet-hours`, () => problem(404, "no quiet hours", "quiet_hours_not_found"));
  route("GET", `${N}/webhooks`, { items: [webhook()] });
  route("GET", `${N}/dead-letters`, { items: [DEAD], limit: 100, offset: 0 });
}

function renderPage() {
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={["/settings/notifications"]}>
        <NotificationSettings />
      </MemoryRouter>
    </AuthProvider>,
  );
}

test("creates a subscription with site, line, severity, safety and event filters: the right body", async () => {
  setup(USERS.operator);
  route("POST", `${N}/subscriptions`, (c: FetchCall) => jsonResponse(201, subscription({ id: "sub-2", ...(c.body as object) })));
  const user = userEvent.setup();
  renderPage();
  const section = await screen.findByRole("region", { name: "Alarm subscriptions" });
  expect(await within(section).findByText("Everything")).toBeInTheDocument();
  expect(within(section).getByRole("switch", { name: "Enabled: Everything" })).toBeChecked();
  await user.click(within(section).getByRole("button", { name: "New subscription" }));
  const f = within(within(section).getByRole("form", { name: "New subscription" }));
  await waitFor(() => expect(f.getByLabelText("Name")).toHaveFocus());
  expect(f.getByText(`Notifications go by e-mail to ${USERS.operator.email}.`)).toBeInTheDocument();

  // no events: checked before sending
  for (const k of ["Opened", "Escalated", "Cleared"]) await user.click(f.getByRole("checkbox", { name: k }));
  await user.click(f.getByRole("button", { name: "Create subscription" }));
  expect(callsTo("POST", `${N}/subscriptions`)).toHaveLength(0);
  expect(f.getByText("Pick at least one event")).toBeInTheDocument();

  await user.type(f.getByLabelText("Name"), "Line A majors");
  await user.click(await f.findByRole("checkbox", { name: "Berlin" }));
  await user.click(f.getByRole("checkbox", { name: "Berlin/Line A" }));
  await user.selectOptions(f.getByLabelText("Minimum severity"), "major");
  await user.click(f.getByRole("checkbox", { name: "Safety alarms only" }));
  await user.click(f.getByRole("checkbox", { name: "Opened" }));
  await user.click(f.getByRole("checkbox", { name: "Escalated" }));
  await user.click(f.getByRole("button", { name: "Create subscription" }));

  await waitFor(() => expect(callsTo("POST", `${N}/subscriptions`)).toHaveLength(1));
  expect(callsTo("POST", `${N}/subscriptions`)[0].body).toEqual({
    name: "Line A majors",
    site_ids: [SITE.id],
    line_ids: [LINE.id],
    min_severity: "major",
    safety_only: true,
    event_kinds: ["opened", "escalated"],
    enabled: true,
    channels: ["email"],
  });
  expect(await screen.findByRole("status")).toHaveTextContent("Subscription “Line A majors” created.");
  expect(within(section).getAllByTestId("subscription")[1]).toHaveTextContent("safety alarms only · Berlin, Berlin/Line A · opened, escalated");
  expect(screen.queryByRole("region", { name: "Webhook endpoints" })).toBeNull(); // not an admin
});

test("saves quiet hours (with the safety note) and shows them as active", async () => {
  setup(USERS.operator);
  route("PUT", `${N}/quiet-hours`, (c: FetchCall) => ({ user_id: USERS.operator.id, active_now: true, updated_at: NOW, ...(c.body as object), start: "21:30:00", end: "06:00:00" }));
  const user = userEvent.setup();
  renderPage();
  const section = await screen.findByRole("region", { name: "Quiet hours" });
  expect(within(section).getByRole("note")).toHaveTextContent("Safety alarms always come through");
  expect(await within(section).findByText("No quiet hours set: you are notified at any time.")).toBeInTheDocument();
  const f = within(within(section).getByRole("form", { name: "Quiet hours" }));
  await waitFor(() => expect(f.getByLabelText("Time zone")).toHaveValue("Europe/Berlin")); // the tenant's zone

  await user.clear(f.getByLabelText("From"));
  await user.type(f.getByLabelText("From"), "21:30");
  await user.click(f.getByRole("checkbox", { name: /Sat/ }));
  await user.click(f.getByRole("checkbox", { name: /Sun/ }));
  await user.clear(f.getByLabelText("Time zone"));
  await user.type(f.getByLabelText("Time zone"), "Mars/Olympus");
  await user.click(f.getByRole("button", { name: "Save quiet hours" }));
  expect(f.getByRole("alert")).toHaveTextContent("Enter an IANA time zone");
  expect(callsTo("PUT", `${N}/quiet-hours`)).toHaveLength(0);

  await user.clear(f.getByLabelText("Time zone"));
  await user.type(f.getByLabelText("Time zone"), "Europe/Lisbon");
  await user.click(f.getByRole("button", { name: "Save quiet hours" }));
  await waitFor(() => expect(callsTo("PUT", `${N}/quiet-hours`)).toHaveLength(1));
  expect(callsTo("PUT", `${N}/quiet-hours`)[0].body).toEqual({ start: "21:30", end: "06:00", timezone: "Europe/Lisbon", days: [1, 2, 3, 4, 5], enabled: true });
  expect(await within(section).findByText("Quiet hours are on right now.")).toBeInTheDocument();
  expect(within(section).getByRole("button", { name: "Remove my quiet hours" })).toBeInTheDocument();
});

test("admins create a webhook and see its secret exactly once", async () => {
  setup(USERS.admin);
  route("POST", `${N}/webhooks`, (c: FetchCall) => jsonResponse(201, { ...webhook({ id: "wh-2", ...(c.body as object) }), secret: "s3cr3t-s3cr3t-s3cr3t" }));
  const user = userEvent.setup();
  renderPage();
  const section = await screen.findByRole("region", { name: "Webhook endpoints" });
  await user.click(within(section).getByRole("button", { name: "New webhook" }));
  const f = within(within(section).getByRole("form", { name: "New webhook" }));
  await user.type(f.getByLabelText("Name"), "MES");
  await user.type(f.getByLabelText("URL"), "ftp://mes");
  await user.click(f.getByRole("button", { name: "Create webhook" }));
  expect(f.getByLabelText("URL")).toHaveAccessibleDescription("Enter an http(s) URL");
  expect(callsTo("POST", `${N}/webhooks`)).toHaveLength(0);
  await user.clear(f.getByLabelText("URL"));
  await user.type(f.getByLabelText("URL"), "https://mes.example/in");
  await user.click(f.getByRole("button", { name: "Create webhook" }));

  await waitFor(() => expect(callsTo("POST", `${N}/webhooks`)).toHaveLength(1));
  expect(callsTo("POST", `${N}/webhooks`)[0].body).toMatchObject({ name: "MES", url: "https://mes.example/in", secret: null, enabled: true, event_kinds: ["opened", "escalated", "cleared"] });
  const box = await screen.findByTestId("webhook-secret");
  expect(within(box).getByLabelText("Webhook signing secret")).toHaveValue("s3cr3t-s3cr3t-s3cr3t");
  expect(box).toHaveTextContent("It is shown only once.");
  expect(within(section).getAllByTestId("webhook").map((w) => w.textContent)).toEqual([expect.stringContaining("MES"), expect.stringContaining("SCADA")]);
  expect(within(section).getAllByTestId("webhook")[0]).not.toHaveTextContent("s3cr3t");

  await user.click(within(box).getByRole("button", { name: "I have stored the secret" }));
  expect(screen.queryByTestId("webhook-secret")).toBeNull();
  expect(screen.queryByDisplayValue("s3cr3t-s3cr3t-s3cr3t")).toBeNull(); // gone for good
});

test("admins rotate a secret (shown once), disable an endpoint and send a test event", async () => {
  setup(USERS.admin);
  route("PATCH", `${N}/webhooks/wh-1`, (c: FetchCall) => {
    const body = c.body as { rotate_secret?: boolean; enabled?: boolean };
    return { ...webhook({ enabled: body.enabled ?? true }), secret: body.rotate_secret ? "new-secret-new-secret" : null };
  });
  route("POST", `${N}/webhooks/wh-1/test`, () => jsonResponse(202, { ...DEAD, id: "d-test-0001", status: "pending" }));
  const user = userEvent.setup();
  renderPage();
  const section = await screen.findByRole("region", { name: "Webhook endpoints" });
  await user.click(await within(section).findByRole("button", { name: "Send a test event to SCADA" }));
  expect(await screen.findByRole("status")).toHaveTextContent("Test event queued for “SCADA” (delivery d-test-0, pending).");

  await user.click(within(section).getByRole("button", { name: "Rotate secret of SCADA" }));
  await user.click(within(section).getByRole("button", { name: "Yes, rotate" }));
  await waitFor(() => expect(callsTo("PATCH", `${N}/webhooks/wh-1`)[0]?.body).toEqual({ rotate_secret: true }));
  expect(within(await screen.findByTestId("webhook-secret")).getByLabelText("Webhook signing secret")).toHaveValue("new-secret-new-secret");

  await user.click(within(section).getByRole("switch", { name: "Enabled: SCADA" }));
  await waitFor(() => expect(callsTo("PATCH", `${N}/webhooks/wh-1`)[1]?.body).toEqual({ enabled: false, rotate_secret: false }));
  expect(await within(section).findByRole("switch", { name: "Enabled: SCADA" })).not.toBeChecked();
});

test("admins see dead letters and Retry sends one again", async () => {
  setup(USERS.admin);
  route("POST", `${N}/deliveries/d-1/retry`, { ...DEAD, status: "pending", attempts: 0 });
  const user = userEvent.setup();
  renderPage();
  const table = await screen.findByTestId("dead-letters");
  expect(within(table).getAllByRole("row")[1]).toHaveTextContent("HTTP 502 connection refused");
  await user.click(within(table).getByRole("button", { name: "Retry delivery to https://scada.example/hook (alert.opened)" }));
  await waitFor(() => expect(callsTo("POST", `${N}/deliveries/d-1/retry`)).toHaveLength(1));
  expect(await screen.findByText("No dead letters: every notification was delivered or is still being tried.")).toBeInTheDocument();
  expect(screen.getByRole("status")).toHaveTextContent("Delivery to https://scada.example/hook queued again (pending).");
});

test("a failed retry shows the API's message inline", async () => {
  setup(USERS.admin);
  route("POST", `${N}/deliveries/d-1/retry`, () => problem(409, "the endpoint is disabled", "webhook_disabled"));
  const user = userEvent.setup();
  renderPage();
  const table = await screen.findByTestId("dead-letters");
  await user.click(within(table).getByRole("button", { name: /Retry delivery/ }));
  expect(await screen.findByRole("alert")).toHaveTextContent("Dead letters: the endpoint is disabled");
  expect(screen.getByTestId("dead-letters")).toBeInTheDocument(); // still listed
});
