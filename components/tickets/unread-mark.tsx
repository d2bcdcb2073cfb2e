/** The list's unread marker: a dot, and "unread" for screen readers (the title next to it is bold). */
export function UnreadMark() {
  return (
    <span className="inline-flex shrink-0 items-center" data-testid="unread">
      <span aria-hidden="true" className="h-2 w-2 rounded-full bg-brand-600" />
      <span className="sr-only">unread</span>
    </span>
  );
}
