import { callsTo, problem, resetApi, route } from "./mockApi.testutil";
import { configure, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { setSession } from "../api/client";
import { Assets } from "./Assets";

configure({ asyncUtilTimeout: 3000 }); // fetches are debounced and the suite runs in parallel

const stamp = { tenant_id: "t", attributes: {}, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" };
const sensor = {
  ...stamp,
  id: "s1",
  machine_id: "m1",
  name: "oil-temp",
  path: "plant-a/hall-1/line-1/press-1/oil-temp",
  kind: "temperature",
  unit: "degC",
  low_limit: 10,
  high_limit: 80,
  safety: false,
  sample_rate_hz: 1,
};
const machine = { ...stamp, id: "m1", kind: "machine", name: "press-1", path: "plant-a/hall-1/line-1/press-1", description: "", parent_id: "l1", timezone: null, children: [], sensors: [sensor] };
const line = { ...stamp, id: "l1", kind: "line", name: "line-1", path: "plant-a/hall-1/line-1", description: "", parent_id: "a1", timezone: null, children: [machine], sensors: [] };
const area = { ...stamp, id: "a1", kind: "area", name: "hall-1", path: "plant-a/hall-1", description: "", parent_id: "p1", timezone: null, children: [line], sensors: [] };
const site = { ...stamp, id: "p1", kind: "site", name: "plant-a", path: "plant-a", description: "Main plant", parent_id: null, timezone: "Europe/Berlin", children: [area], sensors: [] };

function login(role: string) {
  setSession({
    accessToken: "tok",
    refreshToken: "r",
    expiresAt: Date.now() + 3_600_000,
    user: { id: "u1", email: "e@x.io", full_name: "E", role, active: true, itar_authorized: false, tenant_id: "t", created_at: "", updated_at: "" },
  });
}

beforeEach(() => {
  resetApi();
  route("GET", "/api/v1/tenant", { id: "t", name: "Acme", slug: "acme", timezone: "UTC", isolated: false, created_at: "" });
  route("GET", "/api/v1/assets/tree", [site]);
});

const renderPage = () =>
  render(
    <MemoryRouter>
      <Assets />
    </MemoryRouter>,
  );

async function openMachine() {
  fireEvent.click(await screen.findByRole("button", { name: "Expand plant-a" }));
  fireEvent.click(screen.getByRole("button", { name: "Expand hall-1" }));
  const toggle = screen.getByRole("button", { name: "Expand line-1" });
  expect(toggle).toHaveAttribute("aria-expanded", "false");
  fireEvent.click(toggle);
  expect(screen.getByRole("button", { name: "Collapse line-1" })).toHaveAttribute("aria-expanded", "true");
  fireEvent.click(screen.getByRole("button", { name: /press-1/ }));
}

describe("Assets", () => {
  it("creates a child of the selected asset with the right body", async () => {
    login("engineer");
    route("POST", "/api/v1/assets", { ...stamp, id: "a2", kind: "area", name: "hall-2", path: "plant-a/hall-2", description: "Paint shop", parent_id: "p1", timezone: null });
    renderPage();
    fireEvent.click(await screen.findByRole("button", { name: "Site plant-a" }));
    const form = screen.getByRole("form", { name: "New area" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: " hall-2 " } });
    fireEvent.change(within(form).getByLabelText("Description"), { target: { value: "Paint shop" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create area" }));
    await waitFor(() => expect(callsTo("POST", "/api/v1/assets")).toHaveLength(1));
    expect(callsTo("POST", "/api/v1/assets")[0].body).toEqual({ kind: "area", name: "hall-2", description: "Paint shop", parent_id: "p1" });
    await waitFor(() => expect(callsTo("GET", "/api/v1/assets/tree").length).toBeGreaterThan(1));
  });

  it("shows the API's 409 message when a site with children cannot be deleted", async () => {
    login("admin");
    route("DELETE", "/api/v1/assets/{id}", problem(409, "asset_has_children", "site 'plant-a' has 1 child asset(s) and 0 sensor(s); delete them first"));
    renderPage();
    fireEvent.click(await screen.findByRole("button", { name: "Site plant-a" }));
    fireEvent.click(screen.getByRole("button", { name: "Delete site" }));
    fireEvent.click(screen.getByRole("button", { name: "Yes, delete" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("site 'plant-a' has 1 child asset(s) and 0 sensor(s); delete them first");
    expect(callsTo("DELETE", "/api/v1/assets/p1")).toHaveLength(1);
  });

  it("shows a 409 on create inline (path exists)", async () => {
    login("admin");
    route("POST", "/api/v1/assets", problem(409, "path_exists", "asset path 'plant-a/hall-1' already exists"));
    renderPage();
    fireEvent.click(await screen.findByRole("button", { name: "Site plant-a" }));
    const form = screen.getByRole("form", { name: "New area" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "hall-1" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create area" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("asset path 'plant-a/hall-1' already exists");
  });

  it("adds a sensor to a machine and edits its limits", async () => {
    login("engineer");
    route("POST", "/api/v1/sensors", { ...sensor, id: "s2", name: "vib" });
    route("PATCH", "/api/v1/sensors/{id}", { ...sensor, high_limit: 90 });
    renderPage();
    await openMachine();
    const form = screen.getByRole("form", { name: "Add sensor" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "vib" } });
    fireEvent.change(within(form).getByLabelText("Kind"), { target: { value: "vibration" } });
    fireEvent.change(within(form).getByLabelText("Unit"), { target: { value: "mm/s" } });
    fireEvent.change(within(form).getByLabelText("Low limit"), { target: { value: "5" } });
    fireEvent.change(within(form).getByLabelText("High limit"), { target: { value: "2" } });
    fireEvent.click(within(form).getByRole("button", { name: "Add sensor" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("The low limit must be below the high limit.");
    expect(callsTo("POST", "/api/v1/sensors")).toHaveLength(0);
    fireEvent.change(within(form).getByLabelText("Low limit"), { target: { value: "" } });
    fireEvent.change(within(form).getByLabelText("High limit"), { target: { value: "7.1" } });
    fireEvent.click(within(form).getByLabelText(/Safety-relevant/));
    fireEvent.click(within(form).getByRole("button", { name: "Add sensor" }));
    await waitFor(() => expect(callsTo("POST", "/api/v1/sensors")).toHaveLength(1));
    expect(callsTo("POST", "/api/v1/sensors")[0].body).toEqual({
      machine_id: "m1", name: "vib", kind: "vibration", unit: "mm/s", low_limit: null, high_limit: 7.1, safety: true, sample_rate_hz: 1,
    });

    fireEvent.click(screen.getByRole("button", { name: "Edit limits of oil-temp" }));
    const editor = screen.getByRole("form", { name: "Limits of oil-temp" });
    fireEvent.change(within(editor).getByLabelText("High"), { target: { value: "90" } });
    fireEvent.click(within(editor).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(callsTo("PATCH", "/api/v1/sensors/s1")).toHaveLength(1));
    expect(callsTo("PATCH", "/api/v1/sensors/s1")[0].body).toEqual({ low_limit: 10, high_limit: 90, safety: false });
  });

  it("is read-only for other roles", async () => {
    login("viewer");
    renderPage();
    await openMachine();
    expect(screen.getByRole("link", { name: "Open machine dashboard →" })).toHaveAttribute("href", "/machines/m1");
    expect(screen.getByText("oil-temp")).toBeInTheDocument();
    expect(screen.queryByRole("form")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Delete/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "New site" })).not.toBeInTheDocument();
    expect(screen.getByText(/Read-only/)).toBeInTheDocument();
  });
});
