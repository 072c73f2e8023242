/**
 * The editor against the real stack: sign in, draw a job by mouse, save, run it and watch the run,
 * pause and resume its schedule with a note, run the schedule now and backfill it, find it all in
 * the audit log, and manage connections.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, screenshot, seriousA11yViolations } from './browser';

const baseUrl = inject('baseUrl');
const adminKey = inject('adminKey');
const jobName = `e2e-drawn-${Date.now().toString(36)}`;

let browser: Browser;
let page: Page;
let jobId = '';

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(20_000);
});
afterAll(async () => {
  await browser?.close();
});

async function expectAccessible(screen: string) {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${screen}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

async function center(locator: Locator) {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element has no box');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags from one handle to another with real mouse moves, as a user connects two tasks. */
async function connect(from: string, to: string) {
  const source = await center(
    page.locator(`.react-flow__node[data-id="${from}"] .react-flow__handle.source`),
  );
  const target = await center(
    page.locator(`.react-flow__node[data-id="${to}"] .react-flow__handle.target`),
  );
  await page.mouse.move(source.x, source.y);
  await page.mouse.down();
  await page.mouse.move(source.x + 40, source.y + 10, { steps: 5 });
  await page.mouse.move(target.x, target.y, { steps: 15 });
  await page.mouse.up();
}

async function dropTask(type: string, x: number, y: number) {
  const canvas = await page.locator('.react-flow__pane').boundingBox();
  if (!canvas) throw new Error('no canvas');
  await page.locator(`[data-task-type="${type}"]`).dragTo(page.locator('.react-flow__pane'), {
    targetPosition: { x, y },
  });
}

async function selectTask(id: string) {
  await page.locator(`.react-flow__node[data-id="${id}"]`).click();
  await page.getByRole('form', { name: `Task ${id}` }).waitFor();
}

/**
 * The job's runs started by its schedule, as its runs list shows them. Temporal's visibility lists
 * a new run within moments, so each call opens the list afresh.
 */
async function scheduledRunCount(): Promise<number> {
  await page.goto(`${baseUrl}/jobs/${encodeURIComponent(jobId)}/runs`);
  const runs = page.getByRole('table', { name: 'Runs' });
  await runs.waitFor();
  await page.locator('table[aria-busy="false"]').waitFor();
  return runs.getByRole('cell', { name: 'schedule', exact: true }).count();
}

describe('editor end to end', () => {
  it('signs in with an API key and shows the role', async () => {
    await page.goto(baseUrl);
    await expectAccessible('sign-in');
    await page.getByLabel('API key').fill(adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    expect(await page.locator('.shell__user .badge').textContent()).toBe('admin');
  });

  it('draws a three-task job with a failure edge by mouse and saves it', async () => {
    await page.getByRole('link', { name: 'New job' }).click();
    await page.getByRole('region', { name: 'Job graph' }).waitFor();

    await page.getByRole('tab', { name: 'Job' }).click();
    const name = page.getByLabel(/^Name/);
    await name.fill(jobName);

    await dropTask('command', 200, 250);
    await dropTask('delay', 560, 130);
    await dropTask('command', 560, 400);
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(3);

    await selectTask('command');
    await page.getByLabel(/^Executable/).fill('/bin/false');
    await selectTask('delay');
    await page.getByLabel(/^Seconds/).fill('1');
    await selectTask('command-2');
    await page.getByLabel(/^Executable/).fill('/bin/true');

    await connect('command', 'delay');
    await connect('command', 'command-2');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);
    // A cycle cannot be drawn: the reverse connection is refused, and the canvas says why.
    await connect('delay', 'command');
    expect(await page.locator('.react-flow__edge').count()).toBe(2);
    await expect
      .poll(() => page.locator('.job-canvas__refusal').textContent())
      .toMatch(/^delay → command would close a cycle: command already leads to delay/);

    // Switch the edge to the delay task to a failure edge from its label.
    const label = page.locator('[data-edge-id="e0"]');
    // Put a task right under the label, where its menu opens.
    const below = await label.boundingBox();
    const moved = await page.locator('.react-flow__node[data-id="command-2"]').boundingBox();
    if (!below || !moved) throw new Error('no label or node box');
    await page.mouse.move(moved.x + 20, moved.y + 10);
    await page.mouse.down();
    await page.mouse.move(below.x + 20, below.y + below.height + 30, { steps: 10 });
    await page.mouse.up();
    await label.getByRole('button', { name: /Change kind/ }).click();
    // The open menu is drawn above the nodes: what is under each item is the item itself.
    const covered = await page.getByRole('menuitemradio').evaluateAll((items) =>
      items
        .filter((item) => {
          const box = item.getBoundingClientRect();
          const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
          return !hit || !item.contains(hit);
        })
        .map((item) => item.textContent),
    );
    expect(covered).toEqual([]);
    await page.getByRole('menuitemradio', { name: 'failure' }).click();
    await expect.poll(() => label.getAttribute('class')).toMatch(/kind-edge__label--failure/);

    // A schedule, enabled, to pause later.
    await page.getByRole('tab', { name: 'Schedule' }).click();
    await page.getByRole('button', { name: 'Add a schedule' }).click();
    await page.getByRole('checkbox', { name: /^Enabled/ }).check();
    await expect.poll(() => page.locator('.schedule__runs li').count()).toBe(10);

    await expect.poll(() => page.locator('.problems__count--error').count()).toBe(0);
    await screenshot(page, 'editor-drawn');
    await expectAccessible('editor');

    await page.keyboard.press('Control+s');
    await page.waitForURL(/\/jobs\/(?!new$)[^/]+$/);
    jobId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.getByText('Saved', { exact: true }).waitFor();
    expect(await page.locator('.react-flow__edge').count()).toBe(2);
    await page.getByRole('button', { name: 'Fit view', exact: true }).click();
    await screenshot(page, 'editor-saved');
  });

  it('runs the job and shows each task reach its state in the run view', async () => {
    await page.getByRole('button', { name: '▶ Run now' }).click();
    await page.waitForURL(/\/runs\//);
    await page.getByRole('region', { name: 'Run graph' }).waitFor();
    const status = page.locator('.run .workspace__title .status');
    await expect
      .poll(() => status.textContent(), { timeout: 90_000, interval: 500 })
      .toBe('succeeded');
    const stateOf = (id: string) =>
      page.locator(`.react-flow__node[data-id="${id}"] .task-node__state`).textContent();
    // The run succeeded because the failure edge handled the failure, and the node says so.
    await expect.poll(() => stateOf('command')).toBe('failed (handled)');
    await expect.poll(() => stateOf('delay')).toBe('succeeded');
    await expect.poll(() => stateOf('command-2')).toBe('skipped');
    const legend = page.getByRole('list', { name: 'Task states' });
    expect(await legend.textContent()).toContain('failed (handled) 1');

    await page.locator('.react-flow__node[data-id="command"]').click();
    const details = page.getByRole('region', { name: 'Task command' });
    await details.waitFor();
    expect(await details.locator('.status').textContent()).toBe('failed');
    expect(await details.locator('.task-details__failure').textContent()).toMatch(
      /A failure edge handles this failure/,
    );
    await expect.poll(() => page.locator('.timeline__row').count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'run-view');
    await expectAccessible('run view');
  });

  it('pauses and resumes the schedule with a note from the jobs list', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Jobs' })
      .click();
    await page.getByRole('searchbox', { name: 'Search jobs' }).fill(jobName);
    const row = page.getByRole('row').filter({ hasText: jobName });
    await row.waitFor();
    await row.getByRole('button', { name: `Pause the schedule of ${jobName}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Note').fill('e2e maintenance window');
    await dialog.getByRole('button', { name: 'Pause' }).click();
    await row.getByText('Paused', { exact: true }).waitFor();
    expect(await row.textContent()).toContain('e2e maintenance window');
    await screenshot(page, 'jobs-list');
    await expectAccessible('jobs list');

    await row.getByRole('button', { name: `Resume the schedule of ${jobName}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Resume' }).click();
    await row.getByRole('button', { name: `Pause the schedule of ${jobName}` }).waitFor();
  });

  it('runs the schedule now from the jobs list and finds the run in the runs list', async () => {
    const row = page.getByRole('row').filter({ hasText: jobName });
    await row.getByRole('button', { name: `More actions for ${jobName}` }).click();
    await page.getByRole('menuitem', { name: 'Run schedule now…' }).click();
    const dialog = page.getByRole('dialog', { name: `Run the schedule of ${jobName} now` });
    await dialog.waitFor();
    await expectAccessible('trigger dialog');
    await dialog.getByRole('button', { name: 'Run now' }).click();
    await page.getByText(`Started a run of ${jobName} from its schedule`).waitFor();

    await expect.poll(scheduledRunCount, { timeout: 30_000, interval: 1000 }).toBeGreaterThan(0);
    await screenshot(page, 'runs-after-trigger');
  });

  it('backfills the saved schedule from the editor, on the schedule’s clock', async () => {
    await page.goto(`${baseUrl}/jobs/${encodeURIComponent(jobId)}`);
    await page.getByRole('tab', { name: 'Schedule' }).click();
    const saved = page.getByRole('region', { name: 'Saved schedule' });
    await saved.getByRole('button', { name: 'Backfill…' }).click();
    const dialog = page.getByRole('dialog', { name: `Backfill ${jobName}` });
    await dialog.waitFor();
    // The range starts as the last 24 hours, in which the daily schedule fires once.
    await expect
      .poll(() => dialog.locator('.backfill__summary').textContent())
      .toMatch(/Would start 1 run: /);
    await dialog.getByLabel('When a run is still going').selectOption('allow_all');
    await screenshot(page, 'backfill-dialog');
    await expectAccessible('backfill dialog');
    await dialog.getByRole('button', { name: 'Start backfill' }).click();
    await page.getByText(`Backfill of ${jobName} started: 1 run`).waitFor();

    await expect.poll(scheduledRunCount, { timeout: 30_000, interval: 1000 }).toBe(2);
  });

  it('fits the interval schedule form in the details panel at 1440 and 1024 pixels wide', async () => {
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
      await page.goto(`${baseUrl}/jobs/${encodeURIComponent(jobId)}`);
      await page.getByRole('tab', { name: 'Schedule' }).click();
      await page.getByRole('radio', { name: 'Interval' }).check({ force: true });
      await page.getByLabel('End (optional)').waitFor();
      const overflow = await page.locator('.editor__side').evaluate((side) => {
        const edge = side.getBoundingClientRect().right;
        const controls = [
          ...side.querySelectorAll('.schedule input, .schedule select, .schedule label'),
        ];
        return {
          scroll: side.scrollWidth - side.clientWidth,
          beyond: controls
            .filter((control) => control.getBoundingClientRect().right > edge + 0.5)
            .map((control) => control.textContent || control.getAttribute('name') || control.id),
        };
      });
      await screenshot(page, `schedule-interval-${width}`);
      expect(overflow, `at ${width} px`).toEqual({ scroll: 0, beyond: [] });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('shows the pause, its note and the resume in the audit log', async () => {
    await page.goto(`${baseUrl}/audit?jobId=${encodeURIComponent(jobId)}`);
    const table = page.getByRole('table', { name: 'Audit entries' });
    await table.getByText('schedule.paused').waitFor();
    await table.getByText('schedule.resumed').waitFor();
    expect(await table.textContent()).toContain('e2e maintenance window');
    expect(await table.textContent()).toContain('run.started');
    await table.getByText('schedule.triggered').waitFor();
    await table.getByText('schedule.backfilled').waitFor();
    await screenshot(page, 'audit-log');
    await expectAccessible('audit log');
  });

  it('moves through the jobs list and its actions with the keyboard', async () => {
    await page.goto(`${baseUrl}/jobs`);
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
    await page.getByRole('button', { name: `More actions for ${jobName}` }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menu').waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Duplicate');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Export');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('menu').count()).toBe(0);
  });

  it('lets an admin create a connection and delete it on the connections screen', async () => {
    const connection = `e2e-conn-${Date.now().toString(36)}`;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Connections' })
      .click();
    await page.getByRole('heading', { name: 'Connections' }).waitFor();
    await page.getByRole('button', { name: 'New connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'New connection' });
    await dialog.getByLabel('Name', { exact: true }).fill(connection);
    await dialog.getByLabel('Kind').selectOption('header');
    await dialog.getByLabel('Header name').fill('X-Api-Key');
    await dialog.getByLabel('Header value').fill('e2e-very-secret');
    await dialog.getByLabel(/^Sent only to/).fill('https://api.example.com');
    await dialog.getByLabel('Description (optional)').fill('made by the e2e test');
    await expectAccessible('new connection dialog');
    await dialog.getByRole('button', { name: 'Create connection' }).click();
    await page.getByText(`Created connection ${connection}`).waitFor();

    const table = page.getByRole('table', { name: 'Connections' });
    const row = table.getByRole('row').filter({ hasText: connection });
    await row.waitFor();
    expect(await row.textContent()).toContain('made by the e2e test');
    expect(await row.textContent()).toContain('shared');
    // The secret never comes back.
    expect(await page.content()).not.toContain('e2e-very-secret');
    await screenshot(page, 'connections');
    await expectAccessible('connections');

    await row.getByRole('button', { name: `Delete ${connection}` }).click();
    await page
      .getByRole('dialog', { name: 'Delete this connection?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.getByText(`Deleted connection ${connection}`).waitFor();
    await expect.poll(() => table.getByRole('row').filter({ hasText: connection }).count()).toBe(0);
  });
});
