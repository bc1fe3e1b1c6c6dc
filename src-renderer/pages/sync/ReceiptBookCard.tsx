import { BookOpen } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReceiptBook } from '../../../src-main/contract';
import { ConfirmDialog } from '../../components/members/ConfirmDialog';
import { useSyncStore } from '../../stores/sync-store';

/** Which computer numbers new receipts, and handing the book over (see core/sync/receipt-book.ts). */
export function ReceiptBookCard({ book }: { book: ReceiptBook }) {
  const { t } = useTranslation();
  const take = useSyncStore((s) => s.takeReceiptBook);
  const [confirming, setConfirming] = useState(false);
  const holder = book.here ? t('sync.receiptBook.here') : book.holderName ? t('sync.receiptBook.elsewhere', { name: book.holderName }) : t('sync.receiptBook.unknown');
  return (
    <section className="card" data-testid="sync-receipt-book">
      <h2 className="card-title">
        <BookOpen size={18} aria-hidden /> {t('sync.receiptBook.title')}
      </h2>
      <p data-testid="sync-receipt-book-holder">
        <strong>{holder}</strong>
      </p>
      <p className="muted">{t('sync.receiptBook.rule')}</p>
      {book.here ? null : (
        <div className="form-actions">
          <button className="button" type="button" onClick={() => setConfirming(true)} data-testid="sync-take-receipt-book">
            {t('sync.receiptBook.take')}
          </button>
        </div>
      )}
      {confirming ? (
        <ConfirmDialog
          title={t('sync.receiptBook.confirmTitle')}
          confirmLabel={t('sync.receiptBook.take')}
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            await take();
            setConfirming(false);
          }}
        >
          <p>{t('sync.receiptBook.confirmText')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
