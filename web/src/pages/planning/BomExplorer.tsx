// BOM explorer: find an item (part number or description), pick an effectivity date and a quantity, and see
// its BOM, requirements, where-used and cost. The selection and the date live in the URL.
import { useEffect, useId, useState } from "react";
import { useResource } from "../maintenance/useResource";
import { Empty, LoadError, Loading } from "../maintenance/States";
import { getItem, listItems, type Item } from "./api";
import { ItemDetails } from "./ItemDetails";

interface Props {
  itemId: string | null;
  asOf: string;
  onSelect(itemId: string): void;
  onAsOf(date: string): void;
}

export function BomExplorer({ itemId, asOf, onSelect, onAsOf }: Props) {
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const [quantity, setQuantity] = useState("1");
  const ids = useId();
  useEffect(() => {
    const t = setTimeout(() => setQ(text), 250);
    return () => clearTimeout(t);
  }, [text]);
  const items = useResource(() => listItems(q), q);
  const selected = useResource<Item | null>(() => (itemId ? getItem(itemId) : Promise.resolve(null)), itemId ?? "");
  const qty = Number(quantity);
  const qtyOk = quantity.trim() !== "" && Number.isFinite(qty) && qty > 0;

  return (
    <div className="pl-explorer">
      <aside className="panel pl-items" aria-labelledby={`${ids}-items`}>
        <h2 id={`${ids}-items`}>Items</h2>
        <div className="field">
          <label htmlFor={`${ids}-q`}>Search part number or description</label>
          <input id={`${ids}-q`} type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. PUMP" />
        </div>
        {items.error ? (
          <LoadError what="items" error={items.error} onRetry={items.reload} />
        ) : !items.data ? (
          <Loading what="items" />
        ) : items.data.items.length === 0 ? (
          <p className="pg-empty">{q ? `No item matches “${q}”.` : "No items yet: import a BOM CSV or create items through the API."}</p>
        ) : (
          <>
            <ul className="pl-item-list" aria-label="Items">
              {items.data.items.map((it) => (
                <li key={it.id}>
                  <button type="button" className="pl-item" aria-current={it.id === itemId ? "true" : undefined} onClick={() => onSelect(it.id)}>
                    <span className="pg-mono pl-item-pn">{it.part_number}</span>
                    <span className="small muted">
                      {it.make_buy}
                      {it.description ? ` · ${it.description}` : ""}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            {items.data.total > items.data.items.length && (
              <p className="muted small">
                Showing {items.data.items.length} of {items.data.total}; refine the search.
              </p>
            )}
          </>
        )}
      </aside>
      <div className="pl-main">
        <div className="panel pl-controls">
          <div className="field">
            <label htmlFor={`${ids}-asof`}>Effective on</label>
            <input id={`${ids}-asof`} type="date" value={asOf} required onChange={(e) => e.target.value && onAsOf(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-qty`}>Quantity</label>
            <input
              id={`${ids}-qty`}
              type="number"
              min="0"
              step="any"
              inputMode="decimal"
              value={quantity}
              aria-invalid={!qtyOk}
              aria-describedby={qtyOk ? undefined : `${ids}-qty-err`}
              onChange={(e) => setQuantity(e.target.value)}
            />
            {!qtyOk && (
              <span id={`${ids}-qty-err`} className="field-error">
                Enter a quantity above 0.
              </span>
            )}
          </div>
        </div>
        {!itemId ? (
          <Empty title="Pick an item">
            <p>Choose an item on the left to see its indented BOM, requirements, where-used and cost.</p>
          </Empty>
        ) : selected.error ? (
          <LoadError what="the item" error={selected.error} onRetry={selected.reload} />
        ) : !selected.data ? (
          <Loading what="the item" />
        ) : (
          <>
            <p className="pl-selected">
              <strong className="pg-mono">{selected.data.part_number}</strong> {selected.data.description} · {selected.data.make_buy}, lead time{" "}
              {selected.data.lead_time_days} d, on hand {selected.data.on_hand} {selected.data.uom}
            </p>
            <ItemDetails item={selected.data} asOf={asOf} quantity={qtyOk ? qty : 1} />
          </>
        )}
      </div>
    </div>
  );
}
