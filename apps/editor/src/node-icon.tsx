import { useEffect, useSyncExternalStore, type ComponentType, type SVGProps } from 'react';
import dynamicIconImports from 'lucide-react/dynamicIconImports';

// The catalogue names each node's icon in lucide's kebab-case (`mail`, `git-branch`, `life-buoy`).
// Each icon is its own small lazy chunk (lucide's dynamicIconImports), loaded the first time a node
// shows it; until then, and for names lucide does not have (vendor marks such as `wechat` or
// `douyin`), the badge shows a monogram.

type IconComponent = ComponentType<SVGProps<SVGSVGElement> & { size?: number; strokeWidth?: number }>;

const loaded = new Map<string, IconComponent | null>();
const pending = new Map<string, Promise<void>>();
const listeners = new Set<() => void>();

function request(name: string): void {
  if (loaded.has(name) || pending.has(name)) return;
  const importer = (dynamicIconImports as Record<string, (() => Promise<{ default: IconComponent }>) | undefined>)[name];
  if (!importer) {
    loaded.set(name, null); // not a lucide icon: the monogram stays
    return;
  }
  pending.set(
    name,
    importer().then(
      (m) => {
        loaded.set(name, m.default);
        for (const l of listeners) l();
      },
      () => void loaded.set(name, null), // a failed chunk (offline): the monogram stays
    ),
  );
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => void listeners.delete(l);
};

/** A badge coloured by category, with the node's lucide icon (or a monogram). */
export function NodeIcon({ title, category, icon }: { title: string; category?: string; icon?: string | null }) {
  // Only this icon's arrival re-renders the badge (a canvas shows hundreds).
  const Icon = useSyncExternalStore(subscribe, () => (icon ? (loaded.get(icon) ?? undefined) : undefined));
  useEffect(() => {
    if (icon) request(icon);
  }, [icon]);
  return (
    <span className={`node-icon cat-${category ?? 'other'}`} title={icon ?? undefined} aria-hidden="true" data-icon={Icon ? icon : undefined}>
      {Icon ? <Icon size={14} strokeWidth={2.25} /> : (title.trim()[0] ?? '?').toUpperCase()}
    </span>
  );
}
