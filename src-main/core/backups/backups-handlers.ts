import type { MethodName } from '../../contract';
import type { Core } from '../core';
import type { HandlersFor } from '../handler-types';
import { poolFor } from '../health/pool-for-core';
import { engineInfo, setResticPath } from './engine';
import { summarizeJob } from './job-summary';
import { JobsService } from './jobs-service';
import { operationsFor } from './operations';
import { RepositoriesService } from './repositories-service';
import { prepareRestore } from './restore-plan';
import { RunsStore } from './runs-store';
import { listSnapshots, saveSnapshotFile, snapshotFiles } from './snapshots';

type BackupMethod = Extract<MethodName, `backups.${string}`>;

export function backupsHandlers(core: Core): HandlersFor<BackupMethod> {
  const repositories = new RepositoriesService(core);
  const jobs = new JobsService(core);
  const runs = new RunsStore(core);
  const changed = (ids: { repositoryIds?: string[]; jobIds?: string[] }) =>
    core.events.emit('backups.changed', { repositoryIds: ids.repositoryIds ?? [], jobIds: ids.jobIds ?? [], runId: null });
  const repositoryChange = <T extends { id: string }>(repository: T): T => {
    changed({ repositoryIds: [repository.id] });
    return repository;
  };
  const jobChange = <T extends { id: string; repositoryId: string }>(job: T): T => {
    changed({ repositoryIds: [job.repositoryId], jobIds: [job.id] });
    return job;
  };
  const cancel = ({ id }: { id: string }) => operationsFor(core).cancel(id);
  // A sync that brought a password shared with the team: kept here at once, before the faces (which subscribe after
  // the handlers are made) tell the window to reload, so it shows the repository usable. Run progress is skipped.
  core.events.onAny((name, payload) => {
    if (name === 'backups.changed' && (payload as { runId: string | null }).runId === null) repositories.receiveSharedPasswords();
  });

  return {
    'backups.engine': () => engineInfo(core),
    'backups.setResticPath': ({ path }) => setResticPath(core, path),

    'backups.repositories.list': () => repositories.list(),
    'backups.repositories.get': ({ id }) => repositories.get(id),
    'backups.repositories.create': async (args) => {
      const created = await repositories.create(args);
      repositoryChange(created.repository);
      return created;
    },
    'backups.repositories.attach': async (args) => repositoryChange(await repositories.attach(args)),
    'backups.repositories.providePassword': async ({ id, password, passwordFile }) => repositoryChange(await repositories.providePassword(id, { password, passwordFile })),
    'backups.repositories.sharePassword': async ({ id, shared }) => repositoryChange(await repositories.sharePassword(id, shared)),
    'backups.repositories.recoverySheet': ({ id }) => repositories.recoverySheet(id),
    'backups.repositories.confirmRecoverySaved': ({ id }) => repositoryChange(repositories.confirmRecoverySaved(id)),
    'backups.repositories.rename': ({ id, name }) => repositoryChange(repositories.rename(id, name)),
    'backups.repositories.delete': ({ id }) => repositoryChange(repositories.delete(id)),
    'backups.repositories.status': ({ id }) => repositories.status(id),
    'backups.repositories.unlock': ({ id }) => repositories.unlock(id),

    'backups.jobs.list': ({ serverId }) => jobs.list(serverId).map((job) => summarizeJob(core, job)),
    'backups.jobs.get': ({ id }) => summarizeJob(core, jobs.get(id)),
    'backups.jobs.create': ({ job }) => jobChange(jobs.create(job)),
    'backups.jobs.update': ({ id, job }) => jobChange(jobs.update(id, job)),
    'backups.jobs.delete': ({ id }) => jobChange(jobs.delete(id)),

    'backups.runs.start': ({ jobId }) => operationsFor(core).startBackup(jobId, 'manual'),
    'backups.runs.cancel': cancel,
    'backups.runs.list': (filter) => runs.list(filter),
    'backups.runs.get': ({ id }) => runs.get(id),
    'backups.runs.runAfterCommands': ({ id }) => operationsFor(core).runAfterCommands(id, 'manual'),

    'backups.snapshots.list': ({ repositoryId, jobId, serverId }) => listSnapshots(core, repositoryId, { jobId, serverId }),
    'backups.snapshots.files': (args) => snapshotFiles(core, args),
    'backups.snapshots.saveFile': (args) => saveSnapshotFile(core, args),

    'backups.restore.plan': async (args) => (await prepareRestore(core, poolFor(core), args)).plan,
    'backups.restore.start': (args) => operationsFor(core).startRestore(args, 'manual'),
    'backups.restore.cancel': cancel,
    'backups.drill.run': ({ jobId, serverId }) => operationsFor(core).startDrill(jobId, serverId, 'manual'),
  };
}
