// The selected asset: facts, edit/delete, a child of the next level, and (machines) its sensors.
import { Link } from "react-router-dom";
import type { Schemas } from "../../api/client";
import { formatDateTime } from "../../lib/time";
import { CreateAssetForm, DeleteAsset, EditAssetForm } from "./AssetForms";
import { AddSensorForm, SensorTable } from "./SensorForms";
import { CHILD_KIND, KIND_LABEL, type AssetNode } from "./tree";

export interface AssetDetailsProps {
  node: AssetNode;
  canWrite: boolean;
  timeZone: string;
  /** Something changed: reload the tree, then select this id (if given). */
  onChanged(selectId?: string | null): void;
}

export function AssetDetails({ node, canWrite, timeZone, onChanged }: AssetDetailsProps) {
  const child = CHILD_KIND[node.kind];
  const created = (a: Schemas["AssetOut"]) => onChanged(a.id);
  return (
    <div className="pg-details">
      <header className="panel pg-card">
        <p className="muted small">{KIND_LABEL[node.kind]}</p>
        <h2 id="asset-title">{node.name}</h2>
        <dl className="pg-facts">
          <dt>Tag path</dt>
          <dd>
            <code>{node.path}</code>
          </dd>
          <dt>Description</dt>
          <dd>{node.description || "—"}</dd>
          <dt>Time zone</dt>
          <dd>{node.timezone ?? "inherited"}</dd>
          <dt>Children</dt>
          <dd>{node.children.length}</dd>
          <dt>Updated</dt>
          <dd>{formatDateTime(node.updated_at, timeZone)}</dd>
        </dl>
        {node.kind === "machine" && <Link to={`/machines/${node.id}`}>Open machine dashboard →</Link>}
      </header>

      {node.kind === "machine" && (
        <section className="panel pg-card" aria-labelledby="sensors-title">
          <h3 id="sensors-title">Sensors</h3>
          <SensorTable sensors={node.sensors} canWrite={canWrite} onChanged={() => onChanged()} />
          {canWrite && <AddSensorForm machine={node} onCreated={() => onChanged()} />}
        </section>
      )}

      {canWrite ? (
        <>
          {child && (
            <section className="panel pg-card">
              <CreateAssetForm key={node.id} kind={child} parent={node} onCreated={created} />
            </section>
          )}
          <section className="panel pg-card">
            <EditAssetForm key={node.id} node={node} onSaved={(a) => onChanged(a.id)} />
            <DeleteAsset key={node.id} node={node} onDeleted={() => onChanged(node.parent_id)} />
          </section>
        </>
      ) : (
        <p className="muted">Read-only: only administrators and engineers can change assets.</p>
      )}
    </div>
  );
}
