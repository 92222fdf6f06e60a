import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Keyset paging as the API does it (`?cursor=`, `nextCursor`): the cursors of the pages walked
 * through, so Previous goes back without the API having to page backwards.
 */
export function useCursorPages() {
  const [trail, setTrail] = useState<string[]>([]);
  return {
    /** The cursor of the page shown; undefined on the first page. */
    cursor: trail[trail.length - 1],
    onFirstPage: trail.length === 0,
    next: (nextCursor: string) => setTrail((t) => [...t, nextCursor]),
    previous: () => setTrail((t) => t.slice(0, -1)),
    /** Back to the first page (a new search or filter). */
    reset: () => setTrail([]),
  };
}

export type CursorPages = ReturnType<typeof useCursorPages>;

/** Previous / Next under a list. */
export function Pager({ pages, nextCursor }: { pages: CursorPages; nextCursor: string | null | undefined }) {
  const { t } = useTranslation();
  return (
    <div className="pager">
      <button className="btn" disabled={pages.onFirstPage} onClick={pages.previous} data-testid="pager-previous">
        {t('app.previous')}
      </button>
      <button className="btn" disabled={!nextCursor} onClick={() => nextCursor && pages.next(nextCursor)} data-testid="pager-next">
        {t('app.next')}
      </button>
    </div>
  );
}
