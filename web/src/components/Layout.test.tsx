import { callsTo, makeAlert, makeMachine, makeOverview, resetFetch, route, TENANT, USERS } from "../pages/shared/testing";
import { fakeLive } from "../pages/shared/fakeLive";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { getSession, setSession } from "../api/client";
import { AuthProvider } from "../auth";
import type { AlertOut } from "../pages/alarms/api";
import { resetOverviewCache } from "../pages/overview/api";
import { alarmTone } from "./alarmTone";
import { Layout } from "./Layout";

vi.mock("../live", async () => (await import("../pages/shared/fakeLive")).liveModule);

type User = (typeof USERS)[keyof typeof USERS];
const OPEN = "/api/v1/alerts";

function signIn(user: User) {
  setSession({ accessToken: "acc", refreshToken: "ref", expiresAt: Date.now() + 3_600_000, user });
}

function renderLayout() {
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={["/"]}>
        <Layout>
          <p>Page content</p>
        </Layout>
      </MemoryRouter>
    </AuthProvider>,
  );
}

const banner = () => screen.getByTestId("safety-banner");
const opened = (a: AlertOut) => fakeLive.emit({ type: "alert.opened", tenant_id: "t", alert: { ...a } });

/** A minimal WebAudio stand-in: counts oscillators; `state` is what resume() can reach. */
let audio: { reachable: "running" | "suspended"; oscillators: number };
class FakeAudioContext {
  state: string = "suspended";
  currentTime = 0;
  destination = {};
  async resume() {
    this.state = audio.reachable;
  }
  async close() {}
  createOscillator() {
    audio.oscillators++;
    return { type: "sine", frequency: { value: 0 }, connect: (n: unknown) => n, start() {}, stop() {} };
  }
  createGain() {
    return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (n: unknown) => n };
  }
}

beforeEach(() => {
  resetFetch();
  resetOverviewCache();
  fakeLive.reset();
  vi.unstubAllGlobals();
  alarmTone.reset();
  audio = { reachable: "running", oscillators: 0 };
  signIn(USERS.operator);
  route("GET", "/api/v1/tenant", TENANT);
  route("GET", OPEN, { items: [], limit: 1000, offset: 0 });
  route("GET", "/api/v1/plant/overview", makeOverview([makeMachine({ id: "m-press-1", name: "Press 1" })]));
});

test("has a skip link, landmarks, navigation and the signed-in user", async () => {
  renderLayout();
  expect(screen.getByRole("link", { name: "Skip to content" })).toHaveAttribute("href", "#main");
  expect(screen.getByRole("main")).toHaveAttribute("id", "main");
  expect(within(screen.getByRole("main")).getByText("Page content")).toBeInTheDocument();
  expect(screen.getByRole("banner")).toHaveTextContent("MIP");
  const nav = screen.getByRole("navigation", { name: "Main" });
  expect(within(nav).getByRole("link", { name: "Overview" })).toHaveAttribute("href", "/");
  expect(within(nav).getByRole("link", { name: /^Alarms/ })).toHaveAttribute("href", "/alarms");
  expect(within(nav).getByRole("link", { name: "Assets" })).toHaveAttribute("href", "/assets");
  expect(within(nav).getByRole("link", { name: "Rules" })).toHaveAttribute("href", "/rules"); // everyone may read rules
  expect(within(nav).queryByRole("link", { name: "Admin" })).toBeNull(); // operators are not admins
  expect(screen.getByText("Otto Operator")).toBeInTheDocument();
  await waitFor(() => expect(callsTo("GET", OPEN)).toHaveLength(1));
});

test("links the OEE page for everyone and my notifications from the header", async () => {
  renderLayout();
  const nav = screen.getByRole("navigation", { name: "Main" });
  expect(within(nav).getByRole("link", { name: "OEE" })).toHaveAttribute("href", "/oee");
  const mine = within(screen.getByRole("banner")).getByRole("link", { name: "My notifications" });
  expect(mine).toHaveAttribute("href", "/settings/notifications");
  expect(within(nav).queryByRole("link", { name: "My notifications" })).toBeNull(); // in the header tools, not the main nav
  await waitFor(() => expect(callsTo("GET", OPEN)).toHaveLength(1));
});

test("shows Admin to admins only", () => {
  signIn(USERS.admin);
  renderLayout();
  expect(screen.getByRole("link", { name: "Admin" })).toHaveAttribute("href", "/admin");
});

test("the live indicator follows the connection", () => {
  renderLayout();
  expect(screen.getByTestId("live-indicator")).toHaveTextContent("Live");
  fakeLive.setStatus("closed");
  expect(screen.getByTestId("live-indicator")).toHaveTextContent("Offline");
});

test("the Alarms badge counts unacknowledged open alarms and follows live events", async () => {
  const a = makeAlert({ id: "a1" });
  route("GET", OPEN, { items: [a, makeAlert({ id: "a2" })], limit: 1000, offset: 0 });
  renderLayout();
  await waitFor(() => expect(screen.getByTestId("alarm-count")).toHaveTextContent("2"));
  expect(callsTo("GET", OPEN)[0].url.searchParams.get("state")).toBe("open");
  expect(screen.getByRole("link", { name: /Alarms.*2 unacknowledged/ })).toBeInTheDocument();

  opened(makeAlert({ id: "a3" }));
  expect(screen.getByTestId("alarm-count")).toHaveTextContent("3");
  fakeLive.emit({ type: "alert.acknowledged", tenant_id: "t", alert: { ...a, state: "acknowledged" } });
  expect(screen.getByTestId("alarm-count")).toHaveTextContent("2");
});

test("a live safety alarm raises an assertive banner naming the alarm and machine, and sounds the tone", async () => {
  vi.stubGlobal("AudioContext", FakeAudioContext);
  renderLayout();
  expect(banner()).toHaveAttribute("role", "alert");
  expect(banner()).toHaveAttribute("aria-live", "assertive");
  expect(banner()).toHaveTextContent("");

  opened(makeAlert({ id: "s1", safety: true, severity: "critical", message: "Line A/Press 1/e2e_guard above limit 100: 999.5" }));

  const alert = screen.getByRole("alert");
  expect(alert).toHaveTextContent("SAFETY ALARM");
  expect(alert).toHaveTextContent("e2e_guard above limit 100: 999.5");
  await waitFor(() => expect(alert).toHaveTextContent("on Press 1"));
  expect(screen.getByRole("link", { name: "View" })).toHaveAttribute("href", "/alarms?status=all&state=open");
  await waitFor(() => expect(audio.oscillators).toBeGreaterThan(0));
  expect(screen.getByRole("button", { name: /Sound on/ })).toBeInTheDocument();
});

test("Acknowledge in the banner calls the API and clears the banner", async () => {
  const a = makeAlert({ id: "s1", safety: true, message: "Light curtain broken" });
  route("POST", "/api/v1/alerts/s1/acknowledge", { ...a, state: "acknowledged" });
  const user = userEvent.setup();
  renderLayout();
  opened(a);
  expect(banner()).toHaveTextContent("Light curtain broken");

  await user.click(screen.getByRole("button", { name: "Acknowledge" }));
  await waitFor(() => expect(banner()).toHaveTextContent(""));
  expect(callsTo("POST", "/api/v1/alerts/s1/acknowledge")).toHaveLength(1);
  expect(screen.queryByRole("button", { name: "Acknowledge" })).toBeNull();
});

test("the banner clears when the alarm is resolved elsewhere, and can be dismissed", async () => {
  const user = userEvent.setup();
  renderLayout();
  const s1 = makeAlert({ id: "s1", severity: "critical", message: "Oil pressure critical" });
  const s2 = makeAlert({ id: "s2", safety: true, message: "E-stop pressed" });
  opened(s1);
  expect(banner()).toHaveTextContent("CRITICAL ALARM");
  opened(s2);
  expect(banner()).toHaveTextContent("E-stop pressed");
  expect(banner()).toHaveTextContent("+1 more urgent");

  fakeLive.emit({ type: "alert.resolved", tenant_id: "t", alert: { ...s2, state: "resolved" } });
  expect(banner()).toHaveTextContent("Oil pressure critical");
  expect(banner()).not.toHaveTextContent("more urgent");

  await user.click(screen.getByRole("button", { name: "Dismiss banner" }));
  expect(banner()).toHaveTextContent("");
  opened(makeAlert({ id: "n1", severity: "major", message: "Just a major one" }));
  expect(banner()).toHaveTextContent(""); // not urgent: badge only
});

test("an alarm that escalates to critical brings the banner back, even after it was dismissed", async () => {
  vi.stubGlobal("AudioContext", FakeAudioContext);
  const user = userEvent.setup();
  renderLayout();
  const major = makeAlert({ id: "m1", severity: "major", message: "Bearing temperature high" });
  opened(major);
  expect(banner()).toHaveTextContent(""); // major: badge only

  const escalate = (level: number) =>
    fakeLive.emit({ type: "alert.escalated", tenant_id: "t", alert: { ...major, severity: "critical", escalation_level: level, updated_at: `2026-03-01T11:0${level}:00Z` } });
  escalate(1);
  expect(banner()).toHaveTextContent("CRITICAL ALARM · ESCALATED ×1");
  expect(banner()).toHaveTextContent("Bearing temperature high");
  await waitFor(() => expect(audio.oscillators).toBeGreaterThan(0));

  await user.click(screen.getByRole("button", { name: "Dismiss banner" }));
  expect(banner()).toHaveTextContent("");
  escalate(2); // still not acknowledged: it comes back
  expect(banner()).toHaveTextContent("ESCALATED ×2");

  // a cleared (but unacknowledged) alarm stays until acknowledged; live updates keep it current
  fakeLive.emit({ type: "alert.cleared", tenant_id: "t", alert: { ...major, severity: "critical", escalation_level: 2, status: "cleared_unack", cleared_at: "2026-03-01T11:05:00Z" } });
  expect(banner()).toHaveTextContent("Bearing temperature high");
  expect(screen.getByTestId("alarm-count")).toHaveTextContent("1");
});

test("open safety alarms found at load are shown too", async () => {
  route("GET", OPEN, { items: [makeAlert({ id: "s9", safety: true, message: "Guard door open" })], limit: 1000, offset: 0 });
  renderLayout();
  await waitFor(() => expect(banner()).toHaveTextContent("Guard door open"));
});

test("when the browser blocks audio, offers a button to enable it", async () => {
  audio.reachable = "suspended";
  vi.stubGlobal("AudioContext", FakeAudioContext);
  alarmTone.reset();
  const user = userEvent.setup();
  renderLayout();
  opened(makeAlert({ id: "s1", safety: true }));
  const enable = await within(screen.getByRole("region", { name: "Urgent alarms" })).findByRole("button", { name: /Click to enable sound/ });
  expect(audio.oscillators).toBe(0);

  audio.reachable = "running"; // the click is a user gesture: resume() now succeeds
  await user.click(enable);
  await waitFor(() => expect(screen.getByRole("button", { name: /Sound on/ })).toBeInTheDocument());
  expect(screen.queryByRole("button", { name: /Click to enable sound/ })).toBeNull();
});

test("without WebAudio (e.g. jsdom) the banner still works and no sound control is shown", () => {
  renderLayout();
  opened(makeAlert({ id: "s1", safety: true, message: "Guard open" }));
  expect(banner()).toHaveTextContent("Guard open");
  expect(screen.queryByRole("button", { name: /sound/i })).toBeNull();
});

test("Log out ends the session", async () => {
  route("POST", "/api/v1/auth/logout", () => new Response(null, { status: 204 }));
  const user = userEvent.setup();
  renderLayout();
  await user.click(screen.getByRole("button", { name: "Log out" }));
  expect(getSession()).toBeNull();
  await waitFor(() => expect(callsTo("POST", "/api/v1/auth/logout")).toHaveLength(1));
});

test("leaving the shell (session ended) closes the live socket", () => {
  const close = vi.spyOn(fakeLive, "close");
  const { unmount } = renderLayout();
  expect(close).not.toHaveBeenCalled();
  unmount();
  expect(close).toHaveBeenCalledTimes(1);
  close.mockRestore();
});

test("links the planning, schedules and SPC pages for everyone", async () => {
  renderLayout();
  const nav = screen.getByRole("navigation", { name: "Main" });
  expect(within(nav).getByRole("link", { name: "Planning" })).toHaveAttribute("href", "/planning");
  expect(within(nav).getByRole("link", { name: "Schedules" })).toHaveAttribute("href", "/schedules");
  expect(within(nav).getByRole("link", { name: "SPC" })).toHaveAttribute("href", "/quality/spc");
  await waitFor(() => expect(callsTo("GET", OPEN)).toHaveLength(1));
});
