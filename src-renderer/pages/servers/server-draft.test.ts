import { describe, expect, it } from 'vitest';
import type { Server } from '../../../src-main/contract';
import { serverInputSchema } from '../../../src-main/contract/servers';
import { EMPTY_SERVER_DRAFT, draftToInput, emptyService, parseTags, serverToDraft } from './server-draft';

const server: Server = {
  id: 'a0000000-0000-4000-8000-000000000001',
  name: 'garage-1',
  host: '127.0.0.1',
  port: 2222,
  username: 'admin',
  auth: { kind: 'key', keyPath: '/home/camille/.ssh/id_ed25519', passphrase: { kind: 'env', name: 'PAD_KEY' } },
  tags: ['production', 'garage'],
  notes: 'In the garage.',
  sweepIntervalSeconds: 60,
  services: [
    { id: 'b0000000-0000-4000-8000-000000000002', serverId: 'a0000000-0000-4000-8000-000000000001', name: 'Etherpad', kind: 'etherpad', url: 'https://pad.example.org/', expectText: 'Etherpad', unit: 'etherpad.service', process: null, port: 9001 },
  ],
  hostKey: null,
  maintenanceUntil: null,
  createdAt: '2026-03-12T10:00:00.000Z',
  updatedAt: '2026-03-12T10:00:00.000Z',
};

describe('server draft', () => {
  it('gives back what the server holds, so editing without changes saves the same server', () => {
    const input = serverInputSchema.parse(draftToInput(serverToDraft(server)));
    const { id: _id, hostKey: _key, maintenanceUntil: _m, createdAt: _c, updatedAt: _u, ...expected } = server;
    expect(input).toEqual({ ...expected, services: expected.services.map(({ serverId: _s, ...service }) => service) });
  });

  it('leaves empty service fields out and refuses numbers that are not numbers', () => {
    const draft = { ...EMPTY_SERVER_DRAFT, name: 'x', host: 'example.org', username: 'root', keyPath: '/k', services: [{ ...emptyService(), name: 'Site' }] };
    expect(draftToInput(draft).services?.[0]).toMatchObject({ unit: null, process: null, port: null, url: '' });
    expect(serverInputSchema.safeParse(draftToInput(draft)).success).toBe(true);
    expect(serverInputSchema.safeParse(draftToInput({ ...draft, port: '22a' })).success).toBe(false);
  });

  it('reads tags separated by commas, without blanks or repeats', () => {
    expect(parseTags(' production, garage,, production ,')).toEqual(['production', 'garage']);
  });
});
