import { useEffect } from 'react';
import type { Incident } from '../../../src-main/contract';
import { call, onEvent } from '../../api/client';
import i18n from '../../i18n';
import { formatClock, formatDuration } from './figures';
import { formatCause, ruleName } from './format';

/** The contract's limits for app.notify. */
const MAX_TITLE = 200;
const MAX_BODY = 1000;

/** Subscribers: whichever screens call the hook, one notification per change. */
let users = 0;
let unsubscribe: (() => void) | null = null;

/** The words of a notification, in the UI language at the moment it arrives. */
export function notificationFor(incident: Incident, change: 'opened' | 'resolved', now = Date.now()): { title: string; body: string } {
  const t = i18n.t.bind(i18n);
  const language = i18n.language;
  const params = { server: incident.serverName, service: incident.serviceName ?? '', rule: ruleName(incident.ruleId, t) };
  const what = incident.serviceName ? 'service' : 'server';
  if (change === 'opened') {
    const cause = formatCause(incident.cause.code, incident.cause.value, t, language);
    const since = formatClock(incident.firstFailureAt, now, language);
    return {
      title: t(`incidents.notify.opened.${what}`, params),
      body: cause ? t('incidents.notify.openedBody', { since, cause }) : t('incidents.notify.openedSince', { since }),
    };
  }
  const end = incident.resolvedAt ? new Date(incident.resolvedAt).getTime() : now;
  return {
    title: t(`incidents.notify.resolved.${what}`, params),
    body: t('incidents.notify.resolvedBody', { duration: formatDuration(end - new Date(incident.firstFailureAt).getTime(), language) }),
  };
}

function subscribe(): () => void {
  return onEvent('incidents.changed', ({ incident, change }) => {
    if (change !== 'opened' && change !== 'resolved') return;
    // Electron shows a native notification; the browser host pushes app.notification back, shown by App.tsx.
    const { title, body } = notificationFor(incident, change);
    void call('app.notify', { title: title.slice(0, MAX_TITLE), body: body.slice(0, MAX_BODY) });
  });
}

/** Desktop notifications when an incident opens or resolves, on whatever screen is open. */
export function useIncidentNotifications(): void {
  useEffect(() => {
    users++;
    unsubscribe ??= subscribe();
    return () => {
      users--;
      if (users === 0) {
        unsubscribe?.();
        unsubscribe = null;
      }
    };
  }, []);
}
