// A webhook's signing secret, shown once (after create or rotate): copy it, then dismiss; MIP never shows it again.
import { useEffect, useRef, useState } from "react";

export function WebhookSecret({ name, secret, rotated, onDone }: { name: string; secret: string; rotated: boolean; onDone(): void }) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      setCopied("no");
    }
  };
  return (
    <div className="pg-secret" role="region" aria-labelledby="wh-secret-title" data-testid="webhook-secret">
      <h3 id="wh-secret-title" ref={heading} tabIndex={-1}>
        {rotated ? `New secret of “${name}”` : `Webhook “${name}” created`}
      </h3>
      <p className="pg-warning">
        <strong>Copy the signing secret now. It is shown only once.</strong> Your receiver verifies the X-MIP-Signature
        header (HMAC-SHA256 of “timestamp.body”) with it.
        {rotated && " The old secret no longer works."}
      </p>
      <div className="pg-secret-row">
        <input readOnly value={secret} aria-label="Webhook signing secret" className="pg-mono" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="btn btn-primary" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p role="status" className="small">
        {copied === "yes" ? "Copied to the clipboard." : copied === "no" ? "Copy failed: select the secret and copy it by hand." : ""}
      </p>
      <button type="button" className="btn" onClick={onDone}>
        I have stored the secret
      </button>
    </div>
  );
}
