// Expandable asset tree: a toggle button (aria-expanded) and a select button per node, all keyboard reachable.
import { KIND_LABEL, type AssetNode } from "./tree";

export interface AssetTreeProps {
  nodes: AssetNode[];
  expanded: Set<string>;
  selectedId: string | null;
  onToggle(id: string): void;
  onSelect(id: string): void;
}

export function AssetTree(p: AssetTreeProps) {
  return (
    <ul className="pg-tree" aria-label="Assets">
      {p.nodes.map((n) => (
        <TreeItem key={n.id} node={n} {...p} />
      ))}
    </ul>
  );
}

function TreeItem({ node, ...p }: AssetTreeProps & { node: AssetNode }) {
  const open = p.expanded.has(node.id);
  const hasChildren = node.children.length > 0;
  const selected = p.selectedId === node.id;
  return (
    <li>
      <div className={`pg-tree-row${selected ? " selected" : ""}`}>
        {hasChildren ? (
          <button
            type="button"
            className="pg-tree-toggle"
            aria-expanded={open}
            aria-label={`${open ? "Collapse" : "Expand"} ${node.name}`}
            onClick={() => p.onToggle(node.id)}
          >
            {open ? "▾" : "▸"}
          </button>
        ) : (
          <span className="pg-tree-toggle" aria-hidden="true" />
        )}
        <button
          type="button"
          className="pg-tree-node"
          aria-current={selected ? "true" : undefined}
          onClick={() => p.onSelect(node.id)}
        >
          <span className={`pg-kind pg-kind-${node.kind}`}>{KIND_LABEL[node.kind]}</span>{" "}
          <span className="pg-tree-name">{node.name}</span>{" "}
          {node.kind === "machine" && (
            <span className="muted small">
              {node.sensors.length} sensor{node.sensors.length === 1 ? "" : "s"}
            </span>
          )}
        </button>
      </div>
      {hasChildren && open && (
        <ul>
          {node.children.map((c) => (
            <TreeItem key={c.id} node={c} {...p} />
          ))}
        </ul>
      )}
    </li>
  );
}
