import { edgesOf, type JobDoc } from './document';

/**
 * The path by which `to` already reaches `from` (`[to, …, from]`), so that an edge from → to
 * would close a cycle; `[from]` for an edge from a task to itself; undefined when the edge is fine.
 */
export function cyclePath(doc: JobDoc, from: string, to: string): string[] | undefined {
  if (from === to) return [from];
  const children = new Map<string, string[]>();
  for (const edge of edgesOf(doc)) {
    const list = children.get(edge.from);
    if (list) list.push(edge.to);
    else children.set(edge.from, [edge.to]);
  }
  // Breadth first, so the path shown is a shortest one.
  const parent = new Map<string, string | undefined>([[to, undefined]]);
  const queue = [to];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    if (id === from) {
      const path: string[] = [];
      for (let step: string | undefined = id; step !== undefined; step = parent.get(step))
        path.unshift(step);
      return path;
    }
    for (const child of children.get(id) ?? []) {
      if (parent.has(child)) continue;
      parent.set(child, id);
      queue.push(child);
    }
  }
  return undefined;
}

export function wouldCreateCycle(doc: JobDoc, from: string, to: string): boolean {
  return cyclePath(doc, from, to) !== undefined;
}

/** Why an edge from → to cannot be drawn, in a sentence; undefined when it can. */
export function cycleRefusal(doc: JobDoc, from: string, to: string): string | undefined {
  const path = cyclePath(doc, from, to);
  if (!path) return undefined;
  if (path.length === 1) return `A task cannot lead to itself: ${from} → ${from} is refused.`;
  return (
    `${from} → ${to} would close a cycle: ${to} already leads to ${from} ` +
    `(${path.join(' → ')}). A job runs each task once, so its graph has no cycles.`
  );
}
