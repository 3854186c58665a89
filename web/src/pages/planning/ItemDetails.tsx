// One item's BOM views for an effectivity date: the indented tree, summarised requirements, where-used, and
// the rolled-up cost with cumulative lead time (critical path).
import { useResource } from "../maintenance/useResource";
import { LoadError, Loading } from "../maintenance/States";
import { costRollup, explode, whereUsed, type CostNode, type Item } from "./api";
import { BomTree } from "./BomTree";
import { fmtMoney, fmtQty } from "./tree";

interface Props {
  item: Item;
  asOf: string;
  quantity: number;
}

export function ItemDetails({ item, asOf, quantity }: Props) {
  const key = `${item.id}|${asOf}|${quantity}`;
  const bom = useResource(() => explode(item.id, asOf, quantity), key);
  const used = useResource(() => whereUsed(item.id, asOf), key);
  const cost = useResource(() => costRollup(item.id, asOf), key);

  return (
    <div className="pl-details">
      <section className="panel" aria-labelledby="pl-bom-title">
        <h2 id="pl-bom-title">
          BOM of <span className="pg-mono">{item.part_number}</span>
        </h2>
        {bom.error ? <LoadError what="the BOM" error={bom.error} onRetry={bom.reload} /> : bom.data ? <BomTree explosion={bom.data} /> : <Loading what="the BOM" />}
      </section>

      <div className="pl-grid">
        <section className="panel" aria-labelledby="pl-sum-title">
          <h2 id="pl-sum-title">Summarised requirements</h2>
          {bom.error ? null : !bom.data ? (
            <Loading what="requirements" />
          ) : bom.data.summary.length === 0 ? (
            <p className="pg-empty">No components.</p>
          ) : (
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Summarised requirements">
              <table className="table" aria-label="Summarised requirements">
                <thead>
                  <tr>
                    <th scope="col">Component</th>
                    <th scope="col">Make/buy</th>
                    <th scope="col" className="num">
                      Total qty
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {bom.data.summary.map((s) => (
                    <tr key={s.item_id}>
                      <th scope="row" className="pg-mono">
                        {s.part_number}
                      </th>
                      <td>{s.make_buy}</td>
                      <td className="num">
                        {fmtQty(s.total_qty)} {s.uom}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section className="panel" aria-labelledby="pl-cost-title">
          <h2 id="pl-cost-title">Cost and lead time</h2>
          {cost.error ? (
            <LoadError what="the cost rollup" error={cost.error} onRetry={cost.reload} />
          ) : !cost.data ? (
            <Loading what="the cost rollup" />
          ) : (
            <>
              <dl className="pl-facts" data-testid="cost-facts">
                <div>
                  <dt>Unit cost</dt>
                  <dd>{fmtMoney(cost.data.unit_cost)}</dd>
                </div>
                <div>
                  <dt>Material</dt>
                  <dd>{fmtMoney(cost.data.unit_material)}</dd>
                </div>
                <div>
                  <dt>Labour</dt>
                  <dd>{fmtMoney(cost.data.unit_labour)}</dd>
                </div>
                <div>
                  <dt>Cumulative lead time</dt>
                  <dd>{cost.data.cumulative_lead_time_days} days</dd>
                </div>
              </dl>
              <p className="small">
                Critical path: <span className="pg-mono">{cost.data.critical_path.join(" → ") || "—"}</span>
              </p>
              <CostTable root={cost.data.tree} critical={new Set(cost.data.critical_path)} />
            </>
          )}
        </section>
      </div>

      <section className="panel" aria-labelledby="pl-used-title">
        <h2 id="pl-used-title">Where used</h2>
        {used.error ? (
          <LoadError what="where-used" error={used.error} onRetry={used.reload} />
        ) : !used.data ? (
          <Loading what="where-used" />
        ) : used.data.rows.length === 0 ? (
          <p className="pg-empty">{item.part_number} is not used in any BOM effective on {asOf}.</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label={`Where ${item.part_number} is used`}>
            <table className="table" aria-label={`Where ${item.part_number} is used`}>
              <thead>
                <tr>
                  <th scope="col">Level</th>
                  <th scope="col">Used in</th>
                  <th scope="col">Path</th>
                  <th scope="col" className="num">
                    Qty per
                  </th>
                  <th scope="col">BOM rev.</th>
                  <th scope="col">Effective</th>
                </tr>
              </thead>
              <tbody>
                {used.data.rows.map((r, i) => (
                  <tr key={`${i}:${r.path}`}>
                    <td className="pg-mono">{r.level}</td>
                    <th scope="row" className="pg-mono">
                      {r.part_number}
                    </th>
                    <td className="pg-mono small">{r.path}</td>
                    <td className="num">{fmtQty(r.qty_per)}</td>
                    <td>{r.bom_revision}</td>
                    <td>{effectivity(r.effective_from, r.effective_to)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function effectivity(from: string | null, to: string | null): string {
  if (!from && !to) return "always";
  if (from && to) return `${from} to ${to} (excl.)`;
  return from ? `from ${from}` : `until ${to} (excl.)`;
}

function flatten(n: CostNode, depth: number, path: string, out: { n: CostNode; depth: number; key: string }[]) {
  out.push({ n, depth, key: path });
  n.children.forEach((c, i) => flatten(c, depth + 1, `${path}/${i}`, out));
  return out;
}

function CostTable({ root, critical }: { root: CostNode; critical: Set<string> }) {
  const rows = flatten(root, 0, "0", []);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Cost rollup per component">
      <table className="table" aria-label="Cost rollup per component">
        <thead>
          <tr>
            <th scope="col">Part</th>
            <th scope="col" className="num">
              Qty
            </th>
            <th scope="col" className="num">
              Material
            </th>
            <th scope="col" className="num">
              Labour
            </th>
            <th scope="col" className="num">
              Total
            </th>
            <th scope="col" className="num">
              Lead time
            </th>
            <th scope="col" className="num">
              Cumulative
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ n, depth, key }) => (
            <tr key={key} className={critical.has(n.part_number) ? "pl-critical" : undefined}>
              <th scope="row" className="pg-mono">
                <span style={{ paddingLeft: `${depth}rem` }}>{n.part_number}</span>
                {critical.has(n.part_number) && <span className="sr-only"> (on the critical path)</span>}
              </th>
              <td className="num">{fmtQty(n.quantity)}</td>
              <td className="num">{fmtMoney(n.material)}</td>
              <td className="num">{fmtMoney(n.labour)}</td>
              <td className="num">{fmtMoney(n.total)}</td>
              <td className="num">{n.lead_time_days} d</td>
              <td className="num">{n.cumulative_lead_time_days} d</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
