import { NavLink, Outlet, useNavigation } from 'react-router';
import { useHasRole, useSession } from './session';
import { SkipLink } from './SkipLink';
import './AppShell.css';

export function AppShell() {
  const { me, signOut } = useSession();
  const isAdmin = useHasRole('admin');
  // A screen's code loads on first visit; the bar says so while the old screen stays.
  const loading = useNavigation().state === 'loading';
  return (
    <div className="shell">
      <SkipLink />
      <header className="shell__bar">
        <NavLink to="/jobs" className="shell__brand">
          <span className="brand-mark" aria-hidden="true" />
          Batchgraph
        </NavLink>
        <nav aria-label="Main" className="shell__nav">
          <NavLink to="/jobs">Jobs</NavLink>
          <NavLink to="/runs">Runs</NavLink>
          <NavLink to="/workers">Workers</NavLink>
          {isAdmin && <NavLink to="/audit">Audit</NavLink>}
          {isAdmin && (
            <NavLink to="/admin" end>
              Keys
            </NavLink>
          )}
          {isAdmin && <NavLink to="/admin/connections">Connections</NavLink>}
        </nav>
        <div className="shell__user">
          <span>{me?.name}</span>
          <span className="badge" title="Your role">
            {me?.role}
          </span>
          <button type="button" className="button button--small button--ghost" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      {loading && (
        <div className="shell__loading" role="progressbar" aria-label="Loading the page" />
      )}
      <Outlet />
    </div>
  );
}
