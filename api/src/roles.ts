/** Roles in increasing power; each role may do everything the ones before it may. */
export const roles = ['viewer', 'analyst', 'operator', 'admin'] as const;
export type Role = (typeof roles)[number];

export function roleAtLeast(role: Role, needed: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(needed);
}
