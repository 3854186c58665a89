// The tables a query may read (lake datasets and the sensors/assets dimension tables) with their columns
// and SQL types. A table or column button inserts its name at the editor's cursor.
import { useCallback, useEffect, useState } from "react";
import { ApiProblem } from "../shared/ApiProblem";
import { listTables, type TableInfo } from "./api";
import { ident } from "./sql";

interface Props {
  onInsert(text: string): void;
}

export function TableBrowser({ onInsert }: Props) {
  const [tables, setTables] = useState<TableInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<Set<string>>(new Set());

  const load = useCallback(() => {
    setError(null);
    listTables().then(setTables, setError);
  }, []);
  useEffect(load, [load]);

  const toggle = (name: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(name)) n.delete(name);
      else n.add(name);
      return n;
    });

  if (error !== null) {
    return (
      <>
        <ApiProblem error={error} action="Could not load the tables" />
        <button type="button" className="btn btn-small" onClick={load}>
          Retry
        </button>
      </>
    );
  }
  if (!tables) return <p className="loading" role="status">Loading tables…</p>;
  if (tables.length === 0) return <p className="pg-empty">No tables yet: the lake export has not written any data for your tenant.</p>;

  const groups: { kind: TableInfo["kind"]; title: string }[] = [
    { kind: "lake", title: "Lake datasets" },
    { kind: "dimension", title: "Dimension tables" },
  ];
  return (
    <div className="an-tables">
      {groups.map((g) => {
        const list = tables.filter((t) => t.kind === g.kind);
        if (list.length === 0) return null;
        return (
          <div key={g.kind}>
            <h3 className="an-subhead">{g.title}</h3>
            <ul className="an-table-list">
              {list.map((t) => {
                const expanded = open.has(t.name);
                const colsId = `an-cols-${t.name}`;
                return (
                  <li key={t.name} data-testid={`table-${t.name}`}>
                    <div className="an-table-row">
                      <button
                        type="button"
                        className="an-disclose"
                        aria-expanded={expanded}
                        aria-controls={colsId}
                        aria-label={`Columns of ${t.name}`}
                        onClick={() => toggle(t.name)}
                      >
                        <span aria-hidden="true">{expanded ? "▾" : "▸"}</span>
                      </button>
                      <button type="button" className="an-insert pg-mono" onClick={() => onInsert(ident(t.name))} aria-label={`Insert table ${t.name}`} title={t.description}>
                        {t.name}
                      </button>
                    </div>
                    {t.description && <p className="muted small an-table-desc">{t.description}</p>}
                    <ul id={colsId} className="an-col-list" hidden={!expanded}>
                      {expanded &&
                        t.columns.map((c) => (
                          <li key={c.name}>
                            <button type="button" className="an-insert pg-mono" onClick={() => onInsert(ident(c.name))} aria-label={`Insert column ${c.name} (${c.type})`}>
                              {c.name}
                            </button>{" "}
                            <span className="an-col-type">{c.type}</span>
                            {c.name === t.time_column && <span className="an-time-tag"> time column</span>}
                          </li>
                        ))}
                    </ul>
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </div>
  );
}
