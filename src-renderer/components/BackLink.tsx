import { ArrowLeft } from 'lucide-react';
import { Link } from 'react-router';

/** The small "← back to …" link above a page title; `label` is already translated. */
export function BackLink({ to, label }: { to: string; label: string }) {
  return (
    <Link to={to} className="back-link">
      <ArrowLeft size={14} />
      {label}
    </Link>
  );
}
