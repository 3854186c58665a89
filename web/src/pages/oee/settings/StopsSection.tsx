// Planned stops of a site, line or machine (they apply to the machines below it): list, create, delete.
import { useEffect, useState } from "react";
import { formatDateTime } from "../../../lib/time";
import { daysSummary, hhmm } from "../../../lib/zoned";
import { ApiProblem } from "../../shared/ApiProblem";
import { ConfirmButton } from "../../shared/ConfirmButton";
import { deleteStop, listStops, type Asset, type PlannedStop, type Reason } from "../api";
import { StopForm } from "./StopForm";

interface Props {
  assets: Asset[]; // sites, lines and machines
  reasons: Reason[];
  tzOf(a: Asset | undefined): string;
  onNotice(m: string): void;
}

export function StopsSection({ assets, reasons, tzOf, onNotice }: Props) {
  const [assetId, setAssetId] = useState("");
  const [stops, setStops] = useState<PlannedStop[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [adding, setAdding] = useState(false);
  const id = assetId || assets[0]?.id || "";
  const tz = tzOf(assets.find((a) => a.id === id));

  useEffect(() => {
    if (!id) return;
    let alive = true;
    setStops(null);
    setError(null);
    listStops(id)
      .then((s) => alive && setStops(s))
      .catch((e) => alive && setError(e));
    return () => {
      alive = false;
    };
  }, [id]);

  async function remove(s: PlannedStop) {
    setError(null);
    try {
      await deleteStop(s.id);
      setStops((cur) => (cur ?? []).filter((x) => x.id !== s.id));
      onNotice(`Planned stop “${s.name}” deleted.`);
    } catch (e) {
      setError(e);
    }
  }

  const when = (s: PlannedStop) =>
    s.start_time
      ? `${hhmm(s.start_time)}–${hhmm(s.end_time)}, ${daysSummary(s.days)}`
      : `${s.start ? formatDateTime(s.start, tz).slice(0, 16) : "?"} – ${s.end ? formatDateTime(s.end, tz).slice(0, 16) : "?"}`;

  return (
    <section className="panel pg-card" aria-labelledby="stops-title">
      <div className="pg-card-head">
        <h2 id="stops-title">Planned stops</h2>
        <button type="button" className="btn btn-primary" onClick={() => setAdding(true)} disabled={!id || adding}>
          New planned stop
        </button>
      </div>
      <div className="field oee-site-field">
        <label htmlFor="stops-asset">Site, line or machine</label>
        <select id="stops-asset" value={id} onChange={(e) => setAssetId(e.target.value)}>
          {assets.map((a) => (
            <option key={a.id} value={a.id}>
              {a.path} ({a.kind})
            </option>
          ))}
        </select>
      </div>
      {adding && id && (
        <StopForm
          assetId={id}
          reasons={reasons}
          tz={tz}
          onCancel={() => setAdding(false)}
          onSaved={(s) => {
            setStops((cur) => [...(cur ?? []), s]);
            onNotice(`Planned stop “${s.name}” created.`);
            setAdding(false);
          }}
        />
      )}
      <ApiProblem error={error} action="Planned stops" />
      {stops?.length === 0 && <p className="muted">No planned stops here.</p>}
      {!!stops?.length && (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Planned stops (plant time, {tz})</caption>
            <thead>
              <tr>
                {["Stop", "When", "Reason", "Actions"].map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {stops.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.name}</th>
                  <td>{when(s)}</td>
                  <td>{s.reason_code ?? "—"}</td>
                  <td>
                    <ConfirmButton label="Delete" subject={`planned stop ${s.name}`} onConfirm={() => remove(s)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
