import { describe, expect, it } from 'vitest';
import type { DiskForecast } from '../../../src-main/contract';
import { forecastOutlook } from './forecast-text';

const fs = (overrides: Partial<DiskForecast>): DiskForecast => ({
  mount: '/',
  sizeBytes: 100e9,
  usedBytes: 50e9,
  growthBytesPerDay: 1e9,
  daysLeft: 12.4,
  historyDays: 20,
  minHistoryDays: 7,
  status: 'filling',
  ...overrides,
});

describe('forecastOutlook', () => {
  it('rounds the days left and is a danger under the rule threshold', () => {
    expect(forecastOutlook(fs({}), 14)).toEqual({ key: 'metrics.forecast.full', values: { count: 12 }, level: 'danger' });
    expect(forecastOutlook(fs({ daysLeft: 40 }), 14).level).toBe('warning');
    expect(forecastOutlook(fs({ daysLeft: 10 }), null).level).toBe('warning');
  });

  it('says within a day, more than a year, stable, or not enough history', () => {
    expect(forecastOutlook(fs({ daysLeft: 0.3 }), 14).key).toBe('metrics.forecast.fullToday');
    expect(forecastOutlook(fs({ daysLeft: 900 }), 14)).toMatchObject({ key: 'metrics.forecast.farOff', level: 'ok' });
    expect(forecastOutlook(fs({ status: 'stable', daysLeft: null, growthBytesPerDay: -2 }), 14)).toMatchObject({ key: 'metrics.forecast.stable', level: 'ok' });
    expect(forecastOutlook(fs({ status: 'insufficient_history', daysLeft: null, growthBytesPerDay: null, historyDays: 0 }), 14).key).toBe('metrics.forecast.insufficientNone');
    expect(forecastOutlook(fs({ status: 'insufficient_history', daysLeft: null, growthBytesPerDay: null, historyDays: 0.01 }), 14)).toEqual({
      key: 'metrics.forecast.insufficient',
      values: { days: 7 },
      level: 'unknown',
    });
  });
});
