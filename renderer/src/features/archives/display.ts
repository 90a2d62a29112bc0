// How archives opened for review read: which files the picker offers, the verdict in a word.
import type { ReviewArchiveSummary } from '../../../../shared/contract/index.js';
import type { BadgeTone } from '../../ui/Badge.js';

/** An exported archive: NAME-VERSION.tar.gz (or .tgz). */
export const isArchiveFileName = (name: string) => /\.(tar\.gz|tgz)$/i.test(name);

/** The archive's file name, from its path. */
export const archiveFileName = (path: string) => path.split(/[\\/]/).pop() || path;

/** The verdict with this workspace's reviews merged: ready, or not (yet). */
export const verdictBadge = (a: Pick<ReviewArchiveSummary, 'ready'>): { label: string; tone: BadgeTone } =>
  a.ready ? { label: 'ready', tone: 'success' } : { label: 'not ready', tone: 'warning' };

/** "1 review not written into the archive", for the pending warning. */
export const pendingText = (n: number) => `${n === 1 ? '1 review' : `${n} reviews`} recorded here ${n === 1 ? 'is' : 'are'} not in the archive yet`;
