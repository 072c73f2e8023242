import type { ReactNode } from 'react';

interface DataTableProps {
  /** Names the table for assistive technology (not shown). */
  caption: string;
  columns: readonly string[];
  /** Adds a last column for row buttons, named "Actions" for screen readers only. */
  actions?: boolean;
  /** A header cell before the columns (e.g. a select-all checkbox). */
  lead?: ReactNode;
  busy?: boolean;
  /** Shown under the table when set (no rows, or none match). */
  empty?: string;
  className?: string;
  children: ReactNode;
}

/** The list screens' table in its card: caption, column headers, rows, and the empty note. */
export function DataTable(props: DataTableProps) {
  return (
    <div className={props.className ? `card ${props.className}` : 'card'}>
      <table className="table" aria-busy={props.busy}>
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.lead}
            {props.columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            {props.actions && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
      {props.empty !== undefined && <p className="empty">{props.empty}</p>}
    </div>
  );
}
