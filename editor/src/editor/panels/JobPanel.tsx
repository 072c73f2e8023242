import { memo, useCallback } from 'react';
import { jsonPath } from '@batchgraph/engine';
import { setIn, type JobDoc } from '../model/document';
import type { ProblemIndex } from '../model/problems';
import { jobFieldsJsonSchema, settingsJsonSchema } from './jsonSchema';
import { SchemaForm, type Segment } from './SchemaForm';

interface JobPanelProps {
  doc: JobDoc;
  problems: ProblemIndex;
  readOnly: boolean;
  onEdit: (update: (doc: JobDoc) => JobDoc, coalesce?: string) => void;
}

/** The job's name and description and its settings (parallelism, notifications). */
export const JobPanel = memo(function JobPanel({ doc, problems, readOnly, onEdit }: JobPanelProps) {
  const onChange = useCallback(
    (path: Segment[], value: unknown) =>
      onEdit((current) => setIn(current, path, value) as JobDoc, `field:${jsonPath(path)}`),
    [onEdit],
  );
  return (
    <fieldset className="inspector__fields" disabled={readOnly}>
      <legend className="visually-hidden">Job</legend>
      <SchemaForm
        schema={jobFieldsJsonSchema()}
        value={doc}
        path={[]}
        problems={problemsOnly(problems, ['$.name', '$.description', '$.inputs'])}
        onChange={onChange}
      />
      <h3 className="inspector__heading">Settings</h3>
      <SchemaForm
        schema={settingsJsonSchema()}
        value={doc.settings}
        path={['settings']}
        problems={problems}
        onChange={onChange}
      />
    </fieldset>
  );
});

/** The top-level form sees only its own fields' problems, not every task's. */
function problemsOnly(problems: ProblemIndex, paths: string[]): ProblemIndex {
  const keep = problems.all.filter((problem) =>
    paths.some(
      (path) =>
        problem.path === path ||
        problem.path.startsWith(`${path}.`) ||
        problem.path.startsWith(`${path}[`),
    ),
  );
  return {
    ...problems,
    all: keep,
    under: (prefix) => problems.under(prefix).filter((problem) => keep.includes(problem)),
  };
}
