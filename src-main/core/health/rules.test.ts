import { describe, expect, it } from 'vitest';
import { advance, DEFAULT_RULES, evaluate, FRESH, mergeRules, type CheckProgress, type HealthFacts } from './rules';

/** Runs a sequence of sweeps (true = failing) and says at which steps the check fired and cleared. */
function run(sequence: boolean[], setting = { failAfter: 2, clearAfter: 2 }) {
  let progress: CheckProgress = FRESH;
  const fired: number[] = [];
  const cleared: number[] = [];
  sequence.forEach((failing, i) => {
    const step = advance(progress, failing, setting);
    progress = step.progress;
    if (step.fire) fired.push(i);
    if (step.clear) cleared.push(i);
  });
  return { fired, cleared, state: progress.state };
}

/** A small deterministic generator, so the property runs the same every time. */
function* randomSequences(count: number, length: number): Generator<boolean[]> {
  let seed = 42;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let n = 0; n < count; n++) yield Array.from({ length }, () => next() < 0.5);
}

describe('rule state machine', () => {
  it('fires after failAfter consecutive failures and clears after clearAfter consecutive passes', () => {
    expect(run([true, true, false, false])).toEqual({ fired: [1], cleared: [3], state: 'ok' });
    expect(run([true, false, true, false, true])).toEqual({ fired: [], cleared: [], state: 'ok' });
    expect(run([true], { failAfter: 1, clearAfter: 1 })).toEqual({ fired: [0], cleared: [], state: 'failing' });
  });

  it('does not fire or clear on every sweep when the value flaps', () => {
    // Fired, then alternating: never two passes in a row, so it stays fired and quiet.
    expect(run([true, true, false, true, false, true, false, true])).toEqual({ fired: [1], cleared: [], state: 'failing' });
  });

  it('property: fire and clear alternate, and each is preceded by the required streak', () => {
    for (const setting of [{ failAfter: 1, clearAfter: 1 }, { failAfter: 2, clearAfter: 2 }, { failAfter: 3, clearAfter: 2 }]) {
      for (const seq of randomSequences(300, 40)) {
        const { fired, cleared } = run(seq, setting);
        const events = [...fired.map((i) => ({ i, kind: 'fire' })), ...cleared.map((i) => ({ i, kind: 'clear' }))].sort((a, b) => a.i - b.i);
        events.forEach((e, k) => {
          expect(e.kind).toBe(k % 2 === 0 ? 'fire' : 'clear');
          const need = e.kind === 'fire' ? setting.failAfter : setting.clearAfter;
          const streak = seq.slice(e.i - need + 1, e.i + 1);
          expect(streak).toHaveLength(need);
          expect(streak.every((failing) => failing === (e.kind === 'fire'))).toBe(true);
        });
        // Never more transitions than the number of streak changes allow.
        expect(events.length).toBeLessThanOrEqual(seq.filter((f, i) => i > 0 && f !== seq[i - 1]).length + 1);
      }
    }
  });
});

const facts = (overrides: Partial<HealthFacts> = {}): HealthFacts => ({
  memoryPercent: 40,
  loadPerCore: 0.5,
  filesystems: [{ mount: '/', usedPercent: 50, inodesPercent: 10 }],
  failedUnits: [],
  rebootRequired: false,
  services: [],
  ...overrides,
});

describe('evaluate', () => {
  it('judges thresholds per subject with the merged settings', () => {
    const rules = mergeRules({ disk_space: { ...DEFAULT_RULES.disk_space, threshold: 80 } });
    const observations = evaluate(
      facts({ filesystems: [{ mount: '/', usedPercent: 85, inodesPercent: 95 }, { mount: '/srv', usedPercent: 10, inodesPercent: null }], memoryPercent: 96 }),
      [{ serviceId: 's1', ok: false, status: 502, latencyMs: 4, error: 'http_status', tlsDaysLeft: 3 }],
      null,
      rules,
    );
    const failing = observations.filter((o) => o.failing).map((o) => `${o.ruleId}:${o.subject}`);
    expect(failing.sort()).toEqual(['disk_inodes:/', 'disk_space:/', 'http_failing:s1', 'memory:', 'tls_expiring:s1']);
    expect(observations.find((o) => o.ruleId === 'disk_space' && o.subject === '/srv')?.failing).toBe(false);
    expect(observations.find((o) => o.ruleId === 'http_failing')?.errorCode).toBe('http_status');
  });

  it('an unreachable server only feeds server_unreachable and the laptop-side checks; disabled rules say nothing', () => {
    const rules = mergeRules({ http_failing: { ...DEFAULT_RULES.http_failing, enabled: false } });
    const observations = evaluate(null, [{ serviceId: 's1', ok: false, status: null, latencyMs: null, error: 'http_refused', tlsDaysLeft: null }], { code: 'ssh_timeout' }, rules);
    expect(observations).toEqual([
      { ruleId: 'server_unreachable', subject: '', serviceId: null, failing: true, value: { error: 'ssh_timeout' }, errorCode: 'ssh_timeout' },
    ]);
  });
});
