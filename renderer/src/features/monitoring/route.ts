// The Monitoring section's place in the URL hash, so reload and back/forward keep it:
//   #/monitoring                  the models with their latest drift verdict
//   #/monitoring/churn            churn's monitoring page: its newest check, checks run on its latest version
//   #/monitoring/churn@2          the same, checks run on version 2
//   #/monitoring/churn/checks/12  drift check 12 shown
import { monitoringRoute, type MonitoringRoute } from '../../store/index.js';
import { formatNameVersion, parseNameVersion } from '../shared/entity-route.js';

export const CHECKS_SEGMENT = 'checks';

/** The model page the path segments after "monitoring" name, or null for the list. */
export function parseMonitoringPath(segments: readonly string[]): MonitoringRoute | null {
  const [head, second, third] = segments;
  const entry = parseNameVersion(head);
  if (!entry) return null;
  const id = second === CHECKS_SEGMENT && third && /^\d+$/.test(third) ? Number(third) : null;
  return monitoringRoute(entry.name, { version: entry.version, check: id && id > 0 ? id : null });
}

/** The hash path (without "#/"); the same string parseMonitoringPath reads back. */
export function formatMonitoringPath(route: MonitoringRoute | null): string {
  if (!route) return 'monitoring';
  const path = `monitoring/${formatNameVersion(route.name, route.version)}`;
  return route.check === null ? path : `${path}/${CHECKS_SEGMENT}/${route.check}`;
}

/** An href to a model's monitoring page. */
export const monitoringHref = (name: string, over: Partial<Omit<MonitoringRoute, 'name'>> = {}) => `#/${formatMonitoringPath(monitoringRoute(name, over))}`;

export const MONITORING_HREF = '#/monitoring';
