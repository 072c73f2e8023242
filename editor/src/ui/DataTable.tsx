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
  /** While the first page loads: placeholder rows, so an empty table never reads as "none". */
  skeleton?: boolean;
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
        <tbody>
          {props.skeleton ? <SkeletonRows columns={columnCount(props)} /> : props.children}
        </tbody>
      </table>
      {props.empty !== undefined && <p className="empty">{props.empty}</p>}
    </div>
  );
}

function columnCount(props: DataTableProps): number {
  return props.columns.length + (props.actions ? 1 : 0) + (props.lead ? 1 : 0);
}

function SkeletonRows({ columns }: { columns: number }) {
  return Array.from({ length: 4 }, (_, row) => (
    <tr key={row} className="table__skeleton" aria-hidden="true">
      {Array.from({ length: columns }, (_, cell) => (
        <td key={cell}>
          <span className="skeleton" />
        </td>
      ))}
    </tr>
  ));
}
