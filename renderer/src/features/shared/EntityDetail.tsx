// What every registered entry's page (a dataset, a notebook, an environment, a model) shares:
// where its store keeps the detail, loading it when the route changes, and the frame around its
// tabs: back link, header, the pending or refresh-failed state, and the tab list and panel.
import { useEffect, type ReactNode, type Ref } from 'react';
import type { AppErrorData } from '../../../../shared/result.js';
import type { AppState } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import type { LoadStatus } from '../../store/types.js';
import { BackLink, DetailHeader, DetailPending, type DetailHeaderProps } from '../../ui/DetailPage.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { TabList, TabPanel, type TabDef } from '../../ui/Tabs.js';

/** What every entry page's place in the URL hash has: which entry, which version, which tab. */
export interface DetailRoute<T extends string = string> {
  name: string;
  /** null for the latest version. */
  version: number | null;
  tab: T;
}

/** The words and the way back of one kind of entry page. */
export interface DetailPlace {
  /** "model": in the loading and error wording, and the prefix of the tab ids. */
  noun: string;
  /** The section's list: "#/models". */
  listHref: string;
  /** "Models". */
  listLabel: string;
}

/** Where a feature's store keeps the entry it shows, and how to load and show one. */
export interface DetailSource<D, R extends DetailRoute> extends DetailPlace {
  load: (s: AppState) => (name: string, version: number | null) => Promise<void>;
  show: (s: AppState) => (route: R) => void;
  detail: (s: AppState) => D | null;
  status: (s: AppState) => LoadStatus;
  error: (s: AppState) => AppErrorData | null;
}

/** What a section gives the page of one of its entries. */
export interface EntityPageProps<D, R extends DetailRoute> {
  route: R;
  headingRef?: Ref<HTMLHeadingElement>;
  /** Register (an environment: capture) a new version of the entry shown. */
  onRegisterVersion: (detail: D) => void;
  /** Registrations (captures) in progress, shown under the header. */
  registrations?: ReactNode;
}

export interface EntityDetail<D, R extends DetailRoute> {
  place: DetailPlace;
  route: R;
  /** The page's title, which navigation focuses. */
  headingRef?: Ref<HTMLHeadingElement>;
  /** The detail of the route's entry and version; null until it arrives (or when it failed). */
  detail: D | null;
  /** A load (the first or a refresh) is under way. */
  loading: boolean;
  error: AppErrorData | null;
  /** Load the route's entry again. */
  reload(): void;
  /** Show another place on the page: the route with these parts changed. */
  go(over: Partial<R>): void;
}

/** The entry a page's route names, loaded whenever its name or version changes. */
export function useEntityDetail<D, R extends DetailRoute>(
  source: DetailSource<D, R>,
  { route, headingRef }: Pick<EntityPageProps<D, R>, 'route' | 'headingRef'>,
): EntityDetail<D, R> {
  const load = useAppStore(source.load);
  const show = useAppStore(source.show);
  const detail = useAppStore(source.detail);
  const loading = useAppStore((s) => source.status(s) === 'loading');
  const error = useAppStore(source.error);

  useEffect(() => {
    void load(route.name, route.version);
  }, [route.name, route.version, load]);

  return {
    place: source,
    route,
    headingRef,
    detail,
    loading,
    error,
    reload: () => void load(route.name, route.version),
    go: (over) => show({ ...route, ...over }),
  };
}

export interface DetailFrameProps<T extends string> {
  page: EntityDetail<{ name: string }, DetailRoute<T>>;
  /** What the header shows beside and below the title. */
  header?: Pick<DetailHeaderProps, 'badges' | 'actions' | 'facts'>;
  /** Between the header and the tabs: registrations in progress, links. */
  above?: ReactNode;
  /** The page's tabs; absent while the detail has not arrived. */
  tabs?: readonly TabDef<T>[];
  tabListClassName?: string;
  panelClassName?: string;
  /** The selected tab's content. */
  children?: ReactNode;
}

/**
 * An entry page around its tabs. Before the detail arrives (render it with the page alone) it shows
 * the bare header and the loading or not-found state; the header stays the same element in both
 * states, so the heading keeps focus.
 */
export function DetailFrame<T extends string>({ page, header, above, tabs, tabListClassName, panelClassName, children }: DetailFrameProps<T>) {
  const { place, route, headingRef, detail, loading, error, reload, go } = page;
  const back = <BackLink href={place.listHref} label={place.listLabel} />;

  if (!detail || !tabs) {
    return (
      <>
        {back}
        <DetailHeader name={route.name} headingRef={headingRef} loading={loading} />
        <DetailPending name={route.name} noun={place.noun} error={error} onRetry={reload} />
      </>
    );
  }

  return (
    <>
      {back}
      <DetailHeader name={detail.name} headingRef={headingRef} loading={loading} {...header} />
      {error && <LoadProblem error={error} title={`Could not refresh the ${place.noun}`} onRetry={reload} />}
      {above}
      <div className="panel detail-tabs">
        <TabList
          label={`${detail.name} sections`}
          idPrefix={place.noun}
          tabs={tabs}
          selected={route.tab}
          onSelect={(tab) => go({ tab })}
          className={tabListClassName}
        />
        <TabPanel idPrefix={place.noun} id={route.tab} className={panelClassName}>
          {children}
        </TabPanel>
      </div>
    </>
  );
}
