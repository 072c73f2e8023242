/**
 * Editor benchmark (not a test): builds the editor, serves it with `vite preview`, and opens a job
 * of 1,000 tasks and 1,500 edges in headless Chromium (the API's answers stubbed with
 * Playwright's page.route, so only the editor is measured). Reports time to interactive, frames
 * per second while panning and zooming, and the gzipped size of the initial JS + CSS.
 *
 *   npx tsx bench/editor.ts
 */
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import getPort from 'get-port';
import type { Page } from 'playwright-core';
import { launchChromium } from '../editor/e2e/browser';

const editorDir = resolve(dirname(fileURLToPath(import.meta.url)), '../editor');
const TASKS = 1000;
const EDGES = 1500;
const LAYERS = 20;

function bigJob() {
  const perLayer = TASKS / LAYERS;
  const id = (layer: number, row: number) => `t${layer}_${row}`;
  const tasks = [];
  for (let layer = 0; layer < LAYERS; layer++) {
    for (let row = 0; row < perLayer; row++) {
      tasks.push({
        id: id(layer, row),
        type: 'delay',
        params: { seconds: 1 },
        retries: row % 3,
        position: { x: layer * 320, y: row * 110 },
      });
    }
  }
  const edges: { from: string; to: string; on: string }[] = [];
  const seen = new Set<string>();
  const add = (from: string, to: string, on: string) => {
    const key = `${from}>${to}`;
    if (seen.has(key)) return false;
    seen.add(key);
    edges.push({ from, to, on });
    return true;
  };
  for (let layer = 1; layer < LAYERS; layer++)
    for (let row = 0; row < perLayer; row++) add(id(layer - 1, row), id(layer, row), 'success');
  // Extra edges forward by one to three layers, with all three kinds, from a seeded generator.
  let state = 42;
  const random = (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % below;
  };
  let n = 0;
  while (edges.length < EDGES) {
    const layer = random(LAYERS - 3);
    const from = id(layer, random(perLayer));
    const to = id(layer + 1 + random(3), random(perLayer));
    if (add(from, to, ['success', 'failure', 'always'][n % 3]!)) n++;
  }
  return { formatVersion: 1, name: 'bench-1000', tasks, edges, settings: { maxParallel: 50 } };
}

/** The JS and CSS the first page load fetches: index.html's script, preloads and stylesheets. */
function initialBundle(): { files: string[]; gzipBytes: number; rawBytes: number } {
  const dist = join(editorDir, 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map(
    (match) => match[1]!,
  );
  let gzipBytes = 0;
  let rawBytes = 0;
  for (const file of files) {
    const content = readFileSync(join(dist, file));
    rawBytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
  }
  return { files, gzipBytes, rawBytes };
}

/** Where a task's text reads comfortably (13 px names drawn at 10 px or more). */
const WORKING_ZOOM = 0.8;

async function viewportZoom(page: Page): Promise<number> {
  return page
    .locator('.react-flow__viewport')
    .evaluate((element) => new DOMMatrixReadOnly(getComputedStyle(element).transform).a);
}

interface Frames {
  frames: number;
  ms: number;
  longest: number;
}

const report = (fps: Frames) =>
  `${((fps.frames * 1000) / fps.ms).toFixed(1)} fps over ${(fps.ms / 1000).toFixed(1)} s (longest frame ${fps.longest.toFixed(0)} ms)`;

/** Counts animation frames for 4 s while the mouse drags the pane (and zooms with the wheel). */
async function measurePanZoom(page: Page, zoom = true): Promise<Frames> {
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const cx = pane.x + pane.width / 2;
  const cy = pane.y + pane.height / 2;
  // A string, not a function: tsx would wrap named functions in a helper the page lacks.
  const counting = page.evaluate<{ frames: number; ms: number; longest: number }>(`
    new Promise((done) => {
      let frames = 0;
      let longest = 0;
      const start = performance.now();
      let last = start;
      function tick(now) {
        frames++;
        longest = Math.max(longest, now - last);
        last = now;
        if (now - start < 4000) requestAnimationFrame(tick);
        else done({ frames, ms: now - start, longest });
      }
      requestAnimationFrame(tick);
    })
  `);
  const interaction = (async () => {
    const until = Date.now() + 3900;
    while (Date.now() < until) {
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      await page.mouse.move(cx - 250, cy - 120, { steps: 12 });
      await page.mouse.up();
      if (zoom) {
        await page.mouse.wheel(0, -240);
        await page.mouse.wheel(0, 240);
      }
      await page.mouse.move(cx - 250, cy - 120);
      await page.mouse.down();
      await page.mouse.move(cx, cy, { steps: 12 });
      await page.mouse.up();
    }
  })();
  const [fps] = await Promise.all([counting, interaction]);
  return fps;
}

async function main() {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: editorDir,
    stdio: 'inherit',
  });
  const bundle = initialBundle();
  const port = await getPort({ host: '127.0.0.1' });
  const preview = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], {
    cwd: editorDir,
    detached: true,
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  const browser = await launchChromium();
  try {
    for (let i = 0; i < 60; i++) {
      try {
        if ((await fetch(base)).ok) break;
      } catch {
        await new Promise((done) => setTimeout(done, 250));
      }
    }
    const job = bigJob();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript("localStorage.setItem('batchgraph.apiKey', 'bench-key')");
    await page.route('**/api/**', async (route) => {
      const path = new URL(route.request().url()).pathname;
      const json = (body: unknown) =>
        route.fulfill({ contentType: 'application/json', body: JSON.stringify(body) });
      if (path === '/api/me') return json({ id: 'bench', name: 'bench', role: 'admin' });
      if (path === '/api/jobs/bench')
        return json({
          id: 'bench',
          name: job.name,
          version: 1,
          document: job,
          owner: { id: 'bench', name: 'bench' },
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
          warnings: [],
        });
      return route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: '{"error":{"code":"not_found","message":"stub"}}',
      });
    });

    const started = Date.now();
    await page.goto(`${base}/jobs/bench`);
    // Zoomed out, a large graph is drawn on the overview canvas rather than as DOM nodes.
    await page
      .locator('.react-flow__node, canvas.graph-overview[data-drawn]')
      .first()
      .waitFor({ timeout: 60_000 });
    const firstNodes = Date.now() - started;
    // Interactive: the engine has validated the document and the main thread is idle again.
    await page.locator('.problems__pending').waitFor({ state: 'detached', timeout: 60_000 });
    await page.evaluate(
      () => new Promise((done) => requestIdleCallback(() => done(undefined), { timeout: 10_000 })),
    );
    const interactive = Date.now() - started;
    const rendered = await page.locator('.react-flow__node').count();
    const edgesRendered = await page.locator('.react-flow__edge').count();
    const overviewDrawn = (await page.locator('canvas.graph-overview[data-drawn]').count()) > 0;

    const overview = await measurePanZoom(page);
    // Then at working zoom, where only the tasks in view are drawn (onlyRenderVisibleElements).
    while ((await viewportZoom(page)) < WORKING_ZOOM)
      await page.getByRole('button', { name: 'Zoom In' }).click();
    const workingZoom = await viewportZoom(page);
    const detailNodes = await page.locator('.react-flow__node').count();
    const detail = await measurePanZoom(page);
    const detailPan = await measurePanZoom(page, false);

    console.log(
      `Job: ${TASKS} tasks, ${job.edges.length} edges (nodes in DOM: ${rendered}, edges in DOM: ${edgesRendered}, overview canvas: ${overviewDrawn ? 'yes' : 'no'})`,
    );
    console.log(`Time to graph drawn: ${firstNodes} ms`);
    console.log(`Time to interactive (validated, main thread idle): ${interactive} ms`);
    console.log(`Pan/zoom, whole graph in view: ${report(overview)}`);
    console.log(
      `Pan/zoom, zoomed in to working size (zoom ${workingZoom.toFixed(2)}, ${detailNodes} nodes in DOM): ${report(detail)}`,
    );
    console.log(`Pan only, zoomed in to working size: ${report(detailPan)}`);
    console.log(
      `Initial bundle (${bundle.files.join(', ')}): ${(bundle.gzipBytes / 1024).toFixed(1)} KB gzipped (${(bundle.rawBytes / 1024).toFixed(1)} KB raw); goal < 350 KB`,
    );
  } finally {
    await browser.close();
    if (preview.pid !== undefined) process.kill(-preview.pid, 'SIGTERM');
  }
}

await main();
