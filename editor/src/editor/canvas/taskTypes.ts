import { paramsSchemas, type TaskType } from '@batchgraph/engine';

/** How each task type looks in the palette and on nodes; titles come from the engine's schemas. */
export const typeGlyph: Record<TaskType, string> = {
  http: '⇄',
  command: '›_',
  delay: '◔',
  notify: '✉',
  subjob: '❐',
  foreach: '↻',
};

export function typeTitle(type: string): string {
  const schema = paramsSchemas[type as TaskType] as { meta?: () => { title?: string } } | undefined;
  return schema?.meta?.()?.title ?? type;
}

export function typeDescription(type: string): string {
  const schema = paramsSchemas[type as TaskType] as
    { meta?: () => { description?: string } } | undefined;
  return schema?.meta?.()?.description ?? '';
}
