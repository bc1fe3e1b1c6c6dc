import { randomUUID } from 'node:crypto';

/** Text UUID keys let records from several laptops merge later without collisions. */
export const newId = (): string => randomUUID();
