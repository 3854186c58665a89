// A destructive action behind a second, explicit click: "Delete" → "Delete X? [Yes, delete] [Cancel]".
// Focus moves to the confirmation and back to the button on cancel.
import { useEffect, useRef, useState } from "react";

interface Props {
  label: string; // "Delete"
  subject: string; // "shift Early"
  confirmText?: string; // "Yes, delete"
  question?: string; // "Delete shift Early?"
  /** "danger" (default) for deletions; "normal" for reversible-but-disruptive actions such as rotating a secret. */
  tone?: "danger" | "normal";
  onConfirm(): Promise<void> | void;
}

export function ConfirmButton({ label, subject, confirmText = `Yes, ${label.toLowerCase()}`, question, tone = "danger", onConfirm }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const yes = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) yes.current?.focus();
    else if (wasAsking.current) button.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (asking) {
    return (
      <span className="pg-actions" role="group" aria-label={`Confirm: ${label.toLowerCase()} ${subject}`}>
        <span>{question ?? `${label} ${subject}?`}</span>
        <button
          ref={yes}
          type="button"
          className="btn btn-small btn-danger"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await onConfirm();
            } finally {
              setBusy(false);
              setAsking(false);
            }
          }}
        >
          {confirmText}
        </button>
        <button type="button" className="btn btn-small" onClick={() => setAsking(false)}>
          Cancel
        </button>
      </span>
    );
  }
  return (
    <button ref={button} type="button" className={tone === "danger" ? "btn btn-small btn-danger" : "btn btn-small"} onClick={() => setAsking(true)} aria-label={`${label} ${subject}`}>
      {label}
    </button>
  );
}
