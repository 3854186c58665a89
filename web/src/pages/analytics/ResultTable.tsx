// Result rows as a table, a page at a time (up to 100,000 rows stay fast): column names with their SQL
// types, numbers right-aligned, instants in plant time, NULL marked.
import { useEffect, useId, useState } from "react";
import type { QueryResult } from "./api";
import { formatCell, formatCount, isNumericType } from "./format";

export const PAGE_SIZES = [50, 100, 500];

interface Props {
  result: QueryResult;
  timeZone: string;
}

export function ResultTable({ result, timeZone }: Props) {
  const id = useId();
  const [size, setSize] = useState(100);
  const [page, setPage] = useState(0);
  useEffect(() => setPage(0), [result, size]);
  const total = result.rows.length;
  const pages = Math.max(1, Math.ceil(total / size));
  const p = Math.min(page, pages - 1);
  const from = p * size;
  const rows = result.rows.slice(from, from + size);
  const numeric = result.columns.map((c) => isNumericType(c.type));

  if (result.columns.length === 0) return <p className="muted">The query returned no columns.</p>;
  return (
    <div className="an-table">
      <div className="table-wrap an-table-wrap" role="region" aria-labelledby={`${id}-cap`} tabIndex={0}>
        <table className="table an-result">
          <caption id={`${id}-cap`} className="sr-only">
            Query result, rows {total === 0 ? 0 : from + 1} to {from + rows.length} of {total}
          </caption>
          <thead>
            <tr>
              {result.columns.map((c, i) => (
                <th key={i} scope="col" className={numeric[i] ? "num" : undefined}>
                  <span className="an-col-name">{c.name}</span>
                  <span className="an-col-type">{c.type}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, ri) => (
              <tr key={from + ri}>
                {result.columns.map((c, ci) => {
                  const v = r[ci];
                  return (
                    <td key={ci} className={numeric[ci] ? "num" : undefined}>
                      {v === null || v === undefined ? <span className="an-null">NULL</span> : formatCell(v, c.type, timeZone)}
                    </td>
                  );
                })}
              </tr>
            ))}
            {total === 0 && (
              <tr>
                <td colSpan={result.columns.length} className="muted">
                  No rows.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {total > PAGE_SIZES[0] && (
        <nav className="an-pager" aria-label="Result pages">
          <span className="small" aria-live="polite">
            Rows {formatCount(from + 1)}–{formatCount(from + rows.length)} of {formatCount(total)}
          </span>
          <span className="pg-actions">
            <button type="button" className="btn btn-small" onClick={() => setPage(0)} disabled={p === 0}>
              First
            </button>
            <button type="button" className="btn btn-small" onClick={() => setPage(p - 1)} disabled={p === 0}>
              Previous
            </button>
            <span className="small">
              Page {p + 1} of {pages}
            </span>
            <button type="button" className="btn btn-small" onClick={() => setPage(p + 1)} disabled={p >= pages - 1}>
              Next
            </button>
            <button type="button" className="btn btn-small" onClick={() => setPage(pages - 1)} disabled={p >= pages - 1}>
              Last
            </button>
          </span>
          <label className="an-inline-field small">
            Rows per page{" "}
            <select value={size} onChange={(e) => setSize(Number(e.target.value))}>
              {PAGE_SIZES.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
        </nav>
      )}
    </div>
  );
}
