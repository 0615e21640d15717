import { useEffect, useState } from 'react';
import { api, clearSession, onSignedOut, session } from './lib/api.js';
import { navigate, useRoute } from './lib/router.js';
import { Login } from './pages/Login.jsx';
import { LiveDashboard } from './pages/LiveDashboard.jsx';
import { MyDashboard } from './pages/MyDashboard.jsx';
import { Channels } from './pages/Channels.jsx';
import { Keys } from './pages/Keys.jsx';
import { Users } from './pages/Users.jsx';
import { Groups } from './pages/Groups.jsx';
import { Prices } from './pages/Prices.jsx';
import { Redemptions, Redeem } from './pages/Redemptions.jsx';
import { Logs } from './pages/Logs.jsx';
import { Stats } from './pages/Stats.jsx';
import { Settings } from './pages/Settings.jsx';
import { Playground } from './pages/Playground.jsx';
import { Audit } from './pages/Audit.jsx';

/** Pages by route; `admin` pages are neither linked nor rendered for customers (and the API refuses them too). */
const PAGES = [
  { path: '/', title: 'Dashboard', admin: false, render: (s) => (s.role === 'admin' ? <LiveDashboard /> : <MyDashboard />) },
  { path: '/channels', title: 'Channels', admin: true, render: () => <Channels /> },
  { path: '/users', title: 'Users', admin: true, render: () => <Users /> },
  { path: '/keys', title: 'Keys', admin: false, render: (s) => <Keys session={s} /> },
  { path: '/groups', title: 'Groups', admin: true, render: () => <Groups /> },
  { path: '/prices', title: 'Prices', admin: false, render: (s) => <Prices session={s} /> },
  { path: '/redemptions', title: 'Redemption codes', admin: true, render: () => <Redemptions /> },
  { path: '/redeem', title: 'Redeem a code', admin: false, customerOnly: true, render: () => <Redeem /> },
  { path: '/logs', title: 'Request logs', admin: false, render: (s) => <Logs session={s} /> },
  { path: '/stats', title: 'Usage', admin: false, render: (s) => <Stats session={s} /> },
  { path: '/playground', title: 'Playground', admin: false, render: () => <Playground /> },
  { path: '/audit', title: 'Audit trail', admin: true, render: () => <Audit /> },
  { path: '/settings', title: 'Settings', admin: true, render: () => <Settings /> },
];

export function App() {
  const [current, setCurrent] = useState(session);
  const route = useRoute();
  useEffect(() => onSignedOut(() => setCurrent(null)), []);

  if (!current) {
    return <Login onSignedIn={(s) => { setCurrent(s); navigate('/'); }} />;
  }
  const isAdmin = current.role === 'admin';
  const visible = PAGES.filter((p) => (isAdmin ? !p.customerOnly : !p.admin));
  const page = PAGES.find((p) => p.path === route.path);
  const allowed = page && visible.includes(page);

  return (
    <div className="shell">
      <nav className="nav" aria-label="main">
        <div className="brand">Tollgate</div>
        <div className="who" data-testid="who">{current.username} · {current.role}</div>
        <ul>
          {visible.map((p) => (
            <li key={p.path}>
              <a href={'#' + p.path} className={p.path === route.path ? 'active' : ''}>{p.title}</a>
            </li>
          ))}
        </ul>
        <button type="button" className="link signout" onClick={() => signOut(setCurrent)}>Sign out</button>
        <a className="apidocs" href="v3/api-docs" target="_blank" rel="noreferrer">OpenAPI</a>
      </nav>
      {allowed ? page.render(current) : <NotAllowed known={!!page} />}
    </div>
  );
}

function NotAllowed({ known }) {
  return (
    <main className="page" data-page="not-allowed" data-ready="true">
      <h1>{known ? 'Not available' : 'Not found'}</h1>
      <p>{known ? 'This page is for administrators.' : 'There is no such page.'}</p>
      <a href="#/">Back to the dashboard</a>
    </main>
  );
}

function signOut(setCurrent) {
  // Revoke the token on the server too; the page signs out whatever the answer.
  api.post('/api/auth/logout').catch(() => {});
  clearSession();
  setCurrent(null);
  navigate('/');
}
