/** A monogram badge coloured by category: the catalogue names lucide icons, which the editor does not bundle. */
export function NodeIcon({ title, category, icon }: { title: string; category?: string; icon?: string | null }) {
  const letter = (title.trim()[0] ?? '?').toUpperCase();
  return (
    <span className={`node-icon cat-${category ?? 'other'}`} title={icon ?? undefined} aria-hidden="true">
      {letter}
    </span>
  );
}
