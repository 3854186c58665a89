// Form pieces shared by the maintenance forms: the assignee picker and the priority picker.
import { PRIORITIES, type Priority, type User } from "./api";
import { PRIORITY_TEXT } from "./format";

interface AssigneeProps {
  id: string;
  value: string; // "" = unassigned
  onChange(v: string): void;
  users: User[]; // administrators get the tenant's users; everyone else can pick themselves
  me: { id: string; name: string } | null;
}

/** Administrators pick anyone (GET /users); other roles can leave it unassigned or take it themselves. */
export function AssigneeSelect({ id, value, onChange, users, me }: AssigneeProps) {
  const people = users.length ? users : me ? [{ id: me.id, full_name: `${me.name} (me)`, email: "" }] : [];
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">Unassigned</option>
      {people.map((u) => (
        <option key={u.id} value={u.id}>
          {(u.full_name || u.email) + (users.length && me?.id === u.id ? " (me)" : "")}
        </option>
      ))}
    </select>
  );
}

export function PrioritySelect({ id, value, onChange, blank }: { id: string; value: Priority | ""; onChange(v: Priority | ""): void; blank?: string }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as Priority | "")}>
      {blank !== undefined && <option value="">{blank}</option>}
      {PRIORITIES.map((p) => (
        <option key={p} value={p}>
          {PRIORITY_TEXT[p]}
        </option>
      ))}
    </select>
  );
}
