// Raise an NCR: what is wrong, how many, which item/lots/serials/work order/supplier, and a first
// containment action. The API checks every reference (422 names the field).
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { ApiProblem } from "../shared/ApiProblem";
import { createNcr, type Ncr, type NcrBody } from "./api";
import type { QualityBasics } from "./useQualityBasics";

/** "L-1, L-2\nL-3" → ["L-1", "L-2", "L-3"]. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))];
}

const LABELS = { title: "Title", quantity: "Quantity", item_id: "Item", supplier_id: "Supplier", work_order_id: "Work order", lots: "Lots", serials: "Serials" };

export function NcrForm({ basics, onCreated, onCancel }: { basics: QualityBasics; onCreated(n: Ncr): void; onCancel(): void }) {
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [quantity, setQuantity] = useState("");
  const [itemId, setItemId] = useState("");
  const [supplierId, setSupplierId] = useState("");
  const [workOrderId, setWorkOrderId] = useState("");
  const [lots, setLots] = useState("");
  const [serials, setSerials] = useState("");
  const [containment, setContainment] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [touched, setTouched] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const id = useId();
  useEffect(() => first.current?.focus(), []);

  const qty = Number(quantity);
  const qtyError = quantity.trim() === "" || !Number.isFinite(qty) || qty <= 0 ? "Enter the nonconforming quantity (above 0)." : null;
  const titleError = title.trim() ? null : "Enter a title.";

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (qtyError || titleError) return;
    const body: NcrBody = {
      title: title.trim(),
      description: description.trim(),
      quantity: qty,
      lots: splitList(lots),
      serials: splitList(serials),
      ...(itemId ? { item_id: itemId } : {}),
      ...(supplierId ? { supplier_id: supplierId } : {}),
      ...(workOrderId ? { work_order_id: workOrderId } : {}),
      ...(containment.trim() ? { containment: [{ action: containment.trim(), owner: "", done: false }] } : {}),
    };
    setBusy(true);
    setError(null);
    try {
      onCreated(await createNcr(body));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel pg-form qa-form" aria-labelledby={`${id}-h`} onSubmit={(e) => void submit(e)} noValidate>
      <h2 id={`${id}-h`}>Raise an NCR</h2>
      <label>
        Title
        <input ref={first} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} aria-invalid={touched && titleError ? true : undefined} aria-describedby={touched && titleError ? `${id}-te` : undefined} />
      </label>
      {touched && titleError && (
        <p id={`${id}-te`} className="field-error">
          {titleError}
        </p>
      )}
      <label>
        Description
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={3} maxLength={20000} />
      </label>
      <div className="qa-form-row">
        <label>
          Quantity
          <input inputMode="decimal" value={quantity} onChange={(e) => setQuantity(e.target.value)} aria-invalid={touched && qtyError ? true : undefined} aria-describedby={touched && qtyError ? `${id}-qe` : undefined} />
        </label>
        <label>
          Item
          <select value={itemId} onChange={(e) => setItemId(e.target.value)}>
            <option value="">— none —</option>
            {basics.items.map((i) => (
              <option key={i.id} value={i.id}>
                {i.part_number}
                {i.description ? ` — ${i.description}` : ""}
              </option>
            ))}
          </select>
        </label>
      </div>
      {touched && qtyError && (
        <p id={`${id}-qe`} className="field-error">
          {qtyError}
        </p>
      )}
      <div className="qa-form-row">
        <label>
          Supplier
          <select value={supplierId} onChange={(e) => setSupplierId(e.target.value)}>
            <option value="">— none —</option>
            {basics.suppliers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.code} — {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Work order
          <select value={workOrderId} onChange={(e) => setWorkOrderId(e.target.value)}>
            <option value="">— none —</option>
            {basics.workOrders.map((w) => (
              <option key={w.id} value={w.id}>
                {w.number} · {w.part_number}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="qa-form-row">
        <label>
          Lots (comma or space separated)
          <input value={lots} onChange={(e) => setLots(e.target.value)} />
        </label>
        <label>
          Serials (comma or space separated)
          <input value={serials} onChange={(e) => setSerials(e.target.value)} />
        </label>
      </div>
      <label>
        First containment action (optional)
        <input value={containment} onChange={(e) => setContainment(e.target.value)} maxLength={2000} placeholder="e.g. Quarantine lot L-1042" />
      </label>
      <ApiProblem error={error} action="Could not raise the NCR" labels={LABELS} />
      <div className="pg-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Raising…" : "Raise NCR"}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
