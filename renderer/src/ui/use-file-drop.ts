import { useEffect, useRef, useState, type DragEvent } from 'react';

const hasFiles = (e: DragEvent) => [...e.dataTransfer.types].includes('Files');

/**
 * Drag-and-drop of files onto an element: `over` while files are dragged over it; the dropped
 * files and folders come apart (a browser can upload files only). Spread `handlers` on the element.
 */
export function useFileDrop(onDrop: (files: File[], folders: File[]) => void) {
  const [over, setOver] = useState(false);
  const depth = useRef(0);

  // A file dropped beside the drop zone (on the navigation) must not make the browser open it
  // in place of the app.
  useEffect(() => {
    const ignore = (e: globalThis.DragEvent) => {
      if (e.dataTransfer && [...e.dataTransfer.types].includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', ignore);
    window.addEventListener('drop', ignore);
    return () => {
      window.removeEventListener('dragover', ignore);
      window.removeEventListener('drop', ignore);
    };
  }, []);

  return {
    over,
    handlers: {
      onDragEnter: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current += 1;
        setOver(true);
      },
      onDragOver: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      },
      onDragLeave: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      },
      onDrop: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        const items = [...(e.dataTransfer.items ?? [])].filter((item) => item.kind === 'file');
        const files: File[] = [];
        const folders: File[] = [];
        [...e.dataTransfer.files].forEach((file, i) => {
          const entry = items[i]?.webkitGetAsEntry?.();
          (entry?.isDirectory ? folders : files).push(file);
        });
        if (files.length + folders.length > 0) onDrop(files, folders);
      },
    },
  };
}
