/**
 * Sums the Vitest JSON reports that `scripts/test` has each workspace write, so the run ends
 * with one plain line: `N passed, N failed`. A workspace that should have written a report and
 * did not (its run crashed), or that has no test files, counts as a failure.
 * Run on its own with `npx tsx scripts/test-summary.ts` to re-print the last run's totals.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './stack/paths';

export interface ReportKind {
  /** The workspace script whose runs write this report. */
  script: string;
  /** A root package.json script that runs a suite kept outside the workspaces, and its folder. */
  root?: { script: string; dir: string };
  /** The report's path inside each workspace. */
  file: string;
  label: string;
}

export const UNIT_REPORT: ReportKind = {
  script: 'test',
  root: { script: 'test:scripts', dir: 'scripts' },
  file: 'artifacts/vitest-report.json',
  label: 'tests',
};
export const E2E_REPORT: ReportKind = {
  script: 'test:e2e',
  file: 'artifacts/vitest-e2e-report.json',
  label: 'e2e',
};

/** The parts of the Vitest JSON reporter's output (a Jest-compatible format) that count. */
interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  /** One entry per test file. */
  testResults: { status: string }[];
}

export interface WorkspaceResult {
  workspace: string;
  kind: ReportKind;
  /** Undefined when the workspace wrote no report. */
  report: VitestReport | undefined;
}

interface Manifest {
  workspaces?: string[];
  scripts?: Record<string, string>;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** The folders whose runs write this kind of report: workspaces with the script, and the root's. */
export function suitesOf(kind: ReportKind, root = ROOT): string[] {
  const manifest = readManifest(root);
  const workspaces = (manifest.workspaces ?? []).filter(
    (workspace) => readManifest(join(root, workspace)).scripts?.[kind.script] !== undefined,
  );
  const own = kind.root && manifest.scripts?.[kind.root.script] ? [kind.root.dir] : [];
  return [...workspaces, ...own];
}

/** Deletes earlier reports so a crashed run cannot pass for a finished one. */
export function clearReports(kinds: readonly ReportKind[], root = ROOT): void {
  const manifest = readManifest(root);
  for (const kind of kinds) {
    const dirs = [...(manifest.workspaces ?? []), ...(kind.root ? [kind.root.dir] : [])];
    for (const dir of dirs) rmSync(join(root, dir, kind.file), { force: true });
  }
}

export function collectResults(kinds: readonly ReportKind[], root = ROOT): WorkspaceResult[] {
  return kinds.flatMap((kind) =>
    suitesOf(kind, root).map((workspace) => {
      const file = join(root, workspace, kind.file);
      const report = existsSync(file)
        ? (JSON.parse(readFileSync(file, 'utf8')) as VitestReport)
        : undefined;
      return { workspace, kind, report };
    }),
  );
}

export interface Totals {
  passed: number;
  failed: number;
  /** Workspaces without a report, and test files that failed to run. */
  problems: number;
}

export function totalsOf(results: readonly WorkspaceResult[]): Totals {
  const totals: Totals = { passed: 0, failed: 0, problems: 0 };
  for (const { report } of results) {
    if (!report || report.testResults.length === 0) {
      totals.problems++;
      continue;
    }
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    // A file that fails to load fails no test, yet fails the run.
    if (report.numFailedTests === 0) totals.problems += failedFiles(report);
  }
  return totals;
}

function failedFiles(report: VitestReport): number {
  return report.testResults.filter((file) => file.status === 'failed').length;
}

function describe(result: WorkspaceResult): string {
  const { report } = result;
  if (!report) return 'no report: its test run ended before Vitest wrote one';
  if (report.testResults.length === 0) return 'no test files found';
  const parts = [`${report.numPassedTests} passed`, `${report.numFailedTests} failed`];
  const skipped = report.numPendingTests + report.numTodoTests;
  if (skipped > 0) parts.push(`${skipped} skipped`);
  const failed = failedFiles(report);
  if (failed > 0) parts.push(`${failed} of ${report.testResults.length} test files failed`);
  return parts.join(', ');
}

/** Prints one line per workspace and the totals last; returns whether the tests passed. */
export function printSummary(results: readonly WorkspaceResult[]): boolean {
  console.log('\nVitest results:');
  for (const result of results) {
    const name = `${result.workspace} (${result.kind.label})`;
    console.log(`  ${name.padEnd(24)}${describe(result)}`);
  }
  const totals = totalsOf(results);
  if (totals.passed + totals.failed === 0) console.log('No tests ran: that counts as a failure.');
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  return totals.failed === 0 && totals.problems === 0 && totals.passed > 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const passed = printSummary(collectResults([UNIT_REPORT, E2E_REPORT]));
  process.exitCode = passed ? 0 : 1;
}
