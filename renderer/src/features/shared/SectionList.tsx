// What the catalog sections (datasets, notebooks, environments, models) show without an entry
// open: the header with the action that registers one, the registrations in progress, and the
// list, or what to do first while nothing is registered.
import type { ReactNode, Ref } from 'react';
import type { LoadStatus } from '../../store/types.js';
import { Button } from '../../ui/Button.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { IconPlus, IconUpload } from '../../ui/icons.js';
import { PageHeader } from '../../ui/PageHeader.js';

/** The section's main action: "Register dataset". */
export interface SectionAction {
  label: string;
  onClick: () => void;
}

export interface SectionListPageProps {
  title: string;
  description: string;
  headingRef?: Ref<HTMLHeadingElement>;
  action: SectionAction;
  /** Registrations in progress, under the header. */
  registrations: ReactNode;
  children: ReactNode;
}

export function SectionListPage({ title, description, headingRef, action, registrations, children }: SectionListPageProps) {
  return (
    <>
      <PageHeader
        title={title}
        headingRef={headingRef}
        description={description}
        actions={
          <Button variant="primary" onClick={action.onClick}>
            <IconPlus />
            {action.label}
          </Button>
        }
      />
      {registrations}
      {children}
    </>
  );
}

/** Nothing is registered yet: the list has loaded empty, and not because a search hides what is. */
export const nothingYet = (status: LoadStatus, items: readonly unknown[], query: string) => status === 'ready' && items.length === 0 && query.trim() === '';

export interface ListOrEmptyProps {
  /** Nothing is registered yet (and no search hides what is). */
  empty: boolean;
  icon: ReactNode;
  /** "No datasets yet". */
  emptyTitle: string;
  action: SectionAction;
  /** What the section is for and how to start. */
  explanation: ReactNode;
  list: ReactNode;
  /** Under the list: what dropping a file on the page does. */
  dropHint?: string;
}

/** The section's list, or while nothing is registered, what it is for with the action to start. */
export function ListOrEmpty({ empty, icon, emptyTitle, action, explanation, list, dropHint }: ListOrEmptyProps) {
  if (empty) {
    return (
      <EmptyState
        icon={icon}
        title={emptyTitle}
        actions={
          <Button variant="primary" onClick={action.onClick}>
            {action.label}
          </Button>
        }
      >
        {explanation}
      </EmptyState>
    );
  }
  return (
    <>
      {list}
      {dropHint && (
        <p className="drop-hint muted small">
          <IconUpload /> {dropHint}
        </p>
      )}
    </>
  );
}
