import type { Core } from '../core';
import { isoToday } from '../clock';
import type { HandlersFor } from '../handler-types';
import { memberDetail } from './member-detail';
import { searchMembers } from './member-search';
import { MembersService } from './members-service';

type MemberMethod =
  | 'members.search'
  | 'members.get'
  | 'members.nextNumber'
  | 'members.findDuplicates'
  | 'members.create'
  | 'members.update'
  | 'members.delete'
  | 'members.restore'
  | 'members.exportPersonalData'
  | 'members.erase';

export const membersHandlers = (core: Core): HandlersFor<MemberMethod> => {
  const members = new MembersService(core);
  return {
    'members.search': (args) => searchMembers(core, args, isoToday(core.clock)),
    'members.get': ({ id }) => memberDetail(core, id, isoToday(core.clock)),
    'members.nextNumber': () => members.nextNumber(),
    'members.findDuplicates': ({ member, excludeId }) => members.findDuplicates(member, excludeId),
    'members.create': ({ member, allowDuplicate }) => members.create(member, { allowDuplicate }),
    'members.update': ({ id, member, allowDuplicate }) => members.update(id, member, { allowDuplicate }),
    'members.delete': ({ id }) => members.delete(id),
    'members.restore': ({ id }) => members.restore(id),
    'members.exportPersonalData': ({ id }) => members.exportPersonalData(id),
    'members.erase': ({ id }) => members.erase(id),
  };
};
