import type { MouseEvent } from 'react';

export type Navigate = (path: string) => void;

/** An anchor's click handler for in-app navigation (keeps real hrefs for new tabs and no-JS). */
export function link(navigate: Navigate, to: string) {
  return (event: MouseEvent) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
}
