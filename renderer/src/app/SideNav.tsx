import { selectRunningJobCount, type SectionId } from '../store/index.js';
import { useAppStore } from '../store/store-context.js';
import { cx } from '../ui/cx.js';
import { SECTION_DEFS } from './sections.js';

type CountKey = 'datasets' | 'notebooks' | 'environments' | 'models' | 'bundles';
const isCounted = (id: SectionId): id is CountKey => id !== 'activity' && id !== 'monitoring';

export function SideNav() {
  const section = useAppStore((s) => s.section);
  const counts = useAppStore((s) => s.workspace?.counts);
  const running = useAppStore(selectRunningJobCount);
  const version = useAppStore((s) => s.appInfo?.version);

  return (
    <nav className="side-nav" aria-label="Workspace sections">
      <ul>
        {SECTION_DEFS.map(({ id, label, Icon }) => {
          // Monitoring has nothing of its own to count: its models are the Models section's.
          const count = isCounted(id) ? (counts?.[id] ?? 0) : id === 'activity' ? running : 0;
          const active = id === section;
          return (
            <li key={id}>
              <a href={`#/${id}`} className={cx('side-nav__link', active && 'is-active')} aria-current={active ? 'page' : undefined}>
                <Icon className="side-nav__icon" />
                <span className="side-nav__label">{label}</span>
                {count > 0 && (
                  <span className={cx('side-nav__count', id === 'activity' && 'side-nav__count--live')} aria-label={id === 'activity' ? `${count} running` : `${count}`}>
                    {count}
                  </span>
                )}
              </a>
            </li>
          );
        })}
      </ul>
      {version && (
<p className="side-nav__footer">Greenhouse {version}</p>
      )}
    </nav>
  );
}
