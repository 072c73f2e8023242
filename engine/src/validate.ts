/**
 * validateJob: every problem of a job document at once — the schema's, the graph's (DESIGN.md
 * rule 8) and the templates' — plus warnings for tasks that can never run. Never throws.
 */
import { graphProblems, topologicalOrder } from './graph';
import { declarationProblems, resolveRunInput } from './inputs';
import { jsonPath, problemsFromIssue, type Problem } from './problems';
import { jobSchema, type Job, type Task } from './schema';
import { outputFields, runScopeFields, taskScopeFields } from './scope-fields';
import {
  collectTemplates,
  TemplateError,
  type PathSegment,
  type TemplateReference,
} from './template';

export type ValidationResult =
  | { ok: true; job: Job; warnings: Problem[] }
  | { ok: false; errors: Problem[]; warnings: Problem[] };

export function validateJob(input: unknown): ValidationResult {
  try {
    return validate(input);
  } catch (error) {
    // A bug of ours must not turn bad input into a crash; report it as a problem instead.
    return {
      ok: false,
      errors: [
        {
          path: '$',
          code: 'invalid_value',
          message: `The job could not be read: ${String(error)}`,
        },
      ],
      warnings: [],
    };
  }
}

function validate(input: unknown): ValidationResult {
  const parsed = jobSchema.safeParse(input);
  const graph = graphProblems(input);
  const schemaErrors = parsed.success
    ? []
    : parsed.error.issues.flatMap((issue) => problemsFromIssue(input, issue));
  const errors = dedupe([...schemaErrors, ...graph.errors]);
  if (!parsed.success || errors.length > 0) return { ok: false, errors, warnings: graph.warnings };
  const inputErrors = inputProblems(parsed.data);
  if (inputErrors.length > 0) return { ok: false, errors: inputErrors, warnings: graph.warnings };
  const templateErrors = templateProblems(parsed.data);
  if (templateErrors.length > 0)
    return { ok: false, errors: templateErrors, warnings: graph.warnings };
  return { ok: true, job: parsed.data, warnings: graph.warnings };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}\0${problem.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The input declarations, and the schedule's input checked against them. */
function inputProblems(job: Job): Problem[] {
  const problems = declarationProblems(job.inputs ?? []);
  if (problems.length > 0 || job.schedule?.input === undefined) return problems;
  const scheduled = resolveRunInput(job.inputs, job.schedule.input, ['schedule', 'input']);
  return scheduled.ok ? [] : scheduled.errors;
}

/**
 * Template references must be well formed, read only declared inputs and known fields, and
 * point at tasks upstream of the task using them.
 */
function templateProblems(job: Job): Problem[] {
  const taskIds = new Set(job.tasks.map((task) => task.id));
  const context: ReferenceContext = {
    inputs: new Set((job.inputs ?? []).map((input) => input.name)),
    typeOf: new Map(job.tasks.map((task) => [task.id, task.type])),
  };
  let upstream: UpstreamCheck | undefined;
  const problems: Problem[] = [];
  job.tasks.forEach((task, index) => {
    const base: PathSegment[] = ['tasks', index, 'params'];
    let references: TemplateReference[];
    try {
      references = collectTemplates(task.params);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      problems.push({
        path: jsonPath([...base, ...error.location]),
        code: 'invalid_template',
        message: `Task '${task.id}': ${error.message}.`,
      });
      return;
    }
    for (const reference of references) {
      const problem =
        referenceProblem(task, reference, taskIds, (target) =>
          (upstream ??= upstreamCheck(job))(target, index),
        ) ?? fieldProblem(reference, context);
      if (problem) {
        problems.push({
          path: jsonPath([...base, ...reference.location]),
          ...problem,
          message: `Task '${task.id}': ${problem.message}.`,
        });
      }
    }
  });
  return problems;
}

function referenceProblem(
  task: Task,
  reference: TemplateReference,
  taskIds: Set<string>,
  isUpstream: (target: string) => boolean,
): Omit<Problem, 'path'> | undefined {
  const text = `{{ ${reference.expression} }}`;
  if (reference.root === 'item') {
    const inItemTask = task.type === 'foreach' && reference.location[0] === 'task';
    return inItemTask
      ? undefined
      : {
          code: 'template_item_outside_foreach',
          message: `${text} uses "item", which exists only in the per-item task of a foreach`,
        };
  }
  if (reference.root !== 'tasks') return undefined;
  const [target] = reference.path;
  if (typeof target !== 'string') {
    return { code: 'invalid_template', message: `${text} must name a task: tasks.<id>.output` };
  }
  if (target === task.id) {
    return { code: 'template_not_upstream', message: `${text} refers to the task itself` };
  }
  if (!taskIds.has(target)) {
    return {
      code: 'template_unknown_task',
      message: `${text} refers to task '${target}', which does not exist`,
    };
  }
  if (!isUpstream(target)) {
    return {
      code: 'template_not_upstream',
      message: `${text} refers to task '${target}', which is not upstream of this task (connect it with an edge first)`,
    };
  }
  return undefined;
}

interface ReferenceContext {
  inputs: Set<string>;
  typeOf: Map<string, Task['type']>;
}

const quoted = (names: readonly string[]): string => names.map((name) => `"${name}"`).join(', ');

/** A reference to an undeclared input, or to a field `run` or a task does not have. */
function fieldProblem(
  reference: TemplateReference,
  context: ReferenceContext,
): Omit<Problem, 'path'> | undefined {
  const text = `{{ ${reference.expression} }}`;
  const [first, second, third] = reference.path;
  if (reference.root === 'input' && first !== undefined) {
    if (typeof first === 'string' && context.inputs.has(first)) return undefined;
    const declared = [...context.inputs];
    return {
      code: 'template_unknown_input',
      message: `${text} reads input "${String(first)}", which the job does not declare (${declared.length > 0 ? `declared: ${quoted(declared)}` : 'it declares no inputs'}; add it under inputs)`,
    };
  }
  if (reference.root === 'run' && first !== undefined) {
    if ((runScopeFields as readonly PathSegment[]).includes(first)) return undefined;
    return {
      code: 'template_unknown_field',
      message: `${text}: a run has no field "${String(first)}" (it has ${quoted(runScopeFields)})`,
    };
  }
  if (reference.root !== 'tasks' || second === undefined) return undefined;
  if (!(taskScopeFields as readonly PathSegment[]).includes(second)) {
    return {
      code: 'template_unknown_field',
      message: `${text}: a task has no field "${String(second)}" (it has ${quoted(taskScopeFields)})`,
    };
  }
  const type = context.typeOf.get(String(first));
  const fields = type === undefined ? undefined : outputFields[type];
  if (second !== 'output' || third === undefined || fields === undefined) return undefined;
  if (typeof third === 'string' && fields.includes(third)) return undefined;
  return {
    code: 'template_unknown_field',
    message: `${text}: the output of ${type} task '${String(first)}' has no field "${String(third)}" (it has ${quoted(fields)})`,
  };
}

/** Whether the task with this id is an ancestor of the task at this index. */
type UpstreamCheck = (ancestorId: string, task: number) => boolean;

/**
 * Walks a task's ancestors backwards, never into tasks placed before the wanted ancestor in
 * topological order (they cannot lie on a path from it), so a job with thousands of templates
 * is checked in near-linear time rather than one full ancestor set per task.
 */
function upstreamCheck(job: Job): UpstreamCheck {
  const size = job.tasks.length;
  const indexOf = new Map(job.tasks.map((task, index) => [task.id, index]));
  const edges = job.edges.map((edge) => ({
    from: indexOf.get(edge.from)!,
    to: indexOf.get(edge.to)!,
  }));
  const parents: number[][] = Array.from({ length: size }, () => []);
  for (const { from, to } of edges) parents[to]!.push(from);
  const rank = new Uint32Array(size);
  topologicalOrder(size, edges).forEach((task, position) => {
    rank[task] = position;
  });
  const visited = new Uint32Array(size);
  let walk = 0;
  return (ancestorId, task) => {
    const target = indexOf.get(ancestorId);
    if (target === undefined) return false;
    walk += 1;
    const stack = [task];
    while (stack.length > 0) {
      for (const parent of parents[stack.pop()!]!) {
        if (parent === target) return true;
        if (visited[parent] === walk || rank[parent]! < rank[target]!) continue;
        visited[parent] = walk;
        stack.push(parent);
      }
    }
    return false;
  };
}
