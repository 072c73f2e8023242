import { useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Link, useBlocker, useNavigate } from 'react-router';
import type { EdgeKind, TaskType } from '@batchgraph/engine';
import { createJob, updateJob } from '../api/endpoints';
import { ApiError, errorMessage } from '../api/errors';
import type { Person, VersionDetail } from '../api/types';
import { useRunStarter } from '../runs/useRunStarter';
import { useHasRole, useJobChange } from '../shell/session';
import { useToast } from '../ui/Toasts';
import { emptySelection, JobCanvas, type Selection } from './canvas/JobCanvas';
import { useFitView } from './canvas/fit';
import { NODE_HEIGHT, NODE_WIDTH } from './canvas/geometry';
import { diffJobs } from './model/diff';
import {
  addTask,
  copyFragment,
  edgesOf,
  moveTasks,
  pasteFragment,
  removeElements,
  setEdgeKind,
  uniqueTaskId,
  type Fragment,
  type JobDoc,
} from './model/document';
import { historyReducer, startHistory } from './model/history';
import type { ProblemTarget } from './model/problems';
import { Inspector } from './panels/Inspector';
import { JobPanel } from './panels/JobPanel';
import { Palette } from './panels/Palette';
import { ProblemsPanel } from './panels/ProblemsPanel';
import { SchedulePanel } from './panels/SchedulePanel';
import { VersionsPanel } from './panels/VersionsPanel';
import { ConflictDialog, LeaveDialog } from './SaveDialogs';
import { useShortcuts } from './useShortcuts';
import { useValidation } from './useValidation';
import { useWorkerWarnings } from './useWorkerWarnings';
import './JobEditor.css';

type Tab = 'inspect' | 'job' | 'schedule' | 'versions';

interface JobEditorProps {
  jobId: string | undefined;
  version: number | undefined;
  initial: JobDoc;
  /** The saved job's owner; undefined for a new job. */
  owner?: Person;
  onReload: () => void;
}

let clipboard: Fragment | undefined;

export function JobEditor({ jobId, version, initial, owner, onReload }: JobEditorProps) {
  const [history, dispatch] = useReducer(historyReducer, initial, startHistory);
  const doc = history.present;
  const [savedDoc, setSavedDoc] = useState(initial);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [tab, setTab] = useState<Tab>('inspect');
  const [comparing, setComparing] = useState<VersionDetail>();
  const [conflict, setConflict] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const workerWarnings = useWorkerWarnings(doc);
  const { problems, pending } = useValidation(doc, undefined, workerWarnings);
  const canEdit = useHasRole('analyst');
  const change = useJobChange(owner);
  const readOnly = !change.allowed || comparing !== undefined;
  const flow = useReactFlow();
  const fitView = useFitView();
  const toast = useToast();
  const navigate = useNavigate();
  const canvasBox = useRef<HTMLDivElement>(null);
  const pasteCount = useRef(0);
  const dirty = doc !== savedDoc;
  const errorCount = problems.all.filter((problem) => problem.severity === 'error').length;

  const onEdit = useCallback((update: (doc: JobDoc) => JobDoc, coalesce?: string) => {
    dispatch({ type: 'edit', update, coalesce });
  }, []);
  const onSelectionChange = useCallback((update: (selection: Selection) => Selection) => {
    setSelection(update);
    setTab('inspect');
  }, []);
  const onEdgeKind = useCallback((index: number, kind: EdgeKind) => {
    dispatch({ type: 'edit', update: (current) => setEdgeKind(current, index, kind) });
  }, []);

  // Leaving with unsaved changes: the browser asks on reload/close, the router in the app.
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && !saving && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const save = useCallback(
    async (force = false) => {
      if (readOnly || saving) return;
      if (errorCount > 0) {
        toast(
          `Fix the ${errorCount} error${errorCount === 1 ? '' : 's'} listed under Problems before saving.`,
          'error',
        );
        return;
      }
      setSaving(true);
      try {
        if (!jobId) {
          const created = await createJob(doc);
          setSavedDoc(doc);
          toast(`Saved ${doc.name} (version ${created.version})`, 'success');
          await navigate(`/jobs/${encodeURIComponent(created.id)}`, { replace: true });
          return;
        }
        const saved = await updateJob(jobId, version ?? 1, doc, force);
        setSavedDoc(doc);
        setConflict(undefined);
        toast(`Saved version ${saved.version}`, 'success');
        onReload();
      } catch (cause) {
        if (cause instanceof ApiError && cause.code === 'version_conflict') setConflict(cause);
        else toast(errorMessage(cause), 'error');
      } finally {
        setSaving(false);
      }
    },
    [doc, errorCount, jobId, navigate, onReload, readOnly, saving, toast, version],
  );

  const canvasCenter = useCallback(() => {
    const box = canvasBox.current?.getBoundingClientRect();
    const point = flow.screenToFlowPosition({
      x: (box?.left ?? 0) + (box?.width ?? 0) / 2,
      y: (box?.top ?? 0) + (box?.height ?? 0) / 2,
    });
    return { x: point.x - NODE_WIDTH / 2, y: point.y - NODE_HEIGHT / 2 };
  }, [flow]);

  const addAtCenter = useCallback(
    (type: TaskType) => {
      if (readOnly) return;
      const id = uniqueTaskId(doc, type);
      const at = canvasCenter();
      const taken = doc.tasks.some(
        (task) => task.position?.x === Math.round(at.x) && task.position?.y === Math.round(at.y),
      );
      const position = taken ? { x: at.x + 30, y: at.y + 30 } : at;
      dispatch({
        type: 'edit',
        update: (current) =>
          addTask(current, type, { x: Math.round(position.x), y: Math.round(position.y) }, id).doc,
      });
      setSelection({ tasks: new Set([id]), edges: new Set() });
      setTab('inspect');
    },
    [canvasCenter, doc, readOnly],
  );

  const removeSelection = useCallback(() => {
    if (readOnly || selection.tasks.size + selection.edges.size === 0) return;
    dispatch({
      type: 'edit',
      update: (current) => removeElements(current, selection.tasks, selection.edges),
    });
    setSelection(emptySelection);
  }, [readOnly, selection]);

  const autoLayout = useCallback(async () => {
    const { layoutJob } = await import('./canvas/layout');
    const moves = await layoutJob(doc);
    dispatch({ type: 'edit', update: (current) => moveTasks(current, moves) });
    requestAnimationFrame(() => fitView({ padding: 0.2, duration: 300 }));
  }, [doc, fitView]);

  useShortcuts(
    {
      save: () => void save(),
      undo: () => dispatch({ type: 'undo' }),
      redo: () => dispatch({ type: 'redo' }),
      remove: removeSelection,
      copy: () => {
        if (selection.tasks.size > 0) {
          clipboard = copyFragment(doc, selection.tasks);
          pasteCount.current = 0;
          toast(`Copied ${clipboard.tasks.length} task${clipboard.tasks.length === 1 ? '' : 's'}`);
        }
      },
      paste: () => {
        if (!clipboard || readOnly) return;
        pasteCount.current += 1;
        const offset = { x: 40 * pasteCount.current, y: 40 * pasteCount.current };
        const { ids } = pasteFragment(doc, clipboard, offset);
        const fragment = clipboard;
        dispatch({
          type: 'edit',
          update: (current) => pasteFragment(current, fragment, offset).doc,
        });
        setSelection({ tasks: new Set(ids), edges: new Set() });
      },
      newTask: () => addAtCenter('http'),
      selectAll: () =>
        setSelection({
          tasks: new Set(doc.tasks.map((task) => task.id)),
          edges: new Set(edgesOf(doc).map((_, index) => index)),
        }),
    },
    comparing === undefined,
  );

  const onPick = useCallback(
    (target: ProblemTarget) => {
      if (target.kind === 'task') {
        const task = doc.tasks[target.index];
        if (!task) return;
        setSelection({ tasks: new Set([task.id]), edges: new Set() });
        setTab('inspect');
        fitView({
          nodes: [{ id: task.id }],
          duration: 250,
          maxZoom: 1.1,
          padding: 0.6,
        });
      } else if (target.kind === 'edge') {
        setSelection({ tasks: new Set(), edges: new Set([target.index]) });
        setTab('inspect');
        const edge = edgesOf(doc)[target.index];
        if (edge)
          fitView({
            nodes: [{ id: edge.from }, { id: edge.to }],
            duration: 250,
            maxZoom: 1.1,
            padding: 0.4,
          });
      } else {
        setTab(target.kind === 'schedule' ? 'schedule' : 'job');
      }
    },
    [doc, fitView],
  );

  const diff = useMemo(
    () => (comparing ? diffJobs(comparing.document, doc) : undefined),
    [comparing, doc],
  );

  const runs = useRunStarter();
  const runNow = async () => {
    if (jobId) await runs.start(jobId);
  };

  return (
    <main className="workspace editor">
      <header className="workspace__bar">
        <div className="workspace__title">
          <Link to="/jobs" className="muted">
            Jobs
          </Link>
          <span aria-hidden="true" className="muted">
            /
          </span>
          <h1>{doc.name || 'Untitled job'}</h1>
          {version !== undefined && <span className="badge">v{version}</span>}
          {owner && <span className="muted small">owner {owner.name}</span>}
          {!change.allowed && <span className="muted small">· read-only: {change.reason}</span>}
          <span
            className={dirty ? 'editor__state editor__state--dirty' : 'editor__state'}
            role="status"
          >
            {saving ? 'Saving…' : dirty ? 'Unsaved changes' : jobId ? 'Saved' : 'New job'}
          </span>
        </div>
        <div className="button-row">
          <button
            type="button"
            className="button button--small"
            onClick={() => dispatch({ type: 'undo' })}
            disabled={history.past.length === 0 || readOnly}
            title="Undo (Ctrl+Z)"
          >
            Undo
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() => dispatch({ type: 'redo' })}
            disabled={history.future.length === 0 || readOnly}
            title="Redo (Ctrl+Shift+Z)"
          >
            Redo
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() => void autoLayout()}
            disabled={readOnly || doc.tasks.length === 0}
            title="Arrange the graph left to right"
          >
            Auto-layout
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() => fitView({ padding: 0.2, duration: 250 })}
            title="Fit the graph in view"
          >
            Fit view
          </button>
          {jobId && (
            <>
              <Link className="button button--small" to={`/jobs/${encodeURIComponent(jobId)}/runs`}>
                Runs
              </Link>
              <button
                type="button"
                className="button button--small"
                onClick={() => void runNow()}
                disabled={dirty || !canEdit}
                title={
                  dirty
                    ? 'Save first: a run uses the saved version'
                    : 'Start a run of the saved version'
                }
              >
                ▶ Run now
              </button>
            </>
          )}
          <button
            type="button"
            className="button button--primary"
            onClick={() => void save()}
            disabled={readOnly || saving || (!dirty && jobId !== undefined)}
            title={
              change.reason ??
              (errorCount > 0 ? `Fix ${errorCount} error(s) first` : 'Save a new version (Ctrl+S)')
            }
          >
            Save
          </button>
        </div>
      </header>
      <div className="editor__body">
        <aside className="editor__palette">{!readOnly && <Palette onAdd={addAtCenter} />}</aside>
        <div className="editor__center">
          <div className="editor__canvas" ref={canvasBox}>
            <JobCanvas
              label="Job graph"
              doc={doc}
              problems={problems}
              selection={selection}
              onSelectionChange={onSelectionChange}
              onEdit={readOnly ? undefined : onEdit}
              onEdgeKind={readOnly ? undefined : onEdgeKind}
              diff={diff}
              base={comparing?.document}
            />
          </div>
          <div className="editor__problems">
            <ProblemsPanel problems={problems.all} pending={pending} onPick={onPick} />
          </div>
        </div>
        <aside className="editor__side" aria-label="Details">
          <div className="editor__tabs" role="tablist" aria-label="Panels">
            {(
              [
                ['inspect', 'Selection'],
                ['job', 'Job'],
                ['schedule', 'Schedule'],
                ['versions', 'Versions'],
              ] as const
            ).map(([value, label]) => (
              <button
                key={value}
                type="button"
                role="tab"
                id={`tab-${value}`}
                aria-selected={tab === value}
                aria-controls={`panel-${value}`}
                className="editor__tab"
                disabled={value === 'versions' && !jobId}
                onClick={() => setTab(value)}
              >
                {label}
              </button>
            ))}
          </div>
          <div
            className="editor__panel"
            role="tabpanel"
            id={`panel-${tab}`}
            aria-labelledby={`tab-${tab}`}
          >
            {tab === 'inspect' && (
              <Inspector
                doc={doc}
                selection={selection}
                problems={problems}
                readOnly={readOnly}
                onEdit={onEdit}
                onSelect={setSelection}
                onDelete={removeSelection}
              />
            )}
            {tab === 'job' && (
              <JobPanel doc={doc} problems={problems} readOnly={readOnly} onEdit={onEdit} />
            )}
            {tab === 'schedule' && (
              <SchedulePanel
                schedule={doc.schedule}
                inputs={doc.inputs ?? []}
                problems={problems}
                readOnly={readOnly}
                onChange={(schedule, coalesce) =>
                  onEdit((current) => {
                    const { schedule: _old, ...rest } = current;
                    return schedule === undefined ? rest : { ...rest, schedule };
                  }, coalesce)
                }
              />
            )}
            {tab === 'versions' && jobId && (
              <VersionsPanel
                jobId={jobId}
                currentVersion={version ?? 1}
                comparing={comparing?.version}
                onCompare={setComparing}
                onRestore={(old) => {
                  setComparing(undefined);
                  dispatch({ type: 'edit', update: () => old.document });
                  toast(`Restored version ${old.version}: save to make it the current version`);
                }}
              />
            )}
          </div>
        </aside>
      </div>
      <ConflictDialog
        open={conflict !== undefined}
        baseVersion={version}
        currentVersion={conflict?.currentVersion}
        onClose={() => setConflict(undefined)}
        onReload={() => {
          setConflict(undefined);
          setSavedDoc(doc);
          onReload();
        }}
        onOverwrite={() => {
          setConflict(undefined);
          void save(true);
        }}
      />
      <LeaveDialog blocker={blocker} />
      {runs.dialog}
    </main>
  );
}
