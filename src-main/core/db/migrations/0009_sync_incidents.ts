import type { Migration } from '../migrate';

/**
 * The team shares its incidents and their timelines (core/sync/engine/synced-tables.ts), so an acknowledgement on one
 * laptop tells the others someone is on it. Two laptops offline can both open an incident for the same rule and
 * subject: "one unresolved incident per rule and subject" becomes a plain index, and the incidents service shows such
 * twins as one (core/health/incident-twins.ts).
 *
 * Per-column last-writer-wins can leave a resolved incident with the status of an acknowledgement made elsewhere
 * before the news of its end arrived: an incident with an end stays resolved. Every laptop applies this rule to the
 * same cells, so they all agree without sending anything.
 */
export const syncIncidents: Migration = {
  version: 9,
  name: 'sync_incidents',
  sql: `
    DROP INDEX incidents_one_open;
    CREATE INDEX incidents_unresolved ON incidents (server_id, rule_id, subject) WHERE status <> 'resolved';

    CREATE TRIGGER incidents_ended_stay_resolved AFTER UPDATE ON incidents
      WHEN NEW.resolved_at IS NOT NULL AND NEW.status <> 'resolved'
      BEGIN UPDATE incidents SET status = 'resolved' WHERE id = NEW.id; END;
    CREATE TRIGGER incidents_arrive_resolved AFTER INSERT ON incidents
      WHEN NEW.resolved_at IS NOT NULL AND NEW.status <> 'resolved'
      BEGIN UPDATE incidents SET status = 'resolved' WHERE id = NEW.id; END;
  `,
};
