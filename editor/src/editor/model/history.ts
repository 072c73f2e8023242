/**
 * Undo/redo over whole job documents. Documents share unchanged parts, so keeping many is cheap.
 * Edits with the same `coalesce` key in a row (typing in one field, one drag) form one step.
 */
import type { JobDoc } from './document';

const LIMIT = 200;

export interface History {
  past: JobDoc[];
  present: JobDoc;
  future: JobDoc[];
  lastKey: string | undefined;
}

export type HistoryAction =
  | { type: 'edit'; update: (doc: JobDoc) => JobDoc; coalesce?: string }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'reset'; doc: JobDoc };

export function startHistory(doc: JobDoc): History {
  return { past: [], present: doc, future: [], lastKey: undefined };
}

export function historyReducer(state: History, action: HistoryAction): History {
  switch (action.type) {
    case 'edit': {
      const doc = action.update(state.present);
      if (doc === state.present) return state;
      if (action.coalesce !== undefined && action.coalesce === state.lastKey) {
        return { ...state, present: doc, future: [] };
      }
      return {
        past: [...state.past.slice(-LIMIT + 1), state.present],
        present: doc,
        future: [],
        lastKey: action.coalesce,
      };
    }
    case 'undo': {
      const previous = state.past.at(-1);
      if (!previous) return state;
      return {
        past: state.past.slice(0, -1),
        present: previous,
        future: [state.present, ...state.future],
        lastKey: undefined,
      };
    }
    case 'redo': {
      const [next, ...rest] = state.future;
      if (!next) return state;
      return {
        past: [...state.past, state.present],
        present: next,
        future: rest,
        lastKey: undefined,
      };
    }
    case 'reset':
      return startHistory(action.doc);
  }
}
