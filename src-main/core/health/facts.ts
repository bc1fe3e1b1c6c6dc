// From the probe's sample and the metrics derived against the previous one to what the rules and the fleet read.
import type { Service } from '../../contract';
import type { DerivedMetrics } from './probe/probe-delta';
import type { ProbeSample, ServiceSample } from './probe/parse-probe';
import type { HealthFacts, ObservedValue } from './rules';
import type { SweepMetrics } from './summary';

/** Services with something to look at on the server itself (the URL is checked from the laptop). */
export const probedServices = (services: Service[]): Service[] =>
  services.filter((s) => s.unit !== null || s.process !== null || s.port !== null);

const round1 = (n: number): number => Math.round(n * 10) / 10;

export function healthFacts(sample: ProbeSample, metrics: DerivedMetrics, services: Service[]): HealthFacts {
  const samples = new Map(sample.services.map((s) => [s.id, s]));
  return {
    memoryPercent: round1(metrics.memoryUsedPct),
    // Without a CPU count (an unusual /proc) the load per core is unknown, and the rule waits.
    loadPerCore: sample.cpuCount && sample.load ? round1(sample.load.one / sample.cpuCount) : null,
    filesystems: metrics.filesystems.map((fs) => ({
      mount: fs.mount,
      usedPercent: fs.usedPct === null ? null : round1(fs.usedPct),
      inodesPercent: fs.inodesUsedPct === null ? null : round1(fs.inodesUsedPct),
    })),
    failedUnits: sample.failedUnits,
    rebootRequired: sample.rebootRequired,
    services: probedServices(services).map((s) => serviceFact(s.id, samples.get(s.id))),
  };
}

/** Active when every declared check that could be made passed; `why` names the first one that did not. */
function serviceFact(serviceId: string, sample: ServiceSample | undefined): HealthFacts['services'][number] {
  if (sample === undefined) return { serviceId, active: false, why: 'probe_service_missing', value: {} };
  const value: ObservedValue = {
    unit: sample.unitState,
    process: sample.processPresent,
    port: sample.portListening,
  };
  const why =
    sample.unitActive === false ? 'unit_inactive' : sample.processPresent === false ? 'process_missing' : sample.portListening === false ? 'port_closed' : null;
  return { serviceId, active: why === null, why, value };
}

export function sweepMetrics(metrics: DerivedMetrics, cpuCount: number | null): SweepMetrics {
  const disks = metrics.filesystems.map((fs) => fs.usedPct).filter((p) => p !== null);
  return {
    cpuPercent: metrics.cpu === null ? null : round1(metrics.cpu.busy),
    memoryPercent: round1(metrics.memoryUsedPct),
    diskPercent: disks.length === 0 ? null : round1(Math.max(...disks)),
    cpuCount,
  };
}
