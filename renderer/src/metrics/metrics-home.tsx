import { useState } from 'react';
import type { User } from '../../../app/contract/index.ts';
import { Dashboard } from './dashboard.tsx';
import { SettingsPanel } from './settings-panel.tsx';
import './metrics.css';

/** The practice manager's home: the dashboard, and the metrics settings. */
export function MetricsHome({ user }: { user: User }) {
  const [tab, setTab] = useState<'dashboard' | 'settings'>('dashboard');
  const [generation, setGeneration] = useState(0);
  return (
    <div className="metrics-home" data-testid="metrics-home">
      {user.role === 'manager' && (
        <nav className="tabs" aria-label="Metrics">
          <button className={tab === 'dashboard' ? 'current' : ''} onClick={() => setTab('dashboard')}>Dashboard</button>
          <button className={tab === 'settings' ? 'current' : ''} onClick={() => setTab('settings')} data-testid="metrics-settings-tab">Settings</button>
        </nav>
      )}
      {tab === 'dashboard' ? <Dashboard key={generation} /> : <SettingsPanel onSaved={() => setGeneration((g) => g + 1)} />}
    </div>
  );
}
