import type { QueueStatus } from '../../../app/contract/index.ts';

export const STATUS_LABELS: Record<QueueStatus, string> = {
  waiting_for_edit: 'Waiting for edit',
  in_edit: 'In edit',
  ready_for_signature: 'Ready for signature',
  signed: 'Signed',
};

export function statusLabel(status: QueueStatus): string {
  return STATUS_LABELS[status];
}

/** "since 14:05" for today, else the date and time. */
export function sinceLabel(iso: string): string {
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  return today
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** "Sam Ortiz (scribe)": the role once, even when the demo profile's name already says it. */
export function personLabel(p: { name: string; role: string }): string {
  return p.name.toLowerCase().includes(`(${p.role})`) ? p.name : `${p.name} (${p.role})`;
}
