// Backup jobs: what to back up from one server into one repository, when, and how long to keep it. Soft-deleted;
// each change one transaction with its audit entry.
import type { BackupJob, BackupJobInput } from '../../contract';
import { backupJobInputSchema } from '../../contract/backups';
import { diffFields } from '../audit/audit-log';
import { isoNow } from '../clock';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { ServersService } from '../health/servers-service';
import { newId } from '../ids';
import { RepositoriesService } from './repositories-service';
import { writeTransaction } from '../db/write-transaction';

interface JobRow {
  id: string;
  server_id: string;
  repository_id: string;
  name: string;
  spec: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

type Spec = Omit<BackupJob, 'id' | 'name' | 'serverId' | 'repositoryId' | 'createdAt' | 'updatedAt'>;

const toJob = (row: JobRow): BackupJob => ({
  id: row.id,
  name: row.name,
  serverId: row.server_id,
  repositoryId: row.repository_id,
  ...(JSON.parse(row.spec) as Spec),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

function specOf(job: ReturnType<typeof backupJobInputSchema.parse>): Spec {
  const { name: _name, serverId: _server, repositoryId: _repo, ...spec } = job;
  return spec;
}

/** The audited view: the job's settings, without its bookkeeping. */
const auditView = ({ id: _id, createdAt: _created, updatedAt: _updated, ...view }: BackupJob) => view;

export class JobsService {
  constructor(private readonly core: Core) {}

  list(serverId: string | null = null): BackupJob[] {
    const rows = this.core.db
      .prepare('select * from backup_jobs where deleted_at is null and (? is null or server_id = ?) order by name collate nocase')
      .all(serverId, serverId) as JobRow[];
    return rows.map(toJob);
  }

  get(id: string): BackupJob {
    return toJob(this.row(id));
  }

  getLive(id: string): BackupJob {
    const row = this.row(id);
    if (row.deleted_at !== null) throw new CoreError('backup_job_not_found', `Backup job ${id} was deleted.`, { id });
    return toJob(row);
  }

  create(input: BackupJobInput): BackupJob {
    const job = backupJobInputSchema.parse(input);
    return writeTransaction(this.core.db, () => {
      this.assertReferences(job.serverId, job.repositoryId, job.drill.serverId);
      this.assertNameFree(job.serverId, job.name, null);
      const id = newId();
      const now = isoNow(this.core.clock);
      this.core.db
        .prepare('insert into backup_jobs (id, server_id, repository_id, name, spec, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)')
        .run(id, job.serverId, job.repositoryId, job.name, JSON.stringify(specOf(job)), now, now);
      const created = this.get(id);
      this.core.audit.record({ entity: 'backup_job', entityId: id, action: 'create', changes: diffFields({}, auditView(created)) });
      return created;
    });
  }

  update(id: string, input: BackupJobInput): BackupJob {
    const job = backupJobInputSchema.parse(input);
    return writeTransaction(this.core.db, () => {
      const before = this.getLive(id);
      this.assertReferences(job.serverId, job.repositoryId, job.drill.serverId);
      // Two laptops may have given one name twice (a sync conflict): each copy can still be edited, or renamed.
      if (job.serverId !== before.serverId || job.name.toLowerCase() !== before.name.toLowerCase()) this.assertNameFree(job.serverId, job.name, id);
      const now = isoNow(this.core.clock);
      this.core.db
        .prepare('update backup_jobs set server_id = ?, repository_id = ?, name = ?, spec = ?, updated_at = ? where id = ?')
        .run(job.serverId, job.repositoryId, job.name, JSON.stringify(specOf(job)), now, id);
      const after = this.get(id);
      const changes = diffFields(auditView(before), auditView(after));
      if (Object.keys(changes).length > 0) this.core.audit.record({ entity: 'backup_job', entityId: id, action: 'update', changes });
      return after;
    });
  }

  /** The job's snapshots stay in the repository, and its history in Pelote. */
  delete(id: string): BackupJob {
    return writeTransaction(this.core.db, () => {
      this.getLive(id);
      const now = isoNow(this.core.clock);
      this.core.db.prepare('update backup_jobs set deleted_at = ?, updated_at = ? where id = ?').run(now, now, id);
      this.core.audit.record({ entity: 'backup_job', entityId: id, action: 'delete', changes: { deletedAt: { from: null, to: now } } });
      return this.get(id);
    });
  }

  private assertReferences(serverId: string, repositoryId: string, drillServerId: string | null): void {
    const servers = new ServersService(this.core);
    servers.getLive(serverId);
    if (drillServerId !== null) servers.getLive(drillServerId);
    new RepositoriesService(this.core).getLive(repositoryId);
  }

  private row(id: string): JobRow {
    const row = this.core.db.prepare('select * from backup_jobs where id = ?').get(id) as JobRow | undefined;
    if (!row) throw new CoreError('backup_job_not_found', `No backup job ${id}.`, { id });
    return row;
  }

  private assertNameFree(serverId: string, name: string, exceptId: string | null): void {
    const taken = this.core.db
      .prepare('select 1 from backup_jobs where deleted_at is null and server_id = ? and name = ? collate nocase and id is not ?')
      .get(serverId, name, exceptId);
    if (taken) throw new CoreError('backup_job_name_taken', `This server already has a backup job named ${name}.`, { name });
  }
}
