/**
 * The job format, version 1 (DESIGN.md): one zod schema from which the TypeScript types, the
 * API's validation and OpenAPI document, and the editor's forms are all derived.
 */
import { z } from 'zod';
import { inputDeclarationSchema } from './inputs';
import { paramsSchemas, type TaskType } from './params';
import { scheduleSchema } from './schedule';

export const FORMAT_VERSION = 1;

export const taskIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, _ or -')
  .meta({ title: 'Id', description: 'Unique in the job; also the Temporal activity id.' });

export const taskQueueSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'must be 1–100 letters, digits, _ . or -')
  .meta({ title: 'Task queue', description: 'Which worker group runs it.' });

export const edgeKinds = ['success', 'failure', 'always'] as const;
export type EdgeKind = (typeof edgeKinds)[number];

export const joinKinds = ['all', 'any'] as const;
export type JoinKind = (typeof joinKinds)[number];

export const retryBackoffSchema = z
  .strictObject({
    initialSeconds: z.number().positive().max(86_400).default(1).meta({ title: 'First wait (s)' }),
    coefficient: z.number().min(1).max(100).default(2).meta({ title: 'Multiplier' }),
    maxSeconds: z.number().positive().max(86_400).optional().meta({ title: 'Longest wait (s)' }),
  })
  .meta({ title: 'Retry backoff' });

/** Fields every task has, whatever its type. */
const taskFields = {
  id: taskIdSchema,
  name: z.string().max(200).optional().meta({ title: 'Name' }),
  retries: z
    .number()
    .int()
    .min(0)
    .max(100)
    .optional()
    .meta({ title: 'Retries', description: 'Extra attempts after a failure.' }),
  retryBackoff: retryBackoffSchema.optional(),
  timeoutSeconds: z
    .number()
    .positive()
    .max(7 * 86_400)
    .optional()
    .meta({ title: 'Timeout (s)', description: 'How long one attempt may run.' }),
  ignoreFailure: z.boolean().optional().meta({
    title: 'Ignore failure',
    description: 'A failure of this task does not fail the run.',
  }),
  join: z.enum(joinKinds).optional().meta({
    title: 'Join',
    description: 'all: wait for every incoming edge; any: start on the first one satisfied.',
  }),
  taskQueue: taskQueueSchema.optional(),
  position: z
    .strictObject({ x: z.number(), y: z.number() })
    .optional()
    .meta({ title: 'Position', description: 'Where the editor draws it.' }),
};

function taskOfType<T extends TaskType>(type: T) {
  return z.strictObject({ ...taskFields, type: z.literal(type), params: paramsSchemas[type] });
}

export const taskSchema = z.discriminatedUnion('type', [
  taskOfType('http'),
  taskOfType('command'),
  taskOfType('delay'),
  taskOfType('notify'),
  taskOfType('subjob'),
  taskOfType('foreach'),
]);

export const edgeSchema = z.strictObject({
  from: taskIdSchema.meta({ title: 'From' }),
  to: taskIdSchema.meta({ title: 'To' }),
  on: z.enum(edgeKinds).meta({
    title: 'When',
    description: 'success: the source succeeded; failure: it failed; always: either.',
  }),
});

export const notifySettingsSchema = z
  .strictObject({
    on: z.enum(['always', 'failure', 'never']).default('failure').meta({ title: 'Notify when' }),
    email: z.array(z.email()).optional().meta({ title: 'E-mail recipients' }),
    webhook: z
      .url({ protocol: /^https?$/ })
      .optional()
      .meta({ title: 'Webhook URL' }),
  })
  .meta({ title: 'Run notifications' });

export const settingsSchema = z.strictObject({
  maxParallel: z.number().int().min(1).max(1000).default(10).meta({ title: 'Max parallel tasks' }),
  taskQueue: taskQueueSchema.optional(),
  notify: notifySettingsSchema.optional(),
});

export const jobSchema = z
  .strictObject({
    formatVersion: z.literal(FORMAT_VERSION),
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .refine(
        (name) => ![...name].some((char) => char < ' '),
        'must not contain control characters',
      )
      .meta({ title: 'Name', description: 'Unique among jobs.' }),
    description: z.string().max(2000).optional().meta({ title: 'Description' }),
    inputs: z.array(inputDeclarationSchema).optional().meta({
      title: 'Inputs',
      description: 'The inputs a run is given; templates read them as {{ input.<name> }}.',
    }),
    tasks: z.array(taskSchema),
    edges: z.array(edgeSchema).default([]),
    schedule: scheduleSchema.optional(),
    settings: settingsSchema.optional(),
  })
  .meta({ title: 'Job', description: 'A batch job: a graph of tasks (format version 1).' });

export type Job = z.output<typeof jobSchema>;
export type JobInput = z.input<typeof jobSchema>;
export type Task = z.output<typeof taskSchema>;
export type Edge = z.output<typeof edgeSchema>;
export type Settings = z.output<typeof settingsSchema>;
export type NotifySettings = z.output<typeof notifySettingsSchema>;
