import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

/**
 * The agents' and the teams' lists: a caption for screen readers, the column heads, and a last column of
 * buttons whose head is named for screen readers only. The rows are the page's own.
 */
export function AdminTable({ caption, columns, children }: { caption: string; columns: string[]; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <table className="admin-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
          <th scope="col">
            <span className="visually-hidden">{t('people.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
