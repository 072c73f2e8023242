/**
 * A job of hundreds of tasks in the real browser: zoomed out it is drawn as an overview canvas
 * (no DOM node per task), a click on the canvas selects the task under the pointer, and zooming
 * in brings back the full, editable nodes.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, screenshot, seriousA11yViolations } from './browser';

const baseUrl = inject('baseUrl');
const apiUrl = inject('apiUrl');
const adminKey = inject('adminKey');

const COLUMNS = 20;
const ROWS = 20;
const at = (column: number, row: number) => ({ x: column * 320, y: row * 110 });

function largeJob() {
  const tasks = [];
  const edges = [];
  for (let column = 0; column < COLUMNS; column++) {
    for (let row = 0; row < ROWS; row++) {
      tasks.push({
        id: `c${column}_r${row}`,
        type: 'delay',
        params: { seconds: 1 },
        position: at(column, row),
      });
      if (column > 0)
        edges.push({ from: `c${column - 1}_r${row}`, to: `c${column}_r${row}`, on: 'success' });
    }
  }
  return {
    formatVersion: 1,
    name: `e2e-large-${Date.now().toString(36)}`,
    tasks,
    edges,
  };
}

let browser: Browser;
let page: Page;
let jobId = '';

beforeAll(async () => {
  const response = await fetch(`${apiUrl}/api/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(largeJob()),
  });
  const created = (await response.json()) as { id: string };
  expect(response.status, JSON.stringify(created).slice(0, 500)).toBe(201);
  jobId = created.id;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(20_000);
  await page.addInitScript(
    `localStorage.setItem('batchgraph.apiKey', ${JSON.stringify(adminKey)})`,
  );
});
afterAll(async () => {
  await browser?.close();
});

/** The viewport's translation and zoom, as React Flow applies them. */
function viewport() {
  return page.locator('.react-flow__viewport').evaluate((element) => {
    const matrix = new DOMMatrixReadOnly(getComputedStyle(element).transform);
    return { x: matrix.e, y: matrix.f, zoom: matrix.a };
  });
}

describe('a large job', () => {
  it('opens as an overview canvas instead of 400 DOM nodes', async () => {
    await page.goto(`${baseUrl}/jobs/${jobId}`);
    await page.locator('canvas.graph-overview[data-drawn]').waitFor();
    await page.getByText(`Overview of ${COLUMNS * ROWS} tasks`).waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(0);
    expect((await viewport()).zoom).toBeLessThan(0.3);
    await screenshot(page, 'large-job-overview');
    const violations = await seriousA11yViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  });

  it('selects the task under the pointer when the overview is clicked', async () => {
    const pane = await page.locator('.react-flow__pane').boundingBox();
    if (!pane) throw new Error('no pane');
    const { x, y, zoom } = await viewport();
    const task = at(7, 11);
    await page.mouse.click(pane.x + x + (task.x + 100) * zoom, pane.y + y + (task.y + 40) * zoom);
    await page.getByRole('form', { name: 'Task c7_r11' }).waitFor();
  });

  it('draws full nodes again once zoomed in', async () => {
    while ((await viewport()).zoom < 0.8) {
      await page.getByRole('button', { name: 'Zoom In' }).click();
    }
    await page.locator('.react-flow__node').first().waitFor();
    expect(await page.locator('canvas.graph-overview').count()).toBe(0);
    const inDom = await page.locator('.react-flow__node').count();
    expect(inDom).toBeGreaterThan(0);
    expect(inDom).toBeLessThan(COLUMNS * ROWS);
    await screenshot(page, 'large-job-zoomed-in');
  });
});
