// The on-disk layout of metrics (see migration 0004): a row key packs the server's number and the time, and a row's
// values are float32 in one blob, addressed by the series' position in the server's series list. Float32 keeps 7
// significant digits — more than a chart or a forecast can show — at half the size of a double.

/** Seconds fit below 2^34 until the year 2514. */
const KEY_SPAN = 2 ** 34;

export const rowKey = (serverNum: number, seconds: number): number => serverNum * KEY_SPAN + seconds;
export const keySeconds = (key: number): number => key % KEY_SPAN;
/** The keys of one server from `fromSeconds` (included) to `toSeconds` (excluded). */
export const keyRange = (serverNum: number, fromSeconds: number, toSeconds: number): [number, number] => [
  rowKey(serverNum, Math.max(0, fromSeconds)),
  rowKey(serverNum, Math.min(KEY_SPAN, toSeconds)),
];

const F32 = 4;

/** One sweep's values; NaN where a series was not measured. */
export function packSample(width: number, values: ReadonlyMap<number, number>): Buffer {
  const blob = Buffer.alloc(width * F32);
  for (let i = 0; i < width; i++) blob.writeFloatLE(values.get(i) ?? Number.NaN, i * F32);
  return blob;
}

/** The value of series `idx` in a sample blob, or NaN (absent, or a series added after this sample). */
export function sampleValue(blob: Buffer, idx: number): number {
  return (idx + 1) * F32 <= blob.length ? blob.readFloatLE(idx * F32) : Number.NaN;
}

/** Per series in a rollup bucket: min, max, mean, count. */
const ROLLUP_FIELDS = 4;
const ROLLUP_BYTES = ROLLUP_FIELDS * F32;

export interface RollupCell {
  min: number;
  max: number;
  mean: number;
  count: number;
}

/** Folds one sweep's values into a bucket's blob (null: the bucket's first sample), returning the new blob. */
export function foldIntoRollup(blob: Buffer | null, width: number, values: ReadonlyMap<number, number>): Buffer {
  const out = Buffer.alloc(Math.max(width, blob === null ? 0 : blob.length / ROLLUP_BYTES) * ROLLUP_BYTES);
  blob?.copy(out);
  for (const [idx, value] of values) {
    if (!Number.isFinite(value)) continue;
    const at = idx * ROLLUP_BYTES;
    const count = out.readFloatLE(at + 3 * F32);
    if (count === 0) {
      out.writeFloatLE(value, at);
      out.writeFloatLE(value, at + F32);
      out.writeFloatLE(value, at + 2 * F32);
    } else {
      out.writeFloatLE(Math.min(out.readFloatLE(at), value), at);
      out.writeFloatLE(Math.max(out.readFloatLE(at + F32), value), at + F32);
      const mean = out.readFloatLE(at + 2 * F32);
      out.writeFloatLE(mean + (value - mean) / (count + 1), at + 2 * F32);
    }
    out.writeFloatLE(count + 1, at + 3 * F32);
  }
  return out;
}

/** A whole bucket at once (bulk loads): `cells[idx]`, null where the series has no sample. */
export function packRollup(cells: readonly (RollupCell | null)[]): Buffer {
  const out = Buffer.alloc(cells.length * ROLLUP_BYTES);
  cells.forEach((cell, idx) => {
    if (cell === null) return;
    const at = idx * ROLLUP_BYTES;
    out.writeFloatLE(cell.min, at);
    out.writeFloatLE(cell.max, at + F32);
    out.writeFloatLE(cell.mean, at + 2 * F32);
    out.writeFloatLE(cell.count, at + 3 * F32);
  });
  return out;
}

/** Series `idx` of a rollup bucket, or null when it has no sample there. */
export function rollupCell(blob: Buffer, idx: number): RollupCell | null {
  const at = idx * ROLLUP_BYTES;
  if (at + ROLLUP_BYTES > blob.length) return null;
  const count = blob.readFloatLE(at + 3 * F32);
  if (count === 0) return null;
  return { min: blob.readFloatLE(at), max: blob.readFloatLE(at + F32), mean: blob.readFloatLE(at + 2 * F32), count };
}
