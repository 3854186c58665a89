// The comment thread of one alarm: loads on open, reloads on live "alert.commented" events for it.
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { live } from "../../live";
import { formatDateTime } from "../../lib/time";
import { errorMessage } from "../shared/errors";
import { addComment, listComments, type AlertComment } from "./api";

export function Comments({ alertId, tz, mayPost }: { alertId: string; tz: string; mayPost: boolean }) {
  const [items, setItems] = useState<AlertComment[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [body, setBody] = useState("");
  const [posting, setPosting] = useState(false);
  const [postError, setPostError] = useState<string | null>(null);

  const alive = useRef(true);

  const load = useCallback(async () => {
    try {
      const list = await listComments(alertId);
      if (!alive.current) return;
      setItems(list);
      setError(null);
    } catch (e) {
      if (alive.current) setError(errorMessage(e));
    }
  }, [alertId]);

  useEffect(() => {
    alive.current = true;
    void load();
    const off = live.subscribe((e) => {
      if (e.type === "alert.commented" && e.alert.id === alertId) void load();
    });
    return () => {
      alive.current = false;
      off();
    };
  }, [alertId, load]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const text = body.trim();
    if (!text || posting) return;
    setPosting(true);
    setPostError(null);
    try {
      const c = await addComment(alertId, text);
      setItems((cur) => (cur?.some((x) => x.id === c.id) ? cur : [...(cur ?? []), c]));
      setBody("");
    } catch (err) {
      setPostError(errorMessage(err));
    } finally {
      setPosting(false);
    }
  }

  const inputId = `comment-${alertId}`;
  return (
    <section className="comments" aria-label="Comments">
      <h3 className="small-title">Comments</h3>
      {error && (
        <p role="alert" className="form-error">
          Could not load comments: {error}{" "}
          <button type="button" className="btn btn-small" onClick={() => void load()}>
            Retry
          </button>
        </p>
      )}
      {items === null && !error && <p className="muted">Loading comments…</p>}
      {items?.length === 0 && <p className="muted">No comments yet.</p>}
      {items && items.length > 0 && (
        <ol className="comment-list">
          {items.map((c) => (
            <li key={c.id} className="comment" data-testid="comment">
              <p className="comment-meta">
                <strong>{c.author_name ?? "Unknown user"}</strong> <time dateTime={c.created_at}>{formatDateTime(c.created_at, tz)}</time>
              </p>
              <p className="comment-body">{c.body}</p>
            </li>
          ))}
        </ol>
      )}
      {mayPost && (
        <form className="comment-form" onSubmit={(e) => void onSubmit(e)}>
          <label htmlFor={inputId}>Add a comment</label>
          <textarea id={inputId} rows={2} value={body} maxLength={4000} onChange={(e) => setBody(e.target.value)} />
          {postError && (
            <p role="alert" className="form-error">
              Could not post: {postError}
            </p>
          )}
          <button type="submit" className="btn btn-primary btn-small" disabled={posting || !body.trim()}>
            {posting ? "Posting…" : "Post comment"}
          </button>
        </form>
      )}
    </section>
  );
}
