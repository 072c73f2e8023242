import { edgesOf, type JobDoc } from './document';

/** Whether `to` can already reach `from`, so an edge from → to would close a cycle. */
export function wouldCreateCycle(doc: JobDoc, from: string, to: string): boolean {
  if (from === to) return true;
  const children = new Map<string, string[]>();
  for (const edge of edgesOf(doc)) {
    const list = children.get(edge.from);
    if (list) list.push(edge.to);
    else children.set(edge.from, [edge.to]);
  }
  const seen = new Set<string>();
  const stack = [to];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === from) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return false;
}
