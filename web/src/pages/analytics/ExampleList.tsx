// Example queries to start from; "Use" puts one in the editor (the replaced text can be restored).
import type { Example } from "./examples";

interface Props {
  examples: Example[];
  onUse(e: Example): void;
}

export function ExampleList({ examples, onUse }: Props) {
  return (
    <ul className="an-examples">
      {examples.map((e) => (
        <li key={e.id}>
          <p className="an-example-title">
            <strong>{e.title}</strong>
          </p>
          <p className="muted small">{e.description}</p>
          <button type="button" className="btn btn-small" onClick={() => onUse(e)} aria-label={`Use example: ${e.title}`}>
            Use
          </button>
        </li>
      ))}
    </ul>
  );
}
