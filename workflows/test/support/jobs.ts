/** Small builders for test jobs in the version-1 job format. */
export interface TestTask {
  id: string;
  type: string;
  params: unknown;
  [field: string]: unknown;
}

export function httpTask(id: string, url: string, extra: Record<string, unknown> = {}): TestTask {
  return { id, type: 'http', params: { method: 'POST', url }, ...extra };
}

export function job(
  name: string,
  tasks: TestTask[],
  edges: [from: string, to: string, on?: 'success' | 'failure' | 'always'][] = [],
  settings: Record<string, unknown> = {},
): unknown {
  return {
    formatVersion: 1,
    name,
    tasks,
    edges: edges.map(([from, to, on = 'success']) => ({ from, to, on })),
    settings,
  };
}

/** The job with these run inputs declared (templates may read only declared inputs). */
export function declaring(document: unknown, inputs: Record<string, string>): unknown {
  const declared = Object.entries(inputs).map(([name, type]) => ({ name, type }));
  return { ...(document as object), inputs: declared };
}
