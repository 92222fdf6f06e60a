import { useEffect, useState } from 'react';

/** The hash without `#/`, split at `?`: a page may keep its view in a query (`#/reports/leads?range=7d`). */
function hashParts(): [path: string, query: string] {
  const hash = location.hash.replace(/^#\/?/, '');
  const q = hash.indexOf('?');
  return q < 0 ? [hash, ''] : [hash.slice(0, q), hash.slice(q + 1)];
}

/** Hash routes (`#/flows/lead-intake`): the API serves one index.html, so no server routes are needed. */
export function currentRoute(): string[] {
  return hashParts()[0].split('/').filter(Boolean).map(decodeURIComponent);
}

/** The query of the hash route (`#/reports?range=7d` → `range=7d`). */
export function currentQuery(): string {
  return hashParts()[1];
}

/** Replaces the hash route's query, keeping its path, without a history entry (filters change often). */
export function replaceQuery(query: URLSearchParams): void {
  const url = new URL(location.href);
  const text = query.toString();
  url.hash = '/' + hashParts()[0] + (text ? '?' + text : '');
  location.replace(url);
}

/** The hash route's query, kept current. */
export function useRouteQuery(): string {
  const [query, setQuery] = useState(currentQuery);
  useEffect(() => {
    const on = () => setQuery(currentQuery());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return query;
}

export function navigate(...parts: string[]): void {
  location.hash = '/' + parts.map(encodeURIComponent).join('/');
}

/** Like `navigate`, without a history entry (redirects). */
export function replaceRoute(...parts: string[]): void {
  const url = new URL(location.href);
  url.hash = '/' + parts.map(encodeURIComponent).join('/');
  location.replace(url);
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const on = () => setRoute(currentRoute());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
