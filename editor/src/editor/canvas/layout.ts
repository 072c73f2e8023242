/** Auto-layout with ELK's layered algorithm, loaded only when the user asks for it. */
import { edgesOf, type JobDoc, type Position } from '../model/document';
import { NODE_HEIGHT, NODE_WIDTH } from './geometry';

export async function layoutJob(doc: JobDoc): Promise<Map<string, Position>> {
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const elk = new ELK();
  const ids = new Set(doc.tasks.map((task) => task.id));
  const graph = await elk.layout({
    id: 'job',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.spacing.nodeNode': '36',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children: [...ids].map((id) => ({ id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: edgesOf(doc)
      .filter((edge) => ids.has(edge.from) && ids.has(edge.to) && edge.from !== edge.to)
      .map((edge, index) => ({ id: `e${index}`, sources: [edge.from], targets: [edge.to] })),
  });
  return new Map(
    (graph.children ?? []).map((child) => [child.id, { x: child.x ?? 0, y: child.y ?? 0 }]),
  );
}
