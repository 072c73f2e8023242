import './StatusBadge.css';

/** A run status or task state as a coloured pill; the text carries the meaning, not the colour. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`status status--${status}`}>{status.replace('_', ' ')}</span>;
}
