// Fan-out of live reading points to the charts of one page, by sensor id.
import type { LivePoint } from "../../live";

type Listener = (p: LivePoint) => void;

export class LiveBus {
  private subs = new Map<string, Set<Listener>>();

  on(sensorId: string, fn: Listener): () => void {
    let set = this.subs.get(sensorId);
    if (!set) this.subs.set(sensorId, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
    };
  }

  emit(points: LivePoint[]): void {
    for (const p of points) this.subs.get(p.sensor_id)?.forEach((fn) => fn(p));
  }
}
