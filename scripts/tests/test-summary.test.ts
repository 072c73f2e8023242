import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  clearReports,
  collectResults,
  E2E_REPORT,
  printSummary,
  totalsOf,
  UNIT_REPORT,
} from '../test-summary';

let root: string;

function writeJson(path: string, value: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, JSON.stringify(value));
}

function report(passed: number, failed: number, files = 1) {
  return {
    numPassedTests: passed,
    numFailedTests: failed,
    numPendingTests: 0,
    numTodoTests: 0,
    testResults: Array.from({ length: files }, (_, index) => ({
      status: failed > 0 && index === 0 ? 'failed' : 'passed',
    })),
  };
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'batchgraph-summary-'));
  writeJson(join(root, 'package.json'), {
    workspaces: ['engine', 'editor', 'docs'],
    scripts: { 'test:scripts': 'vitest run --root scripts' },
  });
  writeJson(join(root, 'engine/package.json'), { scripts: { test: 'vitest run' } });
  writeJson(join(root, 'editor/package.json'), {
    scripts: { test: 'vitest run', 'test:e2e': 'vitest run -c e2e' },
  });
  writeJson(join(root, 'docs/package.json'), { scripts: {} });
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe('test summary', () => {
  it('sums every suite and ends with the totals line', () => {
    writeJson(join(root, 'engine', UNIT_REPORT.file), report(10, 0));
    writeJson(join(root, 'editor', UNIT_REPORT.file), report(4, 2));
    writeJson(join(root, 'editor', E2E_REPORT.file), report(3, 0));
    writeJson(join(root, 'scripts', UNIT_REPORT.file), report(5, 0));
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => lines.push(line));
    const results = collectResults([UNIT_REPORT, E2E_REPORT], root);
    expect(results.map((result) => result.workspace)).toEqual([
      'engine',
      'editor',
      'scripts',
      'editor',
    ]);
    expect(printSummary(results)).toBe(false);
    expect(lines.at(-1)).toBe('22 passed, 2 failed');
  });

  it('fails a run where a suite wrote no report or found no test files', () => {
    writeJson(join(root, 'engine', UNIT_REPORT.file), report(10, 0));
    writeJson(join(root, 'editor', UNIT_REPORT.file), report(0, 0, 0));
    const totals = totalsOf(collectResults([UNIT_REPORT], root));
    expect(totals).toEqual({ passed: 10, failed: 0, problems: 2 });
  });

  it('fails a run where a test file could not load although no test failed', () => {
    const broken = {
      ...report(3, 0, 2),
      testResults: [{ status: 'passed' }, { status: 'failed' }],
    };
    writeJson(join(root, 'engine', UNIT_REPORT.file), broken);
    writeJson(join(root, 'editor', UNIT_REPORT.file), report(1, 0));
    writeJson(join(root, 'scripts', UNIT_REPORT.file), report(1, 0));
    const totals = totalsOf(collectResults([UNIT_REPORT], root));
    expect(totals).toEqual({ passed: 5, failed: 0, problems: 1 });
  });

  it('fails a run in which no test ran', () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(printSummary([])).toBe(false);
  });

  it('clears earlier reports', () => {
    writeJson(join(root, 'engine', UNIT_REPORT.file), report(10, 0));
    writeJson(join(root, 'scripts', UNIT_REPORT.file), report(1, 0));
    clearReports([UNIT_REPORT, E2E_REPORT], root);
    expect(collectResults([UNIT_REPORT], root).every((result) => !result.report)).toBe(true);
  });
});
