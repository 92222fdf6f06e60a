// Pure: from a report's answer to what the page shows (ECharts options, key figures, formatted
// numbers). No DOM and no echarts runtime here, so it is unit-tested on plain answers.
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type {
  ConversionReport,
  FirstContactReport,
  FunnelReport,
  LeadsReport,
  LifecycleReport,
  ReportInterval,
  RevenueFigures,
  RevenueReport,
} from './report.types.js';

export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;
export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The colours of styles.css (accent first, then the node category colours), one per series. */
export const PALETTE = ['#0f766e', '#2f6fed', '#f08c00', '#7c4dff', '#d6336c', '#0b8ea3', '#5c7080', '#1f8a4c', '#b7791f', '#d33a3a'];
const TEXT = '#1c2230';
const TEXT_2 = '#5b6476';
const TEXT_3 = '#8a93a3';
const BORDER = '#e2e5ea';
const MUTED_BAR = '#c9ced6';
/** A line shows a dot per point up to this many points; past it, only on hover. */
const DOTS_UP_TO = 16;
const FONT = "Inter, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', system-ui, sans-serif";

/** Numbers, money, durations and bucket dates in the page's language. */
export interface Formats {
  count(n: number): string;
  percent(ratio: number | null): string;
  /** Hours as a duration (minutes below one hour). */
  hours(h: number | null): string;
  days(d: number | null): string;
  /** A decimal string of the API in its currency (null: a plain number with two decimals). */
  money(amount: string, currency: string | null): string;
  /** An axis label of money: compact (¥1.2K, ¥1.2万). */
  moneyShort(amount: number, currency: string | null): string;
  /** A bucket's local date (YYYY-MM-DD) for an axis: short. */
  period(period: string, interval: ReportInterval): string;
  /** The same, in full (tables and tooltips): a week names its first day. */
  periodLong(period: string, interval: ReportInterval): string;
}

export function makeFormats(lang: string, t: Translate): Formats {
  const count = new Intl.NumberFormat(lang);
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
  const hours = new Intl.NumberFormat(lang, { style: 'unit', unit: 'hour', unitDisplay: 'short', maximumFractionDigits: 1 });
  const minutes = new Intl.NumberFormat(lang, { style: 'unit', unit: 'minute', unitDisplay: 'short', maximumFractionDigits: 0 });
  const days = new Intl.NumberFormat(lang, { style: 'unit', unit: 'day', unitDisplay: 'short', maximumFractionDigits: 1 });
  const money = new Map<string, Intl.NumberFormat>();
  const compact = new Map<string, Intl.NumberFormat>();
  // Bucket dates are calendar dates already in the report's zone: format them as UTC so nothing shifts.
  const short = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const long = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const month = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  const dateOf = (p: string) => new Date(`${p}T00:00:00Z`);
  const cached = (cache: Map<string, Intl.NumberFormat>, currency: string | null, options: Intl.NumberFormatOptions) => {
    const key = currency ?? '';
    let f = cache.get(key);
    if (!f) {
      try {
        f = new Intl.NumberFormat(lang, currency ? { ...options, style: 'currency', currency, currencyDisplay: 'narrowSymbol' } : options);
      } catch {
        f = new Intl.NumberFormat(lang, options); // not an ISO 4217 code: the number alone
      }
      cache.set(key, f);
    }
    return f;
  };
  const dash = '—';
  return {
    count: (n) => count.format(n),
    percent: (r) => (r === null ? dash : percent.format(r)),
    // Under an hour in minutes: a call-back in 20 minutes is not "0.3 hr".
    hours: (h) => (h === null ? dash : h > 0 && h < 1 ? minutes.format(Math.max(1, Math.round(h * 60))) : hours.format(h)),
    days: (d) => (d === null ? dash : days.format(d)),
    money: (amount, currency) => cached(money, currency, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(amount)),
    moneyShort: (amount, currency) => cached(compact, currency, { notation: 'compact', maximumFractionDigits: 1 }).format(amount),
    period: (p, interval) => (interval === 'month' ? month : short).format(dateOf(p)),
    periodLong: (p, interval) =>
      interval === 'month' ? month.format(dateOf(p)) : interval === 'week' ? t('reports.weekOf', { date: long.format(dateOf(p)) }) : long.format(dateOf(p)),
  };
}

/** What the option builders need besides the report. */
export interface ChartContext {
  t: Translate;
  fmt: Formats;
  /** A channel's colour, the same in every chart. */
  color(channel: string): string;
  /** A channel's label (`unknown` is translated). */
  channelName(channel: string): string;
}

/** Stable colours: the channels in the order the API lists them (most customers first). */
export function channelColors(channels: string[]): (channel: string) => string {
  const index = new Map(channels.map((c, i) => [c, i]));
  return (channel) => {
    let i = index.get(channel);
    if (i === undefined) {
      // Not (yet) in the list: a colour from its name, stable across renders.
      i = [...channel].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7);
    }
    return PALETTE[i % PALETTE.length]!;
  };
}

export interface Kpi {
  id: string;
  label: string;
  value: string;
  hint?: string;
}

// Leads --------------------------------------------------------------------------------------

/** New customers per bucket, stacked by channel (the channels in the order of byChannel: biggest first). */
export function leadsChart(r: LeadsReport, ctx: ChartContext): ChartOption {
  const interval = r.filters.interval;
  return {
    ...frame(ctx, r.series.map((s) => s.period), interval),
    yAxis: countAxis(ctx),
    series: r.byChannel.map(({ channel }) => ({
      type: 'bar',
      name: ctx.channelName(channel),
      stack: 'leads',
      barMaxWidth: 28,
      itemStyle: { color: ctx.color(channel) },
      emphasis: { focus: 'series' },
      data: r.series.map((s) => s.byChannel[channel] ?? 0),
    })),
  };
}

export function leadsKpis(r: LeadsReport, { t, fmt, channelName }: ChartContext): Kpi[] {
  const top = r.byChannel[0];
  const days = r.series.length;
  return [
    { id: 'leads', label: t('reports.kpi.leads'), value: fmt.count(r.totals.leads) },
    { id: 'top-channel', label: t('reports.kpi.topChannel'), value: top ? channelName(top.channel) : '—', hint: top ? fmt.percent(top.leads / r.totals.leads) : undefined },
    { id: 'channels', label: t('reports.kpi.channels'), value: fmt.count(r.byChannel.length) },
    { id: 'per-bucket', label: t(`reports.kpi.per.${r.filters.interval}`), value: days ? fmt.count(Math.round((r.totals.leads / days) * 10) / 10) : '—' },
  ];
}

// Conversion ---------------------------------------------------------------------------------

/**
 * Per channel: the converted drawn over the leads (one bar, filled as far as converted), and the
 * rate as a labelled dot on its own axis (dots, not a line: channels are not a sequence).
 */
export function conversionChart(r: ConversionReport, ctx: ChartContext): ChartOption {
  const { t, fmt } = ctx;
  return {
    ...frame(ctx, r.byChannel.map((c) => ctx.channelName(c.channel))),
    yAxis: [countAxis(ctx), { type: 'value', min: 0, max: 1, axisLabel: { color: TEXT_3, formatter: (v: number) => fmt.percent(v) }, splitLine: { show: false } }],
    series: [
      { type: 'bar', name: t('reports.series.leads'), barMaxWidth: 48, itemStyle: { color: MUTED_BAR }, data: r.byChannel.map((c) => c.leads) },
      { type: 'bar', name: t('reports.series.converted'), barMaxWidth: 48, barGap: '-100%', itemStyle: { color: PALETTE[0] }, data: r.byChannel.map((c) => c.converted) },
      {
        type: 'line',
        name: t('reports.series.rate'),
        yAxisIndex: 1,
        z: 3,
        symbol: 'circle',
        symbolSize: 9,
        lineStyle: { opacity: 0 },
        itemStyle: { color: PALETTE[2] },
        label: { show: true, position: 'top', color: TEXT, fontWeight: 600, formatter: (p) => fmt.percent(p.value as number) },
        tooltip: { valueFormatter: (v) => fmt.percent(v as number) },
        data: r.byChannel.map((c) => c.rate),
      },
    ],
  };
}

export function conversionKpis(r: ConversionReport, { t, fmt }: ChartContext): Kpi[] {
  return [
    { id: 'leads', label: t('reports.kpi.cohort'), value: fmt.count(r.totals.leads) },
    { id: 'converted', label: t('reports.kpi.converted'), value: fmt.count(r.totals.converted) },
    { id: 'rate', label: t('reports.kpi.rate'), value: fmt.percent(r.totals.rate) },
    { id: 'median-days', label: t('reports.kpi.medianDays'), value: fmt.days(r.totals.medianDaysToConvert) },
  ];
}

// First contact ------------------------------------------------------------------------------

/** Per channel: median and 90th percentile hours to the first contact. */
export function firstContactChart(r: FirstContactReport, ctx: ChartContext): ChartOption {
  const { t, fmt } = ctx;
  const hours = (v: unknown) => fmt.hours(v as number | null);
  return {
    ...frame(ctx, r.byChannel.map((c) => ctx.channelName(c.channel))),
    yAxis: { ...countAxis(ctx), axisLabel: { color: TEXT_3, formatter: (v: number) => fmt.hours(v) } },
    series: [
      { type: 'bar', name: t('reports.series.medianHours'), barMaxWidth: 32, itemStyle: { color: PALETTE[0] }, tooltip: { valueFormatter: hours }, data: r.byChannel.map((c) => c.medianHours) },
      { type: 'bar', name: t('reports.series.p90Hours'), barMaxWidth: 32, itemStyle: { color: PALETTE[1] }, tooltip: { valueFormatter: hours }, data: r.byChannel.map((c) => c.p90Hours) },
    ],
  };
}

export function firstContactKpis(r: FirstContactReport, { t, fmt }: ChartContext): Kpi[] {
  const { totals } = r;
  return [
    { id: 'median', label: t('reports.kpi.medianHours'), value: fmt.hours(totals.medianHours) },
    { id: 'p90', label: t('reports.kpi.p90Hours'), value: fmt.hours(totals.p90Hours) },
    { id: 'contacted', label: t('reports.kpi.contacted'), value: fmt.count(totals.contacted), hint: totals.customers ? fmt.percent(totals.contacted / totals.customers) : undefined },
    { id: 'uncontacted', label: t('reports.kpi.uncontacted'), value: fmt.count(totals.uncontacted) },
  ];
}

// Revenue ------------------------------------------------------------------------------------

/** The currencies of a revenue report, most net first (never added together). */
export function revenueCurrencies(r: RevenueReport): (string | null)[] {
  return [...r.totals].sort((a, b) => Number(b.net) - Number(a.net)).map((x) => x.currency);
}

/** Per bucket in one currency: gross sales and refunds as bars, net as a line. */
export function revenueChart(r: RevenueReport, currency: string | null, ctx: ChartContext): ChartOption {
  const { t, fmt } = ctx;
  const interval = r.filters.interval;
  const periods = [...new Set(r.series.map((s) => s.period))];
  const of = (period: string) => r.series.find((s) => s.period === period && s.currency === currency);
  const money = (v: unknown) => fmt.money(String(v), currency);
  const pick = (k: 'gross' | 'refunds' | 'net', sign = 1) => periods.map((p) => sign * Number(of(p)?.[k] ?? 0) || 0); // never -0: it prints as -¥0.00
  return {
    ...frame(ctx, periods, interval),
    yAxis: { ...countAxis(ctx), axisLabel: { color: TEXT_3, formatter: (v: number) => fmt.moneyShort(v, currency) } },
    series: [
      { type: 'bar', name: t('reports.series.gross'), stack: 'sales', barMaxWidth: 28, itemStyle: { color: PALETTE[0] }, tooltip: { valueFormatter: money }, data: pick('gross') },
      { type: 'bar', name: t('reports.series.refunds'), stack: 'sales', barMaxWidth: 28, itemStyle: { color: PALETTE[9] }, tooltip: { valueFormatter: money }, data: pick('refunds', -1) },
      { type: 'line', name: t('reports.series.net'), symbolSize: 6, showSymbol: periods.length <= DOTS_UP_TO, itemStyle: { color: PALETTE[1] }, tooltip: { valueFormatter: money }, data: pick('net') },
    ],
  };
}

export function revenueKpis(r: RevenueReport, currency: string | null, { t, fmt }: ChartContext): Kpi[] {
  const totals: RevenueFigures = r.totals.find((x) => x.currency === currency) ?? { currency, orders: 0, gross: '0', refunds: '0', net: '0' };
  const buyers = r.byChannel.filter((c) => c.currency === currency).reduce((n, c) => n + c.customers, 0);
  return [
    { id: 'net', label: t('reports.kpi.net'), value: fmt.money(totals.net, currency) },
    { id: 'gross', label: t('reports.kpi.gross'), value: fmt.money(totals.gross, currency) },
    { id: 'refunds', label: t('reports.kpi.refunds'), value: fmt.money(totals.refunds, currency) },
    { id: 'orders', label: t('reports.kpi.orders'), value: fmt.count(totals.orders), hint: t('reports.kpi.buyers', { n: fmt.count(buyers) }) },
  ];
}

// Funnel -------------------------------------------------------------------------------------

/**
 * lead → mql → sql → customer in the period, in that order, as bars centred on one axis (a funnel
 * that stays readable when a later step outnumbers an earlier one, as moves into a stage may: a
 * tapered funnel would have to hide that). Each bar says its count and the rate from the step before.
 */
export function funnelChart(r: FunnelReport, ctx: ChartContext): ChartOption {
  const { t, fmt } = ctx;
  const max = Math.max(1, ...r.steps.map((s) => s.customers));
  const stages = r.steps.map((s) => t(`reports.stage.${s.stage}`, { defaultValue: s.stage }));
  return {
    color: PALETTE,
    textStyle: { fontFamily: FONT, color: TEXT_2 },
    animationDuration: 300,
    tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow', shadowStyle: { color: 'rgba(15, 118, 110, 0.06)' } }, textStyle: { fontFamily: FONT, color: TEXT, fontSize: 12 } },
    // Room on the right for the widest bar's label.
    grid: { left: 4, right: 88, top: 4, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: { type: 'value', max, show: false },
    yAxis: { type: 'category', inverse: true, data: stages, axisTick: { show: false }, axisLine: { show: false }, axisLabel: { color: TEXT, fontSize: 13, fontWeight: 500, margin: 16 } },
    series: [
      // The invisible half of the gap on the left centres each bar.
      { id: FUNNEL_OFFSET, type: 'bar', stack: 'funnel', silent: true, itemStyle: { color: 'transparent' }, tooltip: { show: false }, data: r.steps.map((s) => (max - s.customers) / 2) },
      {
        type: 'bar',
        name: t('reports.series.customers'),
        stack: 'funnel',
        barCategoryGap: '30%',
        label: {
          show: true,
          position: 'right',
          color: TEXT,
          fontWeight: 600,
          formatter: (p) => {
            const step = r.steps[p.dataIndex]!;
            return step.rateFromPrevious === null ? fmt.count(step.customers) : `${fmt.count(step.customers)}  ·  ${fmt.percent(step.rateFromPrevious)}`;
          },
        },
        data: r.steps.map((s, i) => ({ value: s.customers, itemStyle: { color: PALETTE[i % PALETTE.length], borderRadius: 4 } })),
      },
    ],
  };
}

/** The id of the funnel's spacer series (no numbers of its own). */
const FUNNEL_OFFSET = 'funnel-offset';

export function funnelKpis(r: FunnelReport, { t, fmt }: ChartContext): Kpi[] {
  const lead = r.steps.find((s) => s.stage === 'lead')?.customers ?? 0;
  const customer = r.steps.find((s) => s.stage === 'customer')?.customers ?? 0;
  const moves = r.transitions.reduce((n, x) => n + x.customers, 0);
  const now = r.stages.reduce((n, s) => n + s.customers, 0);
  return [
    { id: 'leads', label: t('reports.kpi.newLeads'), value: fmt.count(lead) },
    { id: 'customers', label: t('reports.kpi.newCustomers'), value: fmt.count(customer), hint: lead ? fmt.percent(customer / lead) : undefined },
    { id: 'moves', label: t('reports.kpi.moves'), value: fmt.count(moves) },
    { id: 'live', label: t('reports.kpi.liveCustomers'), value: fmt.count(now) },
  ];
}

// Lifecycle ----------------------------------------------------------------------------------

/** Per bucket: new customers as bars; active, dormant and churned as lines. */
export function lifecycleChart(r: LifecycleReport, ctx: ChartContext): ChartOption {
  const { t } = ctx;
  const line = (key: 'active' | 'dormant' | 'churned', color: string): LineSeriesOption => ({
    type: 'line',
    name: t(`reports.series.${key}`),
    symbolSize: 5,
    showSymbol: r.series.length <= DOTS_UP_TO,
    itemStyle: { color },
    data: r.series.map((s) => s[key]),
  });
  return {
    ...frame(ctx, r.series.map((s) => s.period), r.filters.interval),
    yAxis: countAxis(ctx),
    series: [
      { type: 'bar', name: t('reports.series.new'), barMaxWidth: 24, itemStyle: { color: PALETTE[0] }, data: r.series.map((s) => s.new) },
      line('active', PALETTE[1]!),
      line('dormant', PALETTE[6]!),
      line('churned', PALETTE[9]!),
    ],
  };
}

export function lifecycleKpis(r: LifecycleReport, { t, fmt }: ChartContext): Kpi[] {
  const { totals } = r;
  return [
    { id: 'new', label: t('reports.kpi.new'), value: fmt.count(totals.new) },
    { id: 'active', label: t('reports.kpi.active'), value: fmt.count(totals.active) },
    { id: 'dormant', label: t('reports.kpi.dormant'), value: fmt.count(totals.dormant) },
    { id: 'churned', label: t('reports.kpi.churned'), value: fmt.count(totals.churned), hint: t('reports.kpi.becameChurned', { n: fmt.count(totals.becameChurned) }) },
  ];
}

// Shared -------------------------------------------------------------------------------------

/** Colours, fonts, legend, tooltip, grid and the category axis (buckets formatted when `interval` is given). */
function frame(ctx: ChartContext, categories: string[], interval?: ReportInterval): ChartOption {
  const { fmt } = ctx;
  return {
    color: PALETTE,
    textStyle: { fontFamily: FONT, color: TEXT_2 },
    animationDuration: 300,
    legend: { top: 0, left: 0, icon: 'roundRect', itemWidth: 10, itemHeight: 10, itemGap: 16, textStyle: { color: TEXT_2, fontSize: 12 } },
    tooltip: {
      trigger: 'axis',
      confine: true,
      axisPointer: { type: 'shadow', shadowStyle: { color: 'rgba(15, 118, 110, 0.06)' } },
      textStyle: { fontFamily: FONT, color: TEXT, fontSize: 12 },
    },
    grid: { left: 4, right: 12, top: 44, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: {
      type: 'category',
      data: interval ? categories.map((p) => fmt.period(p, interval)) : categories,
      axisTick: { show: false },
      axisLine: { lineStyle: { color: BORDER } },
      axisLabel: { color: TEXT_3, hideOverlap: true },
    },
  };
}

function countAxis(ctx: ChartContext) {
  return {
    type: 'value' as const,
    minInterval: 1,
    axisLabel: { color: TEXT_3, formatter: (v: number) => ctx.fmt.count(v) },
    splitLine: { lineStyle: { color: BORDER, type: 'dashed' as const } },
  };
}

/** A chart's numbers as a table (the chart's accessible twin): one row per category, one column per series. */
export function chartTable(option: ChartOption, fmt: Formats): { columns: string[]; rows: string[][] } {
  const series = (([] as unknown[]).concat(option.series ?? []) as (BarSeriesOption | LineSeriesOption)[]).filter((s) => s.id !== FUNNEL_OFFSET);
  const format = (s: { tooltip?: { valueFormatter?: (v: never, i: number) => string } }, v: unknown) => {
    const value = v !== null && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v;
    return value === null || value === undefined ? '—' : s.tooltip?.valueFormatter ? s.tooltip.valueFormatter(value as never, 0) : fmt.count(Number(value));
  };
  // The categories are on whichever axis is not the value axis (the funnel lies on its side).
  const axes = [...([] as unknown[]).concat(option.xAxis ?? []), ...([] as unknown[]).concat(option.yAxis ?? [])] as { type?: string; data?: string[] }[];
  const categories = axes.find((a) => a.type === 'category')?.data ?? [];
  return {
    columns: ['', ...series.map((s) => String(s.name ?? ''))],
    rows: categories.map((c, i) => [c, ...series.map((s) => format(s as never, (s.data as unknown[] | undefined)?.[i]))]),
  };
}
