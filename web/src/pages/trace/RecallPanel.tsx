// Recall impact of a suspect lot (or serial): the shipments that contain it at any level (customers, PO,
// ship dates, the shipped serial/lot and how deep the suspect sits in it), each with its certificate of
// conformance, and what is still in house to quarantine.
import { fmtQty } from "../quality/format";
import type { RecallOut } from "./api";
import { CocButton } from "./CocButton";

export function RecallPanel({ recall }: { recall: RecallOut }) {
  const s = recall.suspect;
  return (
    <div className="tr-recall">
      <ul className="qa-tiles tr-recall-tiles" aria-label="Recall impact summary">
        <li className="qa-tile">
          <span className="qa-tile-label">Shipments affected</span>
          <span className="qa-tile-value">{recall.shipment_count}</span>
        </li>
        <li className="qa-tile">
          <span className="qa-tile-label">Customers</span>
          <span className="qa-tile-value">{recall.customers.length}</span>
        </li>
        <li className="qa-tile">
          <span className="qa-tile-label">Items containing it</span>
          <span className="qa-tile-value">{recall.affected_nodes}</span>
        </li>
        <li className="qa-tile">
          <span className="qa-tile-label">In house (to quarantine)</span>
          <span className="qa-tile-value">{recall.in_house_count}</span>
        </li>
      </ul>
      {recall.customers.length > 0 && (
        <p>
          <strong>Customers:</strong> {recall.customers.join(", ")}
        </p>
      )}
      {recall.restricted_nodes > 0 && (
        <p className="notice notice-warn" role="note">
          {recall.restricted_nodes} affected {recall.restricted_nodes === 1 ? "item is" : "items are"} ITAR-controlled and hidden from you: the impact may be larger
          than shown. Ask an ITAR-authorised user to run this recall.
        </p>
      )}
      <h2 id="tr-shipments" className="tr-h">Shipped ({recall.shipments.length})</h2>
      {recall.shipments.length === 0 ? (
        <p className="pg-empty">Nothing containing {s.number} has been shipped.</p>
      ) : (
        <div className="table-wrap">
          <table className="table card-table" aria-labelledby="tr-shipments">
            <thead>
              <tr>
                <th scope="col">Shipment</th>
                <th scope="col">Customer</th>
                <th scope="col">Customer PO</th>
                <th scope="col">Ship date</th>
                <th scope="col">Shipped item</th>
                <th scope="col" className="num">
                  Qty
                </th>
                <th scope="col">Levels below</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {recall.shipments.map((r) => (
                <tr key={`${r.shipment_id}/${r.node_id}`} data-testid="recall-row" className={r.itar ? "tr-itar-row" : undefined}>
                  <th scope="row" className="pg-mono">
                    {r.shipment_number}
                  </th>
                  <td data-label="Customer">{r.customer}</td>
                  <td data-label="Customer PO">{r.customer_po || <span className="muted">—</span>}</td>
                  <td data-label="Ship date" className="nowrap">
                    {r.ship_date}
                  </td>
                  <td data-label="Shipped item">
                    <span className="pg-kind">{r.node_kind}</span> <span className="pg-mono">{r.number}</span> <span className="muted">({r.part_number})</span>
                    {r.itar && <span className="badge tr-itar-badge">ITAR</span>}
                  </td>
                  <td data-label="Qty" className="num">
                    {fmtQty(r.quantity)}
                  </td>
                  <td data-label="Levels below">{r.depth === 0 ? "the suspect itself" : r.depth}</td>
                  <td data-label="Actions">
                    <CocButton shipmentId={r.shipment_id} shipmentNumber={r.shipment_number} serial={r.number} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 id="tr-inhouse" className="tr-h">In house ({recall.in_house_count})</h2>
      {recall.in_house.length === 0 ? (
        <p className="pg-empty">No released or quarantined stock contains {s.number}.</p>
      ) : (
        <div className="table-wrap">
          <table className="table card-table" aria-labelledby="tr-inhouse">
            <thead>
              <tr>
                <th scope="col">Lot / serial</th>
                <th scope="col">Part (rev.)</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Qty
                </th>
              </tr>
            </thead>
            <tbody>
              {recall.in_house.map((n) => (
                <tr key={n.id} className={n.itar ? "tr-itar-row" : undefined}>
                  <th scope="row">
                    <span className="pg-kind">{n.kind}</span> <span className="pg-mono">{n.number}</span>
                    {n.itar && <span className="badge tr-itar-badge">ITAR</span>}
                  </th>
                  <td data-label="Part">
                    <span className="pg-mono">{n.part_number}</span>
                    {n.revision && <span className="muted"> rev. {n.revision}</span>}
                  </td>
                  <td data-label="Status">{n.status === "quarantined" ? <strong>quarantined</strong> : `${n.status} — quarantine it`}</td>
                  <td data-label="Qty" className="num">
                    {fmtQty(n.quantity)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {recall.in_house_count > recall.in_house.length && (
            <p className="muted small">
              Showing {recall.in_house.length} of {recall.in_house_count}.
            </p>
          )}
        </div>
      )}
    </div>
  );
}
