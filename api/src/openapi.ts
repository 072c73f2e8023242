/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests (the
 * job schema is the engine's), and the interactive docs page served from local assets.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { jobSchema } from '@batchgraph/engine';
import express, { Router } from 'express';
import { z } from 'zod';
import { auditQuerySchema } from './audit';
import { createConnectionSchema } from './connections';
import { workersQuerySchema } from './workers';
import {
  duplicateJobSchema,
  jobListQuerySchema,
  transferJobSchema,
  updateJobSchema,
} from './jobs/routes';
import { createKeySchema } from './keys';
import type { Role } from './roles';
import { runListQuerySchema } from './runs/reader';
import { retryPlanQuerySchema, retryRunSchema } from './runs/retry';
import { startRunSchema } from './runs/routes';
import {
  backfillSchema,
  bulkPauseSchema,
  bulkResumeSchema,
  pauseSchema,
  resumeSchema,
  triggerSchema,
} from './schedules/routes';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const bodies = {
  Job: jobSchema,
  UpdateJob: updateJobSchema,
  DuplicateJob: duplicateJobSchema,
  TransferJob: transferJobSchema,
  StartRun: startRunSchema,
  RetryRun: retryRunSchema,
  PauseSchedule: pauseSchema,
  ResumeSchedule: resumeSchema,
  TriggerSchedule: triggerSchema,
  BackfillSchedule: backfillSchema,
  BulkPause: bulkPauseSchema,
  BulkResume: bulkResumeSchema,
  CreateKey: createKeySchema,
  CreateConnection: createConnectionSchema,
} as const;

const queries = {
  jobs: jobListQuerySchema,
  runs: runListQuerySchema,
  retryPlan: retryPlanQuerySchema,
  audit: auditQuerySchema,
  workers: workersQuerySchema,
} as const;

interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  role?: Role;
  body?: keyof typeof bodies;
  query?: keyof typeof queries;
  status?: number;
}

const operations: Operation[] = [
  { method: 'get', path: '/api/health', summary: 'Health of the API, Temporal and MongoDB' },
  { method: 'get', path: '/api/me', summary: 'The caller’s identity and role', role: 'viewer' },
  { method: 'get', path: '/api/jobs', summary: 'List jobs', role: 'viewer', query: 'jobs' },
  {
    method: 'post',
    path: '/api/jobs',
    summary: 'Create a job',
    role: 'analyst',
    body: 'Job',
    status: 201,
  },
  {
    method: 'get',
    path: '/api/jobs/{id}',
    summary: 'A job and its current document',
    role: 'viewer',
  },
  {
    method: 'put',
    path: '/api/jobs/{id}',
    summary: 'Save a new version (owner or admin; optimistic concurrency; ?force=true overwrites)',
    role: 'analyst',
    body: 'UpdateJob',
  },
  {
    method: 'delete',
    path: '/api/jobs/{id}',
    summary: 'Delete a job and its schedule (owner or admin)',
    role: 'analyst',
    status: 204,
  },
  {
    method: 'put',
    path: '/api/jobs/{id}/owner',
    summary: 'Hand the job over to another key (owner or admin; audited)',
    role: 'analyst',
    body: 'TransferJob',
  },
  {
    method: 'get',
    path: '/api/jobs/{id}/versions',
    summary: 'Versions, newest first',
    role: 'viewer',
  },
  {
    method: 'get',
    path: '/api/jobs/{id}/versions/{v}',
    summary: 'One version’s document',
    role: 'viewer',
  },
  {
    method: 'post',
    path: '/api/jobs/{id}/duplicate',
    summary: 'Copy a job',
    role: 'analyst',
    body: 'DuplicateJob',
    status: 201,
  },
  {
    method: 'get',
    path: '/api/jobs/{id}/export',
    summary: 'Download the job document',
    role: 'viewer',
  },
  {
    method: 'post',
    path: '/api/jobs/import',
    summary: 'Import a job document',
    role: 'analyst',
    body: 'Job',
    status: 201,
  },
  {
    method: 'post',
    path: '/api/validate',
    summary: 'Validate a job document',
    role: 'viewer',
    body: 'Job',
  },
  {
    method: 'get',
    path: '/api/jobs/{id}/schedule',
    summary: 'The job’s Temporal Schedule as Temporal describes it',
    role: 'viewer',
  },
  {
    method: 'post',
    path: '/api/jobs/{id}/schedule/pause',
    summary: 'Pause the schedule',
    role: 'admin',
    body: 'PauseSchedule',
  },
  {
    method: 'post',
    path: '/api/jobs/{id}/schedule/resume',
    summary: 'Resume the schedule',
    role: 'admin',
    body: 'ResumeSchedule',
  },
  {
    method: 'post',
    path: '/api/jobs/{id}/schedule/trigger',
    summary: 'Run the schedule’s action now, as the owner (owner, operator or admin)',
    role: 'analyst',
    body: 'TriggerSchedule',
    status: 202,
  },
  {
    method: 'post',
    path: '/api/jobs/{id}/schedule/backfill',
    summary: 'Take the actions of a past period',
    role: 'operator',
    body: 'BackfillSchedule',
    status: 202,
  },
  {
    method: 'post',
    path: '/api/schedules/pause',
    summary: 'Pause many schedules',
    role: 'admin',
    body: 'BulkPause',
  },
  {
    method: 'post',
    path: '/api/schedules/resume',
    summary: 'Resume many schedules',
    role: 'admin',
    body: 'BulkResume',
  },
  {
    method: 'post',
    path: '/api/jobs/{id}/runs',
    summary: 'Start a run',
    role: 'analyst',
    body: 'StartRun',
    status: 202,
  },
  {
    method: 'get',
    path: '/api/runs',
    summary: 'List runs (Temporal visibility)',
    role: 'viewer',
    query: 'runs',
  },
  {
    method: 'get',
    path: '/api/runs/{runId}',
    summary: 'A run’s live or final view',
    role: 'viewer',
  },
  {
    method: 'get',
    path: '/api/runs/{runId}/events',
    summary: 'Server-Sent Events of a run (accepts ?access_token=)',
    role: 'viewer',
  },
  {
    method: 'post',
    path: '/api/runs/{runId}/cancel',
    summary: 'Cancel a run',
    role: 'operator',
    status: 202,
  },
  {
    method: 'get',
    path: '/api/runs/{runId}/retry-plan',
    summary: 'Preview the retry of a failed run: re-run and reused tasks, version',
    role: 'viewer',
    query: 'retryPlan',
  },
  {
    method: 'post',
    path: '/api/runs/{runId}/retry',
    summary: 'Retry a failed run from its failure (asking twice returns the same retry)',
    role: 'operator',
    body: 'RetryRun',
    status: 202,
  },
  {
    method: 'get',
    path: '/api/runs/{runId}/tasks/{taskId}/output',
    summary: 'A task’s full output, from the output store (the view holds a summary)',
    role: 'viewer',
  },
  {
    method: 'get',
    path: '/api/runs/{runId}/tasks/{taskId}/log',
    summary: 'A task’s log lines',
    role: 'viewer',
  },
  { method: 'get', path: '/api/audit', summary: 'The audit log', role: 'admin', query: 'audit' },
  { method: 'get', path: '/api/keys', summary: 'API keys', role: 'admin' },
  {
    method: 'post',
    path: '/api/keys',
    summary: 'Create an API key (shown once)',
    role: 'admin',
    body: 'CreateKey',
    status: 201,
  },
  {
    method: 'delete',
    path: '/api/keys/{id}',
    summary: 'Revoke an API key',
    role: 'admin',
    status: 204,
  },
  {
    method: 'get',
    path: '/api/connections',
    summary: 'Connections an analyst can use (shared and own; admins: all), never their secrets',
    role: 'analyst',
  },
  {
    method: 'post',
    path: '/api/connections',
    summary: 'Store a connection',
    role: 'admin',
    body: 'CreateConnection',
    status: 201,
  },
  {
    method: 'delete',
    path: '/api/connections/{name}',
    summary: 'Delete a connection',
    role: 'admin',
    status: 204,
  },
  {
    method: 'get',
    path: '/api/runs/{runId}/tasks/{taskId}/temporal-link',
    summary: "The Temporal UI page of a task's latest attempt (the event that scheduled it)",
    role: 'viewer',
  },
  {
    method: 'get',
    path: '/api/workers',
    summary:
      "Task queues with their pollers (Temporal's DescribeTaskQueue): live workers, last seen, build id, command tasks enabled",
    role: 'viewer',
    query: 'workers',
  },
];

const errorResponse = (description: string): JsonSchema => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});

function queryParameters(schema: z.ZodType): JsonSchema[] {
  const properties = (jsonSchema(schema)['properties'] ?? {}) as Record<string, JsonSchema>;
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    schema: property,
  }));
}

function operationObject(op: Operation): JsonSchema {
  const parameters: JsonSchema[] = [...op.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: match[1] === 'v' ? 'integer' : 'string' },
  }));
  if (op.query !== undefined) parameters.push(...queryParameters(queries[op.query]));
  const status = String(op.status ?? 200);
  const responses: Record<string, JsonSchema> = {
    [status]:
      status === '204'
        ? { description: 'Done' }
        : { description: 'OK', content: { 'application/json': { schema: {} } } },
    '400': errorResponse('Invalid request; details lists every problem with its JSON path'),
    '429': errorResponse('Too many requests'),
    '503': errorResponse('Temporal or MongoDB unavailable'),
  };
  if (op.role !== undefined) {
    responses['401'] = errorResponse('Missing or unknown API key');
    responses['403'] = errorResponse(`Needs the ${op.role} role`);
  }
  const operation: JsonSchema = {
    summary: op.summary,
    description: op.role === undefined ? 'Public.' : `Role: ${op.role} or higher.`,
    security: op.role === undefined ? [] : [{ apiKey: [] }],
    parameters,
    responses,
  };
  if (op.body !== undefined) {
    operation['requestBody'] = {
      required: true,
      content: { 'application/json': { schema: ref(op.body) } },
    };
  }
  return operation;
}

export function openApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method] = operationObject(op);
  const schemas: Record<string, JsonSchema> = Object.fromEntries(
    Object.entries(bodies).map(([name, schema]) => [name, jsonSchema(schema)]),
  );
  schemas['Problem'] = {
    type: 'object',
    required: ['path', 'code', 'message'],
    properties: {
      path: { type: 'string', examples: ['$.tasks[1].params.url'] },
      code: { type: 'string' },
      message: { type: 'string' },
    },
  };
  schemas['Error'] = {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Batchgraph API',
      version: '1.0.0',
      description: 'Batch jobs drawn as task graphs, run on Temporal.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas,
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'bg_… API key' } },
    },
  };
}

const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Batchgraph API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;

const docsInit = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#ui', persistAuthorization: true });`;

export function docsRoutes(): Router {
  const document = openApiDocument();
  const assets = path.dirname(
    createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'),
  );
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(docsPage);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(docsInit);
  });
  router.use('/docs/assets', express.static(assets, { index: false, fallthrough: true }));
  return router;
}
