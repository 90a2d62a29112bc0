import { cellLabel } from './display.js';

/** "Cell 3, line 2" as a button that scrolls to the cell on the Cells tab. */
export function CellLink({ cell, line, onGoToCell, suffix }: { cell: number; line?: number | null; onGoToCell: (index: number) => void; suffix?: string }) {
  return (
    <button type="button" className="nb-link-button" onClick={() => onGoToCell(cell)}>
      {cellLabel(cell)}
      {line !== undefined && line !== null ? `, line ${line}` : ''}
      {suffix ?? ''}
    </button>
  );
}
