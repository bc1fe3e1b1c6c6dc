import { useEffect, useMemo, useState } from 'react';

/** How many line colours metrics.css defines (`--chart-0` …); more lines reuse them in turn. */
export const CHART_COLOURS = 6;

const DARK = '(prefers-color-scheme: dark)';

/**
 * The chart colours of the current theme, read from metrics.css: recharts takes colours as attributes, and an
 * attribute cannot hold `var(--x)`. Read again when the system switches between light and dark.
 */
export function useChartColours(): string[] {
  const [dark, setDark] = useState(() => window.matchMedia(DARK).matches);
  useEffect(() => {
    const query = window.matchMedia(DARK);
    const listener = (event: MediaQueryListEvent) => setDark(event.matches);
    query.addEventListener('change', listener);
    return () => query.removeEventListener('change', listener);
  }, []);
  return useMemo(() => {
    const style = getComputedStyle(document.documentElement);
    // `dark` is what the variables depend on: read them again when it changes.
    return Array.from({ length: CHART_COLOURS }, (_, i) => style.getPropertyValue(`--chart-${i}`).trim() || (dark ? '#9bb0ff' : '#3a5bd9'));
  }, [dark]);
}

export const colourOf = (colours: string[], index: number): string => colours[index % colours.length] ?? '#3a5bd9';
