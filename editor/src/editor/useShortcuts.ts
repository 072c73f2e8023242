import { useEffect, useEffectEvent } from 'react';

export interface ShortcutHandlers {
  save: () => void;
  undo: () => void;
  redo: () => void;
  remove: () => void;
  copy: () => void;
  paste: () => void;
  newTask: () => void;
  selectAll: () => void;
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    target.closest('input, textarea, select, [contenteditable="true"]') !== null
  );
}

/**
 * The editor's keyboard shortcuts. Ctrl+S works everywhere; the others leave text fields their
 * own meaning (undo inside a field undoes typing). Browsers keep Ctrl+N for a new window, so
 * plain N adds a task too.
 */
export function useShortcuts(handlers: ShortcutHandlers, enabled: boolean): void {
  const onKey = useEffectEvent((event: KeyboardEvent) => {
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (mod && key === 's') {
      event.preventDefault();
      handlers.save();
      return;
    }
    if (isTyping(event.target) || (event.target as HTMLElement).closest?.('dialog, [role="menu"]'))
      return;
    const run = (handler: () => void) => {
      event.preventDefault();
      handler();
    };
    if (mod && key === 'z') run(event.shiftKey ? handlers.redo : handlers.undo);
    else if (mod && key === 'y') run(handlers.redo);
    else if (mod && key === 'c') run(handlers.copy);
    else if (mod && key === 'v') run(handlers.paste);
    else if (mod && key === 'a') run(handlers.selectAll);
    else if ((mod && key === 'n') || (!mod && !event.altKey && key === 'n')) run(handlers.newTask);
    else if (!mod && (event.key === 'Delete' || event.key === 'Backspace')) run(handlers.remove);
  });
  useEffect(() => {
    if (!enabled) return;
    const listener = (event: KeyboardEvent) => onKey(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [enabled]);
}
