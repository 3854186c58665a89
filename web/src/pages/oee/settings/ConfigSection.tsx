// Machine and line OEE config: pick the asset, see what it inherits, set or remove its own config, and
// recompute the last 7 days of rollups after a change.
import { useEffect, useState } from "react";
import { ApiProblem } from "../../shared/ApiProblem";
import { ConfirmButton } from "../../shared/ConfirmButton";
import { deleteConfig, getConfig, listSensorNames, recompute, type Asset, type OeeConfig } from "../api";
import { ConfigForm } from "./ConfigForm";

export function ConfigSection({ lines, machines, onNotice }: { lines: Asset[]; machines: Asset[]; onNotice(m: string): void }) {
  const [assetId, setAssetId] = useState("");
  const [config, setConfig] = useState<OeeConfig | null>(null);
  const [sensors, setSensors] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const id = assetId || machines[0]?.id || lines[0]?.id || "";
  const asset = [...machines, ...lines].find((a) => a.id === id);

  useEffect(() => {
    if (!id) return;
    let alive = true;
    setConfig(null);
    setError(null);
    getConfig(id)
      .then((c) => alive && setConfig(c))
      .catch((e) => alive && setError(e));
    if (asset?.kind === "machine")
      listSensorNames(id)
        .then((n) => alive && setSensors(n))
        .catch(() => alive && setSensors([]));
    else setSensors([]);
    return () => {
      alive = false;
    };
  }, [id, asset?.kind, version]);

  const machineIds = asset?.kind === "machine" ? [asset.id] : machines.filter((m) => asset && m.path.startsWith(`${asset.path}/`)).map((m) => m.id);

  async function run(action: () => Promise<unknown>, done: string) {
    setError(null);
    try {
      await action();
      onNotice(done);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="panel pg-card" aria-labelledby="config-title">
      <h2 id="config-title">Machine and line OEE config</h2>
      <div className="field oee-site-field">
        <label htmlFor="config-asset">Line or machine</label>
        <select id="config-asset" value={id} onChange={(e) => setAssetId(e.target.value)}>
          <optgroup label="Machines">
            {machines.map((m) => (
              <option key={m.id} value={m.id}>
                {m.path}
              </option>
            ))}
          </optgroup>
          <optgroup label="Lines">
            {lines.map((l) => (
              <option key={l.id} value={l.id}>
                {l.path}
              </option>
            ))}
          </optgroup>
        </select>
      </div>
      <ApiProblem error={error} action="OEE config" />
      {config && (
        <>
          {config.kind === "machine" && (
            <p className={config.configured ? "pg-ok" : "notice notice-warn"}>
              {config.configured ? "✓ The running signal resolves to a sensor of this machine." : "⚠ No running signal resolves to a sensor of this machine: every minute counts as down."}
            </p>
          )}
          <ConfigForm
            key={`${config.asset_id}-${version}`}
            config={config}
            sensorNames={sensors}
            onSaved={(c) => {
              setConfig(c);
              onNotice(`OEE config of ${c.path} saved. Recompute to apply it to past hours.`);
            }}
          />
          <div className="pg-actions oee-config-actions">
            {config.own && (
              <ConfirmButton
                label="Remove"
                subject={`the own OEE config of ${config.path}`}
                onConfirm={() => run(() => deleteConfig(config.asset_id).then(() => setVersion((v) => v + 1)), `Own OEE config of ${config.path} removed: it inherits now.`)}
              />
            )}
            <button
              type="button"
              className="btn"
              disabled={machineIds.length === 0}
              onClick={() =>
                void run(() => recompute(new Date(Date.now() - 7 * 86_400_000).toISOString(), new Date().toISOString(), machineIds), "Rollups of the last 7 days recomputed.")
              }
            >
              Recompute the last 7 days
            </button>
          </div>
        </>
      )}
    </section>
  );
}
