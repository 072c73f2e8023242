import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { setUnauthenticatedHandler } from '../api/client';
import { getMe } from '../api/endpoints';
import { storedKey, storeKey } from '../api/session';
import { roles, type Me, type Person, type Role } from '../api/types';

interface Session {
  me: Me | undefined;
  /** True while a stored key is being checked on start-up. */
  checking: boolean;
  signIn: (key: string) => Promise<void>;
  signOut: () => void;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me>();
  const [checking, setChecking] = useState(() => storedKey() !== undefined);

  const signOut = useCallback(() => {
    storeKey(undefined);
    setMe(undefined);
  }, []);

  const signIn = useCallback(async (key: string) => {
    const identity = await getMe(key);
    storeKey(key);
    setMe(identity);
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(signOut);
    return () => setUnauthenticatedHandler(undefined);
  }, [signOut]);

  useEffect(() => {
    const key = storedKey();
    if (key === undefined) return;
    getMe(key).then(
      (identity) => {
        setMe(identity);
        setChecking(false);
      },
      () => {
        storeKey(undefined);
        setChecking(false);
      },
    );
  }, []);

  const value = useMemo(() => ({ me, checking, signIn, signOut }), [me, checking, signIn, signOut]);
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/**
 * Whether the signed-in user may change a job — save, delete, hand over, change its schedule:
 * its owner or an admin (a new job, owner undefined, any analyst) — and if not, why.
 */
export function useJobChange(owner: Person | undefined): { allowed: boolean; reason?: string } {
  const { me } = useSession();
  if (me === undefined) return { allowed: false, reason: 'Sign in first' };
  if (roles.indexOf(me.role) < roles.indexOf('analyst')) {
    return { allowed: false, reason: `Changing jobs needs the analyst role (you are ${me.role})` };
  }
  if (owner === undefined || me.role === 'admin' || owner.id === me.id) return { allowed: true };
  return {
    allowed: false,
    reason: `Only its owner, ${owner.name}, or an admin may change this job`,
  };
}

/** Whether the signed-in user has at least `role` (viewer < analyst < operator < admin). */
export function useHasRole(role: Role): boolean {
  const { me } = useSession();
  return me !== undefined && roles.indexOf(me.role) >= roles.indexOf(role);
}
