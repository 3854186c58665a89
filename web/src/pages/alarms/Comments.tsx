// Posting a comment on an alarm; the thread itself is part of the timeline (Timeline.tsx).
import { useState, type FormEvent } from "react";
import { errorMessage } from "../shared/errors";
import { addComment, type AlertComment } from "./api";

export function CommentForm({ alertId, onPosted }: { alertId: string; onPosted(c: AlertComment): void }) {
  const [body, setBody] = useState("");
  const [posting, setPosting] = useState(false);
  const [postError, setPostError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const text = body.trim();
    if (!text || posting) return;
    setPosting(true);
    setPostError(null);
    try {
      onPosted(await addComment(alertId, text));
      setBody("");
    } catch (err) {
      setPostError(errorMessage(err));
    } finally {
      setPosting(false);
    }
  }

  const inputId = `comment-${alertId}`;
  return (
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
  );
}
