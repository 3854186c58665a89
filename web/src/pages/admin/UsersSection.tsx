// Users of the tenant: list, create, change role, deactivate / reactivate (an admin cannot lock themselves out).
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { api, getSession, unwrap, type Schemas } from "../../api/client";
import { formatDateTime } from "../../lib/time";

type User = Schemas["UserOut"];
type Role = Schemas["Role"];
export const ROLES: Role[] = ["admin", "engineer", "production", "quality", "supply_chain", "maintenance", "viewer"];

function CreateUserForm({ onCreated }: { onCreated(u: User): void }) {
  const [f, setF] = useState({ email: "", full_name: "", role: "viewer" as Role, password: "", itar_authorized: false });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => setF((o) => ({ ...o, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const u = await unwrap(api.POST("/api/v1/users", { body: { ...f, email: f.email.trim(), full_name: f.full_name.trim() } }));
      setF({ email: "", full_name: "", role: "viewer", password: "", itar_authorized: false });
      onCreated(u);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="pg-form pg-form-grid" onSubmit={submit} aria-label="New user">
      <h3>New user</h3>
      <label>
        Email
        <input type="email" value={f.email} onChange={(e) => set("email", e.target.value)} required autoComplete="off" />
      </label>
      <label>
        Full name
        <input value={f.full_name} onChange={(e) => set("full_name", e.target.value)} />
      </label>
      <label>
        Role
        <select value={f.role} onChange={(e) => set("role", e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </label>
      <label>
        Initial password <span className="muted small">(at least 10 characters)</span>
        <input
          type="password"
          value={f.password}
          onChange={(e) => set("password", e.target.value)}
          required
          minLength={10}
          autoComplete="new-password"
        />
      </label>
      <label className="pg-check">
        <input type="checkbox" checked={f.itar_authorized} onChange={(e) => set("itar_authorized", e.target.checked)} />
        ITAR-authorised <span className="muted small">(may see and mark export-controlled records)</span>
      </label>
      {error && <p role="alert" className="form-error">{error}</p>}
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Creating…" : "Create user"}
        </button>
      </div>
    </form>
  );
}

export function UsersSection({ timeZone }: { timeZone: string }) {
  const me = getSession()?.user.id;
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ id: string; msg: string } | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const load = useCallback(() => {
    unwrap(api.GET("/api/v1/users"))
      .then((u) => {
        setUsers(u);
        setError(null);
      })
      .catch((e: Error) => setError(e.message));
  }, []);
  useEffect(load, [load]);

  const patch = async (u: User, body: Schemas["UserPatch"]) => {
    setBusyId(u.id);
    setRowError(null);
    try {
      const next = await unwrap(api.PATCH("/api/v1/users/{user_id}", { params: { path: { user_id: u.id } }, body }));
      setUsers((cur) => cur?.map((x) => (x.id === next.id ? next : x)) ?? null);
    } catch (e) {
      setRowError({ id: u.id, msg: (e as Error).message });
    } finally {
      setBusyId(null);
    }
  };

  return (
    <section className="panel pg-card" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      {error && <p role="alert" className="form-error">Could not load users: {error}</p>}
      {users === null && !error && <p className="muted">Loading users…</p>}
      {users?.length === 0 && <p className="pg-empty">No users.</p>}
      {!!users?.length && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">ITAR</th>
                <th scope="col">Created</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => {
                const self = u.id === me;
                return (
                  <tr key={u.id} className={u.active ? "" : "pg-inactive"}>
                    <th scope="row">
                      {u.full_name || u.email}
                      {self && <span className="badge">you</span>}
                      <div className="muted small">{u.email}</div>
                      {rowError?.id === u.id && <p role="alert" className="form-error">{rowError.msg}</p>}
                    </th>
                    <td>
                      <select
                        aria-label={`Role of ${u.email}`}
                        value={u.role}
                        disabled={self || busyId === u.id}
                        onChange={(e) => void patch(u, { role: e.target.value as Role })}
                      >
                        {(ROLES.includes(u.role as Role) ? ROLES : [u.role as Role, ...ROLES]).map((r) => (
                          <option key={r}>{r}</option>
                        ))}
                      </select>
                    </td>
                    <td>{u.active ? "active" : "deactivated"}</td>
                    <td>
                      <label className="pg-check">
                        <input
                          type="checkbox"
                          aria-label={`ITAR-authorised: ${u.email}`}
                          checked={u.itar_authorized}
                          disabled={busyId === u.id}
                          onChange={(e) => void patch(u, { itar_authorized: e.target.checked })}
                        />
                        <span aria-hidden="true">{u.itar_authorized ? "authorised" : "no"}</span>
                      </label>
                    </td>
                    <td className="nowrap">{formatDateTime(u.created_at, timeZone).slice(0, 10)}</td>
                    <td>
                      {!self && (
                        <button
                          type="button"
                          className={`btn btn-small${u.active ? " btn-danger" : ""}`}
                          disabled={busyId === u.id}
                          onClick={() => void patch(u, { active: !u.active })}
                        >
                          {u.active ? "Deactivate" : "Reactivate"}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <CreateUserForm onCreated={(u) => setUsers((cur) => [...(cur ?? []), u])} />
    </section>
  );
}
