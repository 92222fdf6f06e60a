import { useTranslation } from 'react-i18next';
import { diffCounts, hasChanges, showValue, type FlowDiff, type NodeRef, type ValueChange } from './flow-diff.util.js';
import type { FlowEdgeDoc } from './flow.types.js';

/** One line per count that is not zero: "2 nodes changed · 1 added · 1 moved". */
export function useDiffSummary(): (d: FlowDiff) => string {
  const { t } = useTranslation();
  return (d) => {
    const c = diffCounts(d);
    return (['changed', 'added', 'removed', 'moved', 'edges', 'flow'] as const)
      .filter((k) => c[k] > 0)
      .map((k) => t(`versions.diff.${k}`, { count: c[k] }))
      .join(' · ');
  };
}

const label = (n: NodeRef) => (n.name ? `${n.name} (${n.id})` : n.id);
const edgeText = (e: FlowEdgeDoc) => `${e.from} → ${e.to}`;

function Changes({ list }: { list: ValueChange[] }) {
  return (
    <ul className="diff-changes">
      {list.map((c) => (
        <li key={c.path} data-testid="diff-change" data-path={c.path}>
          <code className="diff-path">{c.path}</code>
          <span className="diff-values">
            <span className="diff-before" title={showValue(c.before, 2000)}>
              {showValue(c.before)}
            </span>
            <span className="diff-arrow" aria-hidden>
              →
            </span>
            <span className="diff-after" title={showValue(c.after, 2000)}>
              {showValue(c.after)}
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}

/** A flow diff as sections: flow fields, changed nodes with their paths, added, removed, moved, connections. */
export function FlowDiffView({ diff }: { diff: FlowDiff }) {
  const { t } = useTranslation();
  const summary = useDiffSummary();
  if (!hasChanges(diff)) {
    return (
      <p className="muted diff-none" data-testid="diff-none">
        {t('versions.diff.none')}
      </p>
    );
  }
  const flowChanges = [diff.name, diff.description, ...diff.settings, ...diff.meta].filter((c): c is ValueChange => c !== null);
  const { added, removed, changed, moved } = diff.nodes;
  return (
    <div className="diff-view" data-testid="diff-view">
      <p className="diff-summary" data-testid="diff-summary">
        {summary(diff)}
      </p>
      {flowChanges.length ? (
        <section>
          <h4>{t('versions.diff.flowSection')}</h4>
          <Changes list={flowChanges} />
        </section>
      ) : null}
      {changed.length ? (
        <section>
          <h4>{t('versions.diff.changedSection')}</h4>
          {changed.map((n) => (
            <div key={n.id} className="diff-node changed" data-testid={`diff-node-changed-${n.id}`}>
              <div className="diff-node-head">
                <span className="diff-mark">~</span> <strong>{label(n)}</strong> <span className="muted small">{n.type}</span>
              </div>
              <Changes list={n.changes} />
            </div>
          ))}
        </section>
      ) : null}
      {added.length ? (
        <section>
          <h4>{t('versions.diff.addedSection')}</h4>
          <ul className="diff-list">
            {added.map((n) => (
              <li key={n.id} className="diff-node added" data-testid={`diff-node-added-${n.id}`}>
                <span className="diff-mark">+</span> <strong>{label(n)}</strong> <span className="muted small">{n.type}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {removed.length ? (
        <section>
          <h4>{t('versions.diff.removedSection')}</h4>
          <ul className="diff-list">
            {removed.map((n) => (
              <li key={n.id} className="diff-node removed" data-testid={`diff-node-removed-${n.id}`}>
                <span className="diff-mark">−</span> <strong>{label(n)}</strong> <span className="muted small">{n.type}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {diff.edges.added.length || diff.edges.removed.length ? (
        <section>
          {diff.edges.added.length ? <h4>{t('versions.diff.edgesAdded')}</h4> : null}
          <ul className="diff-list">
            {diff.edges.added.map((e) => (
              <li key={edgeText(e)} className="diff-node added" data-testid="diff-edge-added">
                <span className="diff-mark">+</span> <code>{edgeText(e)}</code>
              </li>
            ))}
          </ul>
          {diff.edges.removed.length ? <h4>{t('versions.diff.edgesRemoved')}</h4> : null}
          <ul className="diff-list">
            {diff.edges.removed.map((e) => (
              <li key={edgeText(e)} className="diff-node removed" data-testid="diff-edge-removed">
                <span className="diff-mark">−</span> <code>{edgeText(e)}</code>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {moved.length ? (
        <section>
          <h4>{t('versions.diff.movedSection')}</h4>
          <p className="muted small" data-testid="diff-moved">
            {moved.map(label).join(', ')}
          </p>
        </section>
      ) : null}
    </div>
  );
}
