import { describe, expect, it } from 'vitest';
import type { MetricName, SeriesInfo } from '../../../src-main/contract';
import { chartKeys, chartSpecs } from './chart-specs';

const info = (metric: MetricName, subject = ''): SeriesInfo => ({ key: subject ? `${metric}:${subject}` : metric, metric, subject, unit: 'percent' });

describe('chartSpecs', () => {
  it('draws one chart per kind, per mount (root first), per interface and per disk', () => {
    const specs = chartSpecs([
      info('cpu.user'), info('cpu.system'), info('load.1'), info('mem.used'), info('mem.available'),
      info('fs.used', '/var'), info('fs.avail', '/var'), info('fs.used', '/'), info('fs.avail', '/'),
      info('net.rx', 'eth0'), info('net.tx', 'eth0'), info('disk.read', 'sda'), info('disk.write', 'sda'), info('disk.util', 'sda'), info('disk.util', 'sdb'),
    ]);
    expect(specs.map((s) => s.id)).toEqual(['cpu', 'load', 'memory', 'disk:/', 'disk:/var', 'net:eth0', 'io:sda', 'util']);
    expect(chartKeys(specs.find((s) => s.id === 'disk:/var')!)).toEqual(['fs.used:/var', 'fs.avail:/var']);
    expect(chartKeys(specs.find((s) => s.id === 'memory')!)).toEqual(['mem.used', 'mem.available']);
    expect(specs.find((s) => s.id === 'util')!.lines.map((l) => l.subject)).toEqual(['sda', 'sdb']);
    expect(specs.find((s) => s.id === 'cpu')!.stacked).toBe(true);
  });

  it('has no chart before the first sweep', () => {
    expect(chartSpecs([])).toEqual([]);
  });
});
