/**
 * Declared run inputs and worker health in the editor, against the real stack: ▶ opens the form
 * generated from the declarations (defaults filled in, a bad value refused where it is typed), the
 * schedule's input is edited in the schedule panel and used by "Run schedule now", and a task
 * whose queue no worker polls is warned about before any run.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, screenshot, seriousA11yViolations } from './browser';

const baseUrl = inject('baseUrl');
const apiUrl = inject('apiUrl');
const adminKey = inject('adminKey');
const suffix = Date.now().toString(36);

let browser: Browser;
let page: Page;

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const greeting = {
  formatVersion: 1,
  name: `e2e-inputs-${suffix}`,
  inputs: [
    { name: 'name', type: 'string', default: 'world' },
    { name: 'times', type: 'integer', default: 1 },
  ],
  tasks: [
    {
      id: 'greet',
      type: 'command',
      params: { command: '/bin/echo', args: ['hello {{ input.name }} x{{ input.times }}'] },
    },
  ],
  edges: [],
  schedule: { cron: '0 3 * * *', timezone: 'UTC', enabled: false },
};

const stranded = {
  formatVersion: 1,
  name: `e2e-no-worker-${suffix}`,
  tasks: [{ id: 'wait', type: 'delay', params: { seconds: 1 }, taskQueue: `nobody-${suffix}` }],
  edges: [],
};

let greetId = '';
let strandedId = '';

beforeAll(async () => {
  greetId = (await api<{ id: string }>('POST', '/api/jobs', greeting)).id;
  strandedId = (await api<{ id: string }>('POST', '/api/jobs', stranded)).id;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(20_000);
  await page.goto(baseUrl);
  await page.getByLabel('API key').fill(adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Jobs' }).waitFor();
});
afterAll(async () => {
  await browser?.close();
});

interface RunView {
  status: string;
  trigger: string;
}

async function outputOf(runId: string): Promise<string> {
  await expect
    .poll(async () => (await api<RunView>('GET', `/api/runs/${runId}`)).status, {
      timeout: 60_000,
      interval: 500,
    })
    .toBe('succeeded');
  const output = await api<{ stdout: string }>('GET', `/api/runs/${runId}/tasks/greet/output`);
  return output.stdout;
}

describe('declared inputs and worker health', () => {
  it('opens the run form with the defaults, refuses a bad value, and runs with what was typed', async () => {
    await page.goto(`${baseUrl}/jobs?q=${encodeURIComponent(greeting.name)}`);
    await page.getByRole('button', { name: `Run ${greeting.name} now` }).click();
    const dialog = page.getByRole('dialog', { name: `Run ${greeting.name}` });
    await dialog.waitFor();
    const name = dialog.getByLabel(/^name/);
    const times = dialog.getByLabel(/^times/);
    expect(await name.inputValue()).toBe('world');
    expect(await times.inputValue()).toBe('1');

    await times.fill('1.5');
    await expect.poll(() => dialog.getByRole('button', { name: 'Run' }).isDisabled()).toBe(true);
    expect(await dialog.textContent()).toMatch(/times must be a whole number/);
    await screenshot(page, 'run-input-form-error');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await times.fill('3');
    await name.fill('e2e');
    await dialog.getByRole('button', { name: 'Run' }).click();
    await page.waitForURL(/\/runs\//);
    const runId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    expect(await outputOf(runId)).toBe('hello e2e x3\n');
  });

  it("edits the schedule's input in the schedule panel, and Run schedule now uses it", async () => {
    await page.goto(`${baseUrl}/jobs/${encodeURIComponent(greetId)}`);
    await page.getByRole('tab', { name: 'Schedule' }).click();
    const input = page.getByRole('region', { name: 'Schedule input' });
    await input.getByLabel(/^name/).fill('scheduled');
    await screenshot(page, 'schedule-input');
    await page.keyboard.press('Control+s');
    await page.getByText('Saved version 2').waitFor();
    await page.getByRole('tab', { name: 'Schedule' }).click();

    const saved = page.getByRole('region', { name: 'Saved schedule' });
    await saved.getByRole('button', { name: 'Run schedule now…' }).click();
    const dialog = page.getByRole('dialog', { name: `Run the schedule of ${greeting.name} now` });
    await dialog.getByRole('button', { name: 'Run now' }).click();
    await dialog.waitFor({ state: 'detached' });

    let runId = '';
    await expect
      .poll(
        async () => {
          const runs = await api<{ items: { runId: string; trigger: string }[] }>(
            'GET',
            `/api/runs?jobId=${encodeURIComponent(greetId)}`,
          );
          runId = runs.items.find((run) => run.trigger === 'schedule')?.runId ?? '';
          return runId;
        },
        { timeout: 30_000, interval: 1000 },
      )
      .not.toBe('');
    // The schedule's input, with the declared default for what it leaves out.
    expect(await outputOf(runId)).toBe('hello scheduled x1\n');
  });

  it('warns, before any run, about a task whose queue no worker polls', async () => {
    await page.goto(`${baseUrl}/jobs/${encodeURIComponent(strandedId)}`);
    await page.getByRole('region', { name: 'Job graph' }).waitFor();
    const warning = page.getByText(`no worker polls task queue "nobody-${suffix}"`);
    await warning.waitFor({ timeout: 30_000 });
    await screenshot(page, 'editor-no-worker-warning');
  });
});
