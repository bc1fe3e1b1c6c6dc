/** A ball of yarn ("pelote"): the threads of an association's members and servers. */
export function Logo() {
  return (
    <div className="brand-mark" aria-hidden="true">
      <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
        <circle cx="12" cy="12" r="9" />
        <path d="M5 8c4 1 9 5 11 12" />
        <path d="M9 3.6c3 2.5 7 7.5 8.5 13.5" />
        <path d="M3.5 13c3 0 7 2 9 7.5" />
      </svg>
    </div>
  );
}
