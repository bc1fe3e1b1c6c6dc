/** How a member is named everywhere: the organisation for a legal person, else "First Last". */
export function displayName(member: { firstName: string; lastName: string; organisationName: string }): string {
  if (member.organisationName !== '') return member.organisationName;
  return [member.firstName, member.lastName].filter((part) => part !== '').join(' ');
}
