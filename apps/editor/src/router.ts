import { useEffect, useState } from 'react';

/** Hash routes (`#/flows/lead-intake`): the API serves one index.html, so no server routes are needed. */
export function currentRoute(): string[] {
  return location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
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
