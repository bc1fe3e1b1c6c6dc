// Servers and repositories named on the command line. Names are unique on one laptop, but two laptops of a team can
// give one name twice while offline (listed under Conflicts): such a name is refused rather than guessed.
import type { BackupRepository, Server } from '../../contract';
import { CoreError } from '../../core/errors';

const named = <T extends { name: string }>(items: readonly T[], name: string): T[] => items.filter((item) => item.name.toLowerCase() === name.toLowerCase());

export function serverNamed(servers: readonly Server[], name: string): Server {
  const [found, ...more] = named(servers, name);
  if (found === undefined) throw new CoreError('server_not_found', `No server named ${name}.`, { name });
  if (more.length > 0) throw new CoreError('server_name_ambiguous', `${more.length + 1} servers are named ${name} (a sync conflict): rename one in the app.`, { name });
  return found;
}

export function repositoryNamed(repositories: readonly BackupRepository[], name: string): BackupRepository {
  const [found, ...more] = named(repositories, name);
  if (found === undefined) throw new CoreError('backup_repository_not_found', `No repository named ${name}.`, { name });
  if (more.length > 0) throw new CoreError('backup_repository_name_ambiguous', `${more.length + 1} repositories are named ${name} (a sync conflict): rename one in the app.`, { name });
  return found;
}
