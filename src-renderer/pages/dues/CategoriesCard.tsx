import { Pencil, Plus, Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Category } from '../../../src-main/contract';
import { useDuesStore } from '../../stores/dues-store';
import { useToastStore } from '../../stores/toast-store';
import { CategoryForm } from './CategoryForm';
import { useDuesFormat } from './use-dues-format';
import { numberFormat } from '../../i18n/intl-cache';

/** 'new', a category being edited, or nothing open. */
type Editing = 'new' | Category | null;

export function CategoriesCard() {
  const { t, i18n } = useTranslation();
  const format = useDuesFormat();
  const { categories, loadCategories, deleteCategory } = useDuesStore();
  const push = useToastStore((s) => s.push);
  const [editing, setEditing] = useState<Editing>(null);
  // Deleting asks once more, in place: the button turns into a confirmation.
  const [confirming, setConfirming] = useState<string | null>(null);
  const number = numberFormat(i18n.language);

  useEffect(() => {
    void loadCategories();
  }, [loadCategories]);

  async function remove(category: Category) {
    setConfirming(null);
    if (await deleteCategory(category.id)) push({ kind: 'success', title: t('dues.categories.deleted', { name: category.name }) });
  }

  return (
    <section className="card" data-testid="categories-card">
      <div className="card-header">
        <div>
          <h2>{t('dues.categories.title')}</h2>
          <div className="card-subtitle">{t('dues.categories.subtitle')}</div>
        </div>
        <button className="button" type="button" onClick={() => setEditing('new')} disabled={editing !== null} data-testid="category-new">
          <Plus size={16} />
          {t('dues.categories.new')}
        </button>
      </div>
      {editing ? (
        <CategoryForm key={editing === 'new' ? 'new' : editing.id} category={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
      {categories === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : categories.length === 0 ? (
        <p className="muted">{t('dues.categories.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="ledger wrap-headers" data-testid="categories-table">
            <thead>
              <tr>
                <th>{t('dues.categories.name')}</th>
                <th>{t('dues.categories.fee')}</th>
                <th>{t('dues.categories.period')}</th>
                <th>{t('dues.categories.graceColumn')}</th>
                <th className="num">{t('dues.categories.members')}</th>
                <th className="actions-cell">
                  <span className="visually-hidden">{t('dues.categories.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {categories.map((category) => (
                <tr
                  key={category.id}
                  data-testid="category-row"
                  className={editing !== 'new' && editing?.id === category.id ? 'selected' : undefined}
                >
                  <td className="strong">{category.name}</td>
                  <td>{format.fee(category.fee)}</td>
                  <td className={category.period ? undefined : 'muted'}>
                    {category.period ? format.period(category.period) : t('dues.categories.associationDefault')}
                  </td>
                  <td className={category.graceDays === null ? 'muted' : undefined}>
                    {category.graceDays === null ? t('dues.categories.associationDefault') : format.graceDays(category.graceDays)}
                  </td>
                  <td className="num">{number.format(category.memberCount)}</td>
                  <td className="actions-cell">
                    {confirming === category.id ? (
                      <span className="row-actions">
                        <button className="button small danger" type="button" onClick={() => void remove(category)} data-testid="category-confirm-delete">
                          {t('dues.categories.confirmDelete')}
                        </button>
                        <button className="button small" type="button" onClick={() => setConfirming(null)}>
                          {t('common.cancel')}
                        </button>
                      </span>
                    ) : (
                      <span className="row-actions">
                        <button
                          className="icon-button"
                          type="button"
                          onClick={() => setEditing(category)}
                          disabled={editing !== null}
                          aria-label={t('dues.categories.edit', { name: category.name })}
                          title={t('dues.categories.edit', { name: category.name })}
                        >
                          <Pencil size={16} />
                        </button>
                        <button
                          className="icon-button"
                          type="button"
                          onClick={() => setConfirming(category.id)}
                          aria-label={t('dues.categories.delete', { name: category.name })}
                          title={t('dues.categories.delete', { name: category.name })}
                          data-testid="category-delete"
                        >
                          <Trash2 size={16} />
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
