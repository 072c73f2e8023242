/**
 * The params schema of every task type. The editor's inspector forms, the API's OpenAPI document
 * and validation all read these, so each field carries its help text in `.meta()`.
 * String fields may contain `{{ … }}` templates (see template.ts), resolved when the task starts.
 */
import { z } from 'zod';
import { hasTemplate } from './template';

const statusCode = z.number().int().min(100).max(599);

/** The longest string a param may hold (templates included): bounds validation and rendering. */
export const MAX_STRING_PARAM = 16 * 1024;
// A check rather than `.max()`: the editor's forms read `maxLength` as "long text" and would turn
// every field into a text area.
const str = (): z.ZodString =>
  z.string().refine((value) => value.length <= MAX_STRING_PARAM, {
    message: `must be at most ${MAX_STRING_PARAM} characters`,
  });
const nameRef = str().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, . _ - (1–64)');

/** A URL that is either absolute http(s) or built by a template at run time. */
const urlOrTemplate = str()
  .min(1)
  .refine((value) => hasTemplate(value) || /^https?:\/\/[^\s]+$/.test(value), {
    message: 'must be an absolute http:// or https:// URL (or a {{ template }})',
  });

export const httpParamsSchema = z
  .strictObject({
    method: z
      .enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'])
      .default('GET')
      .meta({ title: 'Method' }),
    url: urlOrTemplate.meta({ title: 'URL', description: 'The address to call.' }),
    query: z
      .record(str(), str())
      .optional()
      .meta({ title: 'Query parameters', description: 'Added to the URL, encoded.' }),
    headers: z
      .record(str(), str())
      .optional()
      .meta({ title: 'Headers', description: 'Never put secrets here: use a connection.' }),
    body: z
      .unknown()
      .optional()
      .meta({ title: 'Body', description: 'Sent as JSON, or as text when it is a string.' }),
    connection: nameRef.optional().meta({
      title: 'Connection',
      description: 'Name of a stored connection whose credentials are sent with the request.',
    }),
    expectStatus: z.array(statusCode).min(1).optional().meta({
      title: 'Expected status codes',
      description: 'Status codes that count as success. Default: any 2xx.',
    }),
    finalStatus: z.array(statusCode).optional().meta({
      title: 'Final status codes',
      description:
        'Failing status codes that are not retried. Default: every 4xx except 408 and 429.',
    }),
    timeoutSeconds: z.number().positive().max(3600).optional().meta({
      title: 'Request timeout (s)',
      description: 'How long one request may take. Default: the task timeout.',
    }),
  })
  .meta({ title: 'HTTP request', description: 'Calls an HTTP endpoint and keeps its response.' });

/**
 * Variables that change which program runs or what it loads before it starts — the search path,
 * dynamic loaders, interpreters' preload and startup hooks — so an allow-listed command name
 * could run someone else's code. A command task may not set them.
 */
const LOADER_VARIABLES = [
  /^PATH$/,
  /^LD_/,
  /^DYLD_/,
  /^NODE_(OPTIONS|PATH|EXTRA_CA_CERTS)$/,
  /^(BASH_ENV|ENV|SHELLOPTS|BASHOPTS|IFS|PS4|PROMPT_COMMAND|CDPATH|GLOBIGNORE)$/,
  /^BASH_FUNC_/,
  /^PYTHON(PATH|HOME|STARTUP|INSPECT|USERBASE|EXECUTABLE)$/,
  /^(PERL5LIB|PERL5OPT|PERLLIB|PERL5DB|RUBYLIB|RUBYOPT|GEM_PATH|GEM_HOME)$/,
  /^(JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS|CLASSPATH)$/,
  /^(GCONV_PATH|HOSTALIASES|LOCALDOMAIN|RES_OPTIONS|MALLOC_.*|GLIBC_TUNABLES|TMPDIR)$/,
  /^(GIT_EXEC_PATH|GIT_SSH|GIT_SSH_COMMAND|GIT_CONFIG.*|EDITOR|VISUAL|PAGER)$/,
];

const envName = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

const commandEnv = z.record(str(), str()).superRefine((env, context) => {
  for (const name of Object.keys(env)) {
    if (!envName.test(name)) {
      context.addIssue({
        code: 'custom',
        path: [name],
        message: 'is not a valid variable name (letters, digits and _, not starting with a digit)',
      });
    } else if (LOADER_VARIABLES.some((pattern) => pattern.test(name.toUpperCase()))) {
      context.addIssue({
        code: 'custom',
        path: [name],
        message: `may not be set: ${name} changes which program runs or what it loads (the worker sets PATH itself)`,
      });
    }
  }
});

export const commandParamsSchema = z
  .strictObject({
    command: str().min(1).meta({
      title: 'Executable',
      description: 'Must be listed in BATCHGRAPH_COMMANDS_ALLOWED on the worker.',
    }),
    args: z.array(str()).default([]).meta({ title: 'Arguments', description: 'No shell.' }),
    cwd: str().optional().meta({ title: 'Working directory' }),
    env: commandEnv.optional().meta({
      title: 'Environment variables',
      description: 'Not PATH, LD_*, DYLD_*, NODE_OPTIONS or other loader and shell variables.',
    }),
  })
  .meta({ title: 'Command', description: 'Runs an allow-listed program; non-zero exit fails.' });

export const delayParamsSchema = z
  .strictObject({
    seconds: z
      .number()
      .min(0)
      .max(366 * 24 * 3600)
      .meta({ title: 'Seconds', description: 'How long to wait (a durable timer).' }),
  })
  .meta({ title: 'Delay', description: 'Waits before the next tasks start.' });

export const notifyParamsSchema = z
  .strictObject({
    email: z.array(z.email()).optional().meta({ title: 'E-mail recipients' }),
    webhook: urlOrTemplate.optional().meta({
      title: 'Webhook URL',
      description: 'Receives a JSON POST with the message and the run state.',
    }),
    subject: str().max(200).optional().meta({ title: 'Subject' }),
    message: str().max(20_000).optional().meta({
      title: 'Message',
      description: 'Text of the notification; may use {{ run.* }}, {{ tasks.<id>.* }}.',
    }),
  })
  .refine((params) => (params.email?.length ?? 0) > 0 || params.webhook !== undefined, {
    message: 'needs at least one e-mail recipient or a webhook',
  })
  .meta({ title: 'Notify', description: 'Sends an e-mail and/or a webhook.' });

export const subjobParamsSchema = z
  .strictObject({
    jobId: str().min(1).meta({ title: 'Job', description: 'The saved job to run.' }),
    version: z.number().int().positive().optional().meta({
      title: 'Version',
      description: 'Pinned version. Default: the version current when this job is saved.',
    }),
    input: z.unknown().optional().meta({ title: 'Input', description: 'The sub-run’s input.' }),
  })
  .meta({ title: 'Sub-job', description: 'Runs another job and succeeds or fails with it.' });

/** Task types a foreach item may run: activities that take one item at a time. */
export const itemTaskTypes = ['http', 'command', 'notify'] as const;

const itemTaskSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('http'), params: httpParamsSchema }),
  z.strictObject({ type: z.literal('command'), params: commandParamsSchema }),
  z.strictObject({ type: z.literal('notify'), params: notifyParamsSchema }),
]);

export const foreachParamsSchema = z
  .strictObject({
    items: z
      .union([
        z.array(z.unknown()),
        str().refine(hasTemplate, 'must be a {{ template }} that yields a list'),
        z.strictObject({ http: httpParamsSchema, path: str().optional() }),
      ])
      .meta({
        title: 'Items',
        description:
          'A list, a template such as {{ tasks.find.output.body.ids }}, or an HTTP source ' +
          '({ http, path }) whose JSON response (at path) is the list.',
      }),
    task: itemTaskSchema.meta({
      title: 'Per-item task',
      description: 'Runs once per item; {{ item }} is the current item.',
    }),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(10)
      .meta({ title: 'Concurrency', description: 'Items processed at once.' }),
    itemRetries: z.number().int().min(0).max(10).default(0).meta({ title: 'Retries per item' }),
    maxFailedPercent: z.number().min(0).max(100).default(0).meta({
      title: 'Failure threshold (%)',
      description: 'The task fails when more than this share of items failed.',
    }),
    slowest: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(10)
      .meta({ title: 'Slowest items kept', description: 'For the run statistics.' }),
  })
  .meta({ title: 'For each', description: 'Runs a task for every item of a list, in batches.' });

export const paramsSchemas = {
  http: httpParamsSchema,
  command: commandParamsSchema,
  delay: delayParamsSchema,
  notify: notifyParamsSchema,
  subjob: subjobParamsSchema,
  foreach: foreachParamsSchema,
} as const;

export type TaskType = keyof typeof paramsSchemas;
export const taskTypes = Object.keys(paramsSchemas) as TaskType[];

export type HttpParams = z.output<typeof httpParamsSchema>;
export type CommandParams = z.output<typeof commandParamsSchema>;
export type DelayParams = z.output<typeof delayParamsSchema>;
export type NotifyParams = z.output<typeof notifyParamsSchema>;
export type SubjobParams = z.output<typeof subjobParamsSchema>;
export type ForeachParams = z.output<typeof foreachParamsSchema>;
export type ItemTask = z.output<typeof itemTaskSchema>;
export type ParamsOf<T extends TaskType> = z.output<(typeof paramsSchemas)[T]>;
