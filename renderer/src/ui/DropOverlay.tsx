import { IconUpload } from './icons.js';

/** Shown over a drop zone while files are dragged over it. */
export function DropOverlay({ title, hint }: { title: string; hint: string }) {
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-overlay__card">
        <IconUpload size={28} />
        <p className="drop-overlay__title">{title}</p>
        <p className="muted small">{hint}</p>
      </div>
    </div>
  );
}
