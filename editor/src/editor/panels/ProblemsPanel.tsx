import { memo } from 'react';
import { problemTarget, type EditorProblem, type ProblemTarget } from '../model/problems';
import './ProblemsPanel.css';

interface ProblemsPanelProps {
  problems: EditorProblem[];
  /** True while the latest edit has not been validated yet. */
  pending: boolean;
  onPick: (target: ProblemTarget) => void;
}

/** Every error and warning of the job; picking one selects what it is about. */
export const ProblemsPanel = memo(function ProblemsPanel({
  problems,
  pending,
  onPick,
}: ProblemsPanelProps) {
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  return (
    <section className="problems" aria-label="Problems">
      <h2 className="problems__title">
        Problems
        <span className={errors > 0 ? 'problems__count problems__count--error' : 'problems__count'}>
          {errors} error{errors === 1 ? '' : 's'}
        </span>
        <span
          className={warnings > 0 ? 'problems__count problems__count--warning' : 'problems__count'}
        >
          {warnings} warning{warnings === 1 ? '' : 's'}
        </span>
        {pending && <span className="muted problems__pending">checking…</span>}
      </h2>
      {problems.length === 0 ? (
        <p className="problems__ok">No problems: the job is valid.</p>
      ) : (
        <ul className="problems__list">
          {problems.map((problem) => (
            <li key={`${problem.severity}:${problem.path}:${problem.code}`}>
              <button
                type="button"
                className={`problems__item problems__item--${problem.severity}`}
                onClick={() => onPick(problemTarget(problem.path))}
              >
                <span className="problems__severity">
                  {problem.severity === 'error' ? 'Error' : 'Warning'}
                </span>
                <span className="problems__message">{problem.message}</span>
                <code className="problems__path">{problem.path}</code>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
});
