import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart } from './chart.js';
import { LoadStatus } from './load-status.js';
import { replaceQuery, useRouteQuery } from './router.js';
import { useApi, type Load } from './use-api.hook.js';
import {
  channelColors,
  chartTable,
  conversionChart,
  conversionKpis,
  firstContactChart,
  firstContactKpis,
  funnelChart,
  funnelKpis,
  leadsChart,
  leadsKpis,
  lifecycleChart,
  lifecycleKpis,
  makeFormats,
  revenueChart,
  revenueCurrencies,
  revenueKpis,
  type ChartContext,
  type ChartOption,
  type Kpi,
  type Translate,
} from './report-charts.util.js';
import {
  apiQuery,
  autoInterval,
  INTERVALS,
  isReportView,
  periodDays,
  periodProblem,
  RANGE_PRESETS,
  readFilters,
  REPORT_VIEWS,
  writeFilters,
  type ReportFilterState,
} from './report-filters.util.js';
import type { Owner } from '@tributary/customer-store';
import type { ChannelList, ConversionReport, FirstContactReport, FunnelReport, LeadsReport, LifecycleReport, Report, ReportName, RevenueReport } from './report.types.js';

/** The browser's zone: the buckets are local days, weeks and months. */
const TZ = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * `#/reports/<report>?range=&from=&to=&interval=&channel=&owner=`: the channel reports of
 * GET /api/reports/* as charts with their numbers in tables. The filters live in the route's
 * query, so a copied link opens the same view.
 */
export function ReportsPage({ view, token, onUnauthorized }: { view?: string; token: string; onUnauthorized: () => void }) {
  const { t, i18n } = useTranslation();
  const query = useRouteQuery();
  const [today] = useState(() => new Date());
  const filters = useMemo(() => readFilters(query, today), [query, today]);
  const name: ReportName = isReportView(view) ? view : 'leads';
  const problem = filters.range === 'custom' ? periodProblem(filters) : null;
  const [report, reload] = useApi<Report>(problem ? null : `/api/reports/${name}?${apiQuery(filters, TZ)}`, token, onUnauthorized);
  const [channels] = useApi<ChannelList>('/api/reports/channels', token, onUnauthorized);
  // The owner filter's choices: the first page of owners is plenty (a filter takes at most 50).
  const [owners] = useApi<{ items: Owner[] }>('/api/owners?limit=200', token, onUnauthorized);

  // While a new answer loads, the last one of the same report stays on screen, dimmed.
  const last = useRef<Report | null>(null);
  if (report.state === 'ok') last.current = report.value;
  const shown = report.state === 'ok' ? report.value : report.state === 'loading' && last.current?.report === name ? last.current : null;

  // Colours follow the channel list (most customers first), so a channel keeps its colour across reports and filters.
  const channelKey = channels.state === 'ok' ? channels.value.items.map((c) => c.channel).join('\n') : '';
  const ctx = useMemo<ChartContext>(() => {
    const tr: Translate = (key, options) => (options ? t(key, options) : t(key));
    return {
      t: tr,
      fmt: makeFormats(i18n.language, tr),
      color: channelColors(channelKey ? channelKey.split('\n') : []),
      channelName: (c) => (c === 'unknown' ? t('reports.unknownChannel') : c),
    };
  }, [t, i18n.language, channelKey]);

  const update = (patch: Partial<ReportFilterState>) => replaceQuery(writeFilters({ ...filters, ...patch }));
  const status: Load<{ items: unknown[] }> = problem
    ? { state: 'error', message: t(problem) }
    : shown
      ? { state: 'ok', value: { items: [shown] } }
      : report.state === 'error'
        ? report
        : { state: 'loading' };

  return (
    <div className="list-page reports-page" data-testid="reports-page">
      <div className="page-header">
        <h1>{t('nav.reports')}</h1>
        <span className="spacer" />
        {shown ? (
          <span className="muted small" data-testid="reports-generated">
            {t('reports.generated', { time: new Date(shown.generatedAt).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' }) })}
          </span>
        ) : null}
        <button className="btn" onClick={reload} disabled={!!problem} data-testid="reports-refresh">
          {t('app.refresh')}
        </button>
      </div>

      <nav className="report-tabs" aria-label={t('reports.tabs')}>
        {REPORT_VIEWS.map((v) => (
          <a
            key={v}
            href={`#/reports/${v}${query ? `?${query}` : ''}`}
            className={v === name ? 'active' : ''}
            aria-current={v === name ? 'page' : undefined}
            data-testid={`reports-tab-${v}`}
          >
            {t(`reports.view.${v}.tab`)}
          </a>
        ))}
      </nav>

      <Filters
        filters={filters}
        channels={channels.state === 'ok' ? channels.value.items : []}
        owners={owners.state === 'ok' ? owners.value.items : []}
        ctx={ctx}
        update={update}
      />

      <LoadStatus load={status} empty="" />
      {shown && !problem ? (
        <div className={report.state === 'loading' ? 'report-body stale' : 'report-body'} aria-busy={report.state === 'loading'} data-testid="report-body" data-report={shown.report}>
          <ReportView report={shown} ctx={ctx} />
        </div>
      ) : null}
    </div>
  );
}

function Filters({
  filters,
  channels,
  owners,
  ctx,
  update,
}: {
  filters: ReportFilterState;
  channels: ChannelList['items'];
  owners: Owner[];
  ctx: ChartContext;
  update: (patch: Partial<ReportFilterState>) => void;
}) {
  const { t, fmt } = ctx;
  const auto = autoInterval(periodDays(filters.from, filters.to));
  const toggle = (list: string[], value: string) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  // Channels chosen in a link that no customer has (any more) stay visible, so they can be cleared.
  const listed = [...channels, ...filters.channels.filter((c) => !channels.some((x) => x.channel === c)).map((channel) => ({ channel, customers: 0 }))];
  const ownerName = (id: string) => (id === 'none' ? t('reports.unassigned') : (owners.find((o) => o.id === id)?.name ?? id));
  const ownerIds = ['none', ...owners.map((o) => o.id), ...filters.owners.filter((o) => o !== 'none' && !owners.some((x) => x.id === o))];

  return (
    <div className="report-filters" data-testid="reports-filters">
      <div className="report-segmented" role="group" aria-label={t('reports.filters.period')}>
        {RANGE_PRESETS.map((r) => (
          <button key={r} className={filters.range === r ? 'active' : ''} aria-pressed={filters.range === r} onClick={() => update({ range: r })} data-testid={`reports-range-${r}`}>
            {t(`reports.filters.last`, { count: Number(r.slice(0, -1)) })}
          </button>
        ))}
        <button
          className={filters.range === 'custom' ? 'active' : ''}
          aria-pressed={filters.range === 'custom'}
          onClick={() => update({ range: 'custom' })}
          data-testid="reports-range-custom"
        >
          {t('reports.filters.custom')}
        </button>
      </div>
      {filters.range === 'custom' ? (
        <div className="report-date-range">
          <label>
            <span className="visually-hidden">{t('reports.filters.from')}</span>
            <input type="date" value={filters.from} max={filters.to} onChange={(e) => update({ from: e.target.value })} data-testid="reports-from" />
          </label>
          <span className="muted">–</span>
          <label>
            <span className="visually-hidden">{t('reports.filters.to')}</span>
            <input type="date" value={filters.to} min={filters.from} onChange={(e) => update({ to: e.target.value })} data-testid="reports-to" />
          </label>
        </div>
      ) : (
        <span className="muted small" data-testid="reports-period">
          {fmt.periodLong(filters.from, 'day')} – {fmt.periodLong(filters.to, 'day')}
        </span>
      )}
      <span className="spacer" />
      <label className="report-filter-field">
        <span>{t('reports.filters.interval')}</span>
        <select
          value={filters.interval ?? ''}
          onChange={(e) => update({ interval: (e.target.value || null) as ReportFilterState['interval'] })}
          data-testid="reports-interval"
        >
          <option value="">{t('reports.filters.auto', { interval: t(`reports.interval.${auto}`) })}</option>
          {INTERVALS.map((i) => (
            <option key={i} value={i}>
              {t(`reports.interval.${i}`)}
            </option>
          ))}
        </select>
      </label>
      <MultiPicker
        name="channels"
        label={t('reports.filters.channels')}
        summary={filters.channels.length ? filters.channels.map(ctx.channelName).join(', ') : t('reports.filters.allChannels')}
        active={filters.channels.length > 0}
      >
        <button className="btn ghost small" disabled={!filters.channels.length} onClick={() => update({ channels: [] })} data-testid="reports-channels-all">
          {t('reports.filters.allChannels')}
        </button>
        {listed.length === 0 ? <p className="muted small">{t('reports.filters.noChannels')}</p> : null}
        {listed.map(({ channel, customers }) => (
          <label key={channel} className="report-picker-option">
            <input
              type="checkbox"
              checked={filters.channels.includes(channel)}
              onChange={() => update({ channels: toggle(filters.channels, channel) })}
              data-testid={`reports-channel-${channel}`}
            />
            <span className="report-swatch" style={{ background: ctx.color(channel) }} />
            <span className="report-picker-name">{ctx.channelName(channel)}</span>
            <span className="muted small">{fmt.count(customers)}</span>
          </label>
        ))}
      </MultiPicker>
      <MultiPicker
        name="owners"
        label={t('reports.filters.owners')}
        summary={filters.owners.length ? filters.owners.map(ownerName).join(', ') : t('reports.filters.allOwners')}
        active={filters.owners.length > 0}
      >
        <button className="btn ghost small" disabled={!filters.owners.length} onClick={() => update({ owners: [] })} data-testid="reports-owners-all">
          {t('reports.filters.allOwners')}
        </button>
        {ownerIds.map((id) => (
          <label key={id} className="report-picker-option">
            <input type="checkbox" checked={filters.owners.includes(id)} onChange={() => update({ owners: toggle(filters.owners, id) })} data-testid={`reports-owner-${id}`} />
            <span className={id === 'none' ? 'report-picker-name muted' : 'report-picker-name'}>{ownerName(id)}</span>
          </label>
        ))}
      </MultiPicker>
    </div>
  );
}

/** A drop-down of checkboxes; closes on a click outside or Escape. */
function MultiPicker({ name, label, summary, active, children }: { name: string; label: string; summary: string; active: boolean; children: ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const close = (e: Event) => {
      const el = ref.current;
      if (!el?.open) return;
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !el.contains(e.target as Node)) el.open = false;
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, []);
  return (
    <details ref={ref} className={active ? 'report-picker active' : 'report-picker'} data-testid={`reports-${name}`}>
      <summary className="btn" data-testid={`reports-${name}-toggle`}>
        <span className="muted">{label}:</span> <span className="report-picker-summary">{summary}</span> <span aria-hidden>▾</span>
      </summary>
      <div className="report-picker-menu card">{children}</div>
    </details>
  );
}

function ReportView({ report, ctx }: { report: Report; ctx: ChartContext }) {
  switch (report.report) {
    case 'leads':
      return <LeadsView r={report} ctx={ctx} />;
    case 'conversion':
      return <ConversionView r={report} ctx={ctx} />;
    case 'first-contact':
      return <FirstContactView r={report} ctx={ctx} />;
    case 'revenue':
      return <RevenueView r={report} ctx={ctx} />;
    case 'funnel':
      return <FunnelView r={report} ctx={ctx} />;
    case 'lifecycle':
      return <LifecycleView r={report} ctx={ctx} />;
  }
}

function LeadsView({ r, ctx }: { r: LeadsReport; ctx: ChartContext }) {
  const { t, fmt } = ctx;
  const option = useMemo(() => leadsChart(r, ctx), [r, ctx]);
  return (
    <>
      <Kpis items={leadsKpis(r, ctx)} />
      <ChartCard name="leads" option={option} ctx={ctx} empty={r.totals.leads === 0} />
      <div className="report-tables">
        <Breakdown
          title={t('reports.table.byChannel')}
          testId="reports-table"
          head={[t('reports.col.channel'), t('reports.col.leads'), t('reports.col.share')]}
          rows={r.byChannel.map((c) => ({ key: c.channel, cells: [<ChannelCell key="c" channel={c.channel} ctx={ctx} />, fmt.count(c.leads), fmt.percent(c.leads / r.totals.leads)] }))}
          total={[t('reports.col.total'), fmt.count(r.totals.leads), r.totals.leads ? fmt.percent(1) : '—']}
        />
        <Breakdown
          title={t('reports.table.byCampaign')}
          testId="reports-campaigns"
          head={[t('reports.col.campaign'), t('reports.col.channel'), t('reports.col.leads')]}
          rows={r.byCampaign.map((c) => ({
            key: `${c.channel}:${c.campaign ?? ''}`,
            cells: [
              c.campaign === null ? <span className="muted">{t('reports.noCampaign')}</span> : c.campaignName && c.campaignName !== c.campaign ? `${c.campaignName} (${c.campaign})` : c.campaign,
              <ChannelCell key="c" channel={c.channel} ctx={ctx} />,
              fmt.count(c.leads),
            ],
          }))}
        />
      </div>
    </>
  );
}

function ConversionView({ r, ctx }: { r: ConversionReport; ctx: ChartContext }) {
  const { t, fmt } = ctx;
  const option = useMemo(() => conversionChart(r, ctx), [r, ctx]);
  const row = (s: ConversionReport['totals']) => [fmt.count(s.leads), fmt.count(s.converted), fmt.percent(s.rate), fmt.days(s.medianDaysToConvert)];
  return (
    <>
      <Kpis items={conversionKpis(r, ctx)} />
      <ChartCard name="conversion" option={option} ctx={ctx} empty={r.totals.leads === 0} />
      <Breakdown
        title={t('reports.table.byChannel')}
        testId="reports-table"
        head={[t('reports.col.channel'), t('reports.col.leads'), t('reports.col.converted'), t('reports.col.rate'), t('reports.col.medianDays')]}
        rows={r.byChannel.map((c) => ({ key: c.channel, cells: [<ChannelCell key="c" channel={c.channel} ctx={ctx} />, ...row(c)] }))}
        total={[t('reports.col.total'), ...row(r.totals)]}
      />
    </>
  );
}

function FirstContactView({ r, ctx }: { r: FirstContactReport; ctx: ChartContext }) {
  const { t, fmt } = ctx;
  const option = useMemo(() => firstContactChart(r, ctx), [r, ctx]);
  const head = [t('reports.col.customers'), t('reports.col.contacted'), t('reports.col.uncontacted'), t('reports.col.medianHours'), t('reports.col.p90Hours')];
  const row = (s: FirstContactReport['totals']) => [fmt.count(s.customers), fmt.count(s.contacted), fmt.count(s.uncontacted), fmt.hours(s.medianHours), fmt.hours(s.p90Hours)];
  return (
    <>
      <Kpis items={firstContactKpis(r, ctx)} />
      <ChartCard name="first-contact" option={option} ctx={ctx} empty={r.totals.contacted === 0} emptyKey={r.totals.customers ? 'reports.empty.noContact' : undefined} />
      <div className="report-tables single">
        <Breakdown
          title={t('reports.table.byChannel')}
          testId="reports-table"
          head={[t('reports.col.channel'), ...head]}
          rows={r.byChannel.map((c) => ({ key: c.channel, cells: [<ChannelCell key="c" channel={c.channel} ctx={ctx} />, ...row(c)] }))}
          total={[t('reports.col.total'), ...row(r.totals)]}
        />
        <Breakdown
          title={t('reports.table.byOwner')}
          testId="reports-owners"
          head={[t('reports.col.owner'), ...head]}
          rows={r.byOwner.map((o) => ({
            key: o.ownerId ?? '',
            cells: [o.ownerId === null ? <span className="muted">{t('reports.unassigned')}</span> : (o.ownerName ?? o.ownerId), ...row(o)],
          }))}
        />
      </div>
    </>
  );
}

function RevenueView({ r, ctx }: { r: RevenueReport; ctx: ChartContext }) {
  const { t, fmt } = ctx;
  const currencies = revenueCurrencies(r);
  const [picked, setPicked] = useState<string | null>(null);
  const currency = currencies.includes(picked) ? picked : (currencies[0] ?? null);
  const option = useMemo(() => revenueChart(r, currency, ctx), [r, currency, ctx]);
  const rows = r.byChannel.filter((c) => c.currency === currency);
  const totals = r.totals.find((x) => x.currency === currency);
  return (
    <>
      {currencies.length > 1 ? (
        <label className="report-filter-field report-currency-pick">
          <span>{t('reports.currency')}</span>
          <select value={currency ?? ''} onChange={(e) => setPicked(e.target.value || null)} data-testid="reports-currency">
            {currencies.map((c) => (
              <option key={c ?? ''} value={c ?? ''}>
                {c ?? t('reports.noCurrency')}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <Kpis items={revenueKpis(r, currency, ctx)} />
      <ChartCard name="revenue" option={option} ctx={ctx} empty={r.totals.length === 0} />
      <Breakdown
        title={t('reports.table.byChannel')}
        testId="reports-table"
        head={[t('reports.col.channel'), t('reports.col.orders'), t('reports.col.buyers'), t('reports.col.gross'), t('reports.col.refunds'), t('reports.col.net')]}
        rows={rows.map((c) => ({
          key: c.channel,
          cells: [<ChannelCell key="c" channel={c.channel} ctx={ctx} />, fmt.count(c.orders), fmt.count(c.customers), fmt.money(c.gross, currency), fmt.money(c.refunds, currency), fmt.money(c.net, currency)],
        }))}
        total={
          totals
            ? [t('reports.col.total'), fmt.count(totals.orders), fmt.count(rows.reduce((n, c) => n + c.customers, 0)), fmt.money(totals.gross, currency), fmt.money(totals.refunds, currency), fmt.money(totals.net, currency)]
            : undefined
        }
      />
    </>
  );
}

function FunnelView({ r, ctx }: { r: FunnelReport; ctx: ChartContext }) {
  const { t, fmt } = ctx;
  const option = useMemo(() => funnelChart(r, ctx), [r, ctx]);
  const stage = (s: string | null) => (s === null ? '—' : t(`reports.stage.${s}`, { defaultValue: s }));
  return (
    <>
      <Kpis items={funnelKpis(r, ctx)} />
      <ChartCard name="funnel" option={option} ctx={ctx} empty={r.steps.every((s) => s.customers === 0)} height={300} />
      <div className="report-tables">
        <Breakdown
          title={t('reports.table.steps')}
          testId="reports-table"
          head={[t('reports.col.stage'), t('reports.col.customers'), t('reports.col.fromPrevious')]}
          rows={r.steps.map((s) => ({ key: s.stage, cells: [stage(s.stage), fmt.count(s.customers), fmt.percent(s.rateFromPrevious)] }))}
        />
        <Breakdown
          title={t('reports.table.stagesNow')}
          testId="reports-stages"
          head={[t('reports.col.stage'), t('reports.col.customers')]}
          rows={r.stages.map((s) => ({ key: s.stage, cells: [stage(s.stage), fmt.count(s.customers)] }))}
        />
        <Breakdown
          title={t('reports.table.transitions')}
          testId="reports-transitions"
          head={[t('reports.col.from'), t('reports.col.to'), t('reports.col.customers')]}
          rows={r.transitions.map((x) => ({ key: `${x.from}>${x.to}`, cells: [stage(x.from), stage(x.to), fmt.count(x.customers)] }))}
        />
      </div>
    </>
  );
}

function LifecycleView({ r, ctx }: { r: LifecycleReport; ctx: ChartContext }) {
  const option = useMemo(() => lifecycleChart(r, ctx), [r, ctx]);
  const { totals } = r;
  const empty = totals.new + totals.active + totals.dormant + totals.churned + totals.becameChurned === 0;
  // Per bucket is the whole story here: the table is open under the chart.
  return (
    <>
      <Kpis items={lifecycleKpis(r, ctx)} />
      <ChartCard name="lifecycle" option={option} ctx={ctx} empty={empty} tableOpen />
    </>
  );
}

function Kpis({ items }: { items: Kpi[] }) {
  return (
    <div className="report-kpis">
      {items.map((k) => (
        <div key={k.id} className="report-kpi card" data-testid={`reports-kpi-${k.id}`}>
          <div className="report-kpi-label">{k.label}</div>
          <div className="report-kpi-value">{k.value}</div>
          {k.hint ? <div className="report-kpi-hint muted small">{k.hint}</div> : null}
        </div>
      ))}
    </div>
  );
}

/** The report's chart with a Chart / Table switch (the table holds the chart's exact numbers). */
function ChartCard({
  name,
  option,
  ctx,
  empty,
  emptyKey,
  height = 320,
  tableOpen = false,
}: {
  name: ReportName;
  option: ChartOption;
  ctx: ChartContext;
  empty: boolean;
  emptyKey?: string;
  height?: number;
  tableOpen?: boolean;
}) {
  const { t, fmt } = ctx;
  const [mode, setMode] = useState<'chart' | 'table'>('chart');
  const table = useMemo(() => chartTable(option, fmt), [option, fmt]);
  const title = t(`reports.view.${name}.title`);
  const showTable = mode === 'table' || tableOpen;
  return (
    <section className="report-chart-card card" data-testid="reports-chart-card">
      <header>
        <div>
          <h2>{title}</h2>
          <p className="muted small">{t(`reports.view.${name}.description`)}</p>
        </div>
        {!tableOpen && !empty ? (
          <div className="report-segmented small" role="group" aria-label={t('reports.display')}>
            {(['chart', 'table'] as const).map((m) => (
              <button key={m} className={mode === m ? 'active' : ''} aria-pressed={mode === m} onClick={() => setMode(m)} data-testid={`reports-show-${m}`}>
                {t(`reports.show.${m}`)}
              </button>
            ))}
          </div>
        ) : null}
      </header>
      {empty ? (
        <div className="report-chart-empty" data-testid="reports-empty">
          <p>{t(emptyKey ?? `reports.empty.${name}`)}</p>
          <p className="muted small">{t('reports.empty.hint')}</p>
        </div>
      ) : (
        <>
          {mode === 'chart' ? <Chart option={option} label={title} height={height} testId="reports-chart" /> : null}
          {showTable ? (
            <div className="report-chart-table-wrap">
              <table className="table compact" data-testid="reports-chart-table">
                <thead>
                  <tr>
                    {table.columns.map((c, i) => (
                      <th key={i} className={i ? 'num' : ''}>
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {table.rows.map((row, i) => (
                    <tr key={i}>
                      {row.map((cell, j) => (
                        <td key={j} className={j ? 'num' : ''}>
                          {cell}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}

/** A breakdown table: the first column is the label, the others numbers (right-aligned); an optional total row. */
function Breakdown({ title, head, rows, total, testId }: { title: string; head: string[]; rows: { key: string; cells: ReactNode[] }[]; total?: ReactNode[]; testId: string }) {
  const { t } = useTranslation();
  return (
    <section className="report-breakdown">
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted small">{t('reports.noRows')}</p>
      ) : (
        <table className="table compact" data-testid={testId}>
          <thead>
            <tr>
              {head.map((h, i) => (
                <th key={i} className={i ? 'num' : ''}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-testid={`${testId}-row-${r.key}`}>
                {r.cells.map((c, i) => (
                  <td key={i} className={i ? 'num' : ''}>
                    {c}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          {total ? (
            <tfoot>
              <tr data-testid={`${testId}-total`}>
                {total.map((c, i) => (
                  <td key={i} className={i ? 'num' : ''}>
                    {c}
                  </td>
                ))}
              </tr>
            </tfoot>
          ) : null}
        </table>
      )}
    </section>
  );
}

function ChannelCell({ channel, ctx }: { channel: string; ctx: ChartContext }) {
  return (
    <span className="report-channel-cell">
      <span className="report-swatch" style={{ background: ctx.color(channel) }} />
      {ctx.channelName(channel)}
    </span>
  );
}
