import { useCallback, useState } from 'react';
import { getVersion, listVersions } from '../../api/endpoints';
import type { VersionDetail } from '../../api/types';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/useResource';
import { ErrorNote } from '../../ui/ErrorNote';

interface VersionsPanelProps {
  jobId: string;
  currentVersion: number;
  /** The version shown on the canvas for comparison, if any. */
  comparing: number | undefined;
  onCompare: (version: VersionDetail | undefined) => void;
  onRestore: (version: VersionDetail) => void;
}

/** Saved versions: view one on the canvas with the changes highlighted, or restore it. */
export function VersionsPanel({
  jobId,
  currentVersion,
  comparing,
  onCompare,
  onRestore,
}: VersionsPanelProps) {
  const load = useCallback(() => listVersions(jobId), [jobId]);
  const versions = useResource(load);
  const [error, setError] = useState<unknown>();
  const fetchVersion = async (version: number, then: (detail: VersionDetail) => void) => {
    try {
      then(await getVersion(jobId, version));
    } catch (cause) {
      setError(cause);
    }
  };
  return (
    <div className="inspector">
      {comparing !== undefined && (
        <div className="versions__banner" role="status">
          Showing version {comparing}: green = added since, red dashed = removed since, amber =
          changed.
          <button
            type="button"
            className="button button--small"
            onClick={() => onCompare(undefined)}
          >
            Back to editing
          </button>
        </div>
      )}
      {versions.error !== undefined && (
        <ErrorNote error={versions.error} onRetry={versions.reload} />
      )}
      {error !== undefined && <ErrorNote error={error} />}
      <ol className="versions">
        {versions.data?.items.map((item) => (
          <li
            key={item.version}
            className={
              item.version === comparing ? 'versions__item versions__item--on' : 'versions__item'
            }
          >
            <div>
              <strong>v{item.version}</strong>
              {item.version === currentVersion && <span className="badge"> current</span>}
              <div className="muted">
                {formatDateTime(item.createdAt)} · {item.createdBy.name}
              </div>
            </div>
            <div className="button-row">
              <button
                type="button"
                className="button button--small"
                aria-pressed={item.version === comparing}
                onClick={() => void fetchVersion(item.version, onCompare)}
              >
                View
              </button>
              {item.version !== currentVersion && (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => void fetchVersion(item.version, onRestore)}
                >
                  Restore
                </button>
              )}
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
