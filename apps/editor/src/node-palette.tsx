import { useMemo, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { specKey, type NodeSpec } from './catalog.types.js';
import { NodeIcon } from './node-icon.js';

export const DRAG_MIME = 'application/x-tributary-node';

const CATEGORY_ORDER = ['trigger', 'logic', 'transform', 'customer', 'notify', 'io'];

/** Every node of the catalogue, grouped by category, filtered by title, id or description. */
export function NodePalette({ specs, onAdd }: { specs: NodeSpec[]; onAdd: (spec: NodeSpec) => void }) {
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const hits = specs.filter((s) => !q || `${s.title} ${s.id} ${s.description}`.toLowerCase().includes(q));
    const by = new Map<string, NodeSpec[]>();
    for (const s of hits) by.set(s.category, [...(by.get(s.category) ?? []), s]);
    const rank = (c: string) => (CATEGORY_ORDER.indexOf(c) + 1 || 99);
    return [...by.entries()]
      .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
      // Titles are in the language shown (the catalogue is localized): Chinese ones sort by pinyin.
      .map(([category, items]) => ({ category, items: items.sort((a, b) => a.title.localeCompare(b.title, i18n.language)) }));
  }, [specs, query, i18n.language]);

  const onDragStart = (e: DragEvent, s: NodeSpec) => {
    e.dataTransfer.setData(DRAG_MIME, specKey(s.id, s.version));
    e.dataTransfer.effectAllowed = 'move';
  };

  return (
    <aside className="palette" aria-label={t('palette.title')} data-testid="palette">
      <input
        type="search"
        className="palette-search"
        placeholder={t('palette.search')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="palette-search"
      />
      <div className="palette-groups">
        {groups.length === 0 ? <p className="muted small">{t('palette.empty')}</p> : null}
        {groups.map((g) => (
          <section key={g.category} data-testid={`palette-group-${g.category}`}>
            <h3>{t(`category.${g.category}`, { defaultValue: g.category })}</h3>
            <ul>
              {g.items.map((s) => (
                <li
                  key={specKey(s.id, s.version)}
                  className="palette-item"
                  draggable
                  onDragStart={(e) => onDragStart(e, s)}
                  onDoubleClick={() => onAdd(s)}
                  title={`${s.id} v${s.version}`}
                  data-testid={`palette-item-${s.id}`}
                >
                  <NodeIcon title={s.title} category={s.category} icon={s.icon} />
                  <div>
                    <div className="palette-item-title">{s.title}</div>
                    <div className="palette-item-desc">{s.description}</div>
                  </div>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </aside>
  );
}
