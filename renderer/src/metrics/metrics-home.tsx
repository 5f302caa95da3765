import type { User } from '../../../app/contract/index.ts';
import { Dashboard } from './dashboard.tsx';
import { useScreenTitle } from '../shell/use-screen-title.ts';
import './metrics.css';

/** The practice manager's home: the dashboard (its settings are under the one Settings in the header). */
export function MetricsHome({ user }: { user: User }) {
  useScreenTitle('Practice metrics');
  return (
    <div className="metrics-home" data-testid="metrics-home" data-role={user.role}>
      <Dashboard />
    </div>
  );
}
