import type { ReactNode } from 'react';
import { ErrorNote } from '../shared/ui.js';

export interface Column<T> {
  /** Column heading (unique in the table); `hideHeader` shows it to screen readers only. */
  header: string;
  hideHeader?: boolean;
  cell: (row: T) => ReactNode;
}

interface TableProps<T> {
  caption: string;
  columns: Array<Column<T>>;
  rows: T[] | undefined;
  rowKey: (row: T) => string;
  className?: string;
}

/** The console's data table: a caption for screen readers, column headings, one row per item. */
export function DataTable<T>({ caption, columns, rows, rowKey, className }: TableProps<T>) {
  return (
    <table className={className}>
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col" key={c.header}>
              {c.hideHeader ? <span className="sr-only">{c.header}</span> : c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows?.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((c) => (
              <td key={c.header}>{c.cell(row)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type LoadedTableProps<T> = Omit<TableProps<T>, 'rows'> & {
  load: { data?: T[]; error?: unknown; reload: () => void };
};

/** A list loaded from the API (`useLoad`) as a table, its load error and a retry above it. */
export function LoadedTable<T>({ load, ...table }: LoadedTableProps<T>) {
  return (
    <>
      <ErrorNote error={load.error} onRetry={load.reload} />
      <DataTable {...table} rows={load.data} />
    </>
  );
}

/** A card of the console: a heading or an introduction, a loaded table, then (children) its form. */
export function TableCard<T>({
  title,
  intro,
  children,
  ...table
}: LoadedTableProps<T> & { title?: string; intro?: string; children?: ReactNode }) {
  return (
    <section className="card">
      {title ? <h2>{title}</h2> : null}
      {intro ? <p>{intro}</p> : null}
      <LoadedTable {...table} />
      {children}
    </section>
  );
}
