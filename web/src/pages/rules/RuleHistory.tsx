// A rule's version history, newest first: version, change, who, when (plant time) and what changed.
import { useCallback, useEffect, useState } from "react";
import { formatDateTime } from "../../lib/time";
import { errorMessage } from "../shared/errors";
import { listVersions, type RuleVersion } from "./api";
import { diffSpecs } from "./diff";
import type { Names } from "./summary";

const CHANGE_TEXT: Record<RuleVersion["change"], string> = { created: "Created", updated: "Updated", deleted: "Deleted" };

interface Props {
  ruleId: string;
  /** Changes when the rule gets a new version, to reload the history. */
  version: number;
  tz: string;
  names: Names;
  userName(id: string | null): string;
}

export function RuleHistory({ ruleId, version, tz, names, userName }: Props) {
  const [items, setItems] = useState<RuleVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    (alive: () => boolean = () => true) =>
      listVersions(ruleId)
        .then((v) => {
          if (!alive()) return;
          setItems(v);
          setError(null);
        })
        .catch((e) => alive() && setError(errorMessage(e))),
    [ruleId],
  );

  useEffect(() => {
    let alive = true;
    void load(() => alive);
    return () => {
      alive = false;
    };
  }, [load, version]);

  const ordered = items ? [...items].sort((a, b) => a.version - b.version) : [];
  return (
    <div className="rule-history" data-testid="rule-history">
      {error && (
        <p role="alert" className="form-error">
          Could not load the history: {error}{" "}
          <button type="button" className="btn btn-small" onClick={() => void load()}>
            Retry
          </button>
        </p>
      )}
      {items === null && !error && <p className="muted">Loading history…</p>}
      {items?.length === 0 && <p className="muted">No versions recorded.</p>}
      {ordered.length > 0 && (
        <ol className="version-list" reversed>
          {ordered
            .map((v, i) => ({ v, lines: v.change === "deleted" ? [] : diffSpecs(i > 0 ? ordered[i - 1].spec : null, v.spec, names) }))
            .reverse()
            .map(({ v, lines }) => (
              <li key={v.version} className={`version change-${v.change}`} data-testid="rule-version">
                <p className="version-head">
                  <strong>v{v.version}</strong> <span className={`version-change change-${v.change}`}>{CHANGE_TEXT[v.change] ?? v.change}</span> by{" "}
                  <span className="version-who">{userName(v.changed_by)}</span> ·{" "}
                  <time dateTime={v.changed_at} title={tz}>
                    {formatDateTime(v.changed_at, tz)}
                  </time>
                </p>
                {v.change === "deleted" ? (
                  <p className="muted small">The rule was deleted; it no longer raises alarms.</p>
                ) : lines.length === 0 ? (
                  <p className="muted small">No changes to the rule's settings.</p>
                ) : (
                  <ul className="diff-list" aria-label={`Changes in version ${v.version}`}>
                    {lines.map((l) => (
                      <li key={l.label}>
                        <span className="diff-label">{l.label}:</span>{" "}
                        {l.from !== null && (
                          <>
                            <del className="diff-from">{l.from}</del> <span aria-hidden="true">→</span>
                            <span className="sr-only"> changed to </span>{" "}
                          </>
                        )}
                        <ins className="diff-to">{l.to}</ins>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
        </ol>
      )}
    </div>
  );
}
