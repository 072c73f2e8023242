/**
 * Warnings the validator cannot give, because they depend on what runs now: a task whose queue no
 * worker polls, or a command task whose queue has no worker with command tasks enabled. Read from
 * `GET /api/workers` for the queues the document uses, refreshed every half minute.
 */
import { useEffect, useMemo, useState } from 'react';
import { DEFAULT_TASK_QUEUE, type Problem } from '@batchgraph/engine';
import { getWorkers } from '../api/endpoints';
import type { QueueHealth } from '../api/types';
import type { JobDoc } from './model/document';

const REFRESH_MS = 30_000;

function queueOf(doc: JobDoc, task: JobDoc['tasks'][number]): string {
  return task.taskQueue ?? doc.settings?.taskQueue ?? DEFAULT_TASK_QUEUE;
}

export function useWorkerWarnings(doc: JobDoc): Problem[] {
  const queues = useMemo(
    () => [...new Set(doc.tasks.map((task) => queueOf(doc, task)))].sort().join(','),
    [doc],
  );
  const [health, setHealth] = useState<Map<string, QueueHealth>>();
  useEffect(() => {
    if (queues === '') return;
    const controller = new AbortController();
    const load = () =>
      getWorkers(queues.split(','), controller.signal).then(
        (view) => setHealth(new Map(view.queues.map((queue) => [queue.name, queue]))),
        () => undefined,
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [queues]);
  return useMemo(() => {
    if (!health) return [];
    const warnings: Problem[] = [];
    doc.tasks.forEach((task, index) => {
      const queue = queueOf(doc, task);
      const found = health.get(queue);
      if (!found) return;
      if (found.activityWorkers === 0) {
        warnings.push({
          path: `$.tasks[${index}].taskQueue`,
          code: 'no_worker',
          message: `Task '${task.id}': no worker polls task queue "${queue}", so a run would wait at this task.`,
        });
      } else if (task.type === 'command' && !found.commandsEnabled) {
        warnings.push({
          path: `$.tasks[${index}].type`,
          code: 'no_worker',
          message: `Task '${task.id}': no worker of task queue "${queue}" runs command tasks (BATCHGRAPH_COMMANDS_ALLOWED is empty there).`,
        });
      }
    });
    return warnings;
  }, [doc, health]);
}
