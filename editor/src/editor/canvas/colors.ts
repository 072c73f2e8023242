import type { FlowNode } from './flow';

const runStateColors: Record<string, string> = {
  running: '#1c5fd1',
  succeeded: '#237a37',
  failed: '#c02626',
  skipped: '#b3a46b',
  cancelled: '#7c3aa8',
};

/** A task's colour where it is drawn as a plain shape (minimap, overview): run state, then problems. */
export function taskColor(node: FlowNode): string {
  if (node.type === 'missing') return '#c92a2a';
  const { run, severity, change } = node.data;
  if (run) return runStateColors[run.state] ?? '#9aa3af';
  if (severity === 'error') return '#c92a2a';
  if (change === 'added') return '#2b8a3e';
  if (change === 'removed') return '#c4c9d1';
  if (change === 'changed') return '#d9822b';
  return '#8ea0d8';
}
