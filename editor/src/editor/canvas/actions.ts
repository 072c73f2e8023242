import { createContext, useContext } from 'react';
import type { EdgeKind } from '@batchgraph/engine';

/** What custom edges may ask of the editor; provided once so edge data stays plain values. */
export interface CanvasActions {
  setEdgeKind: (index: number, kind: EdgeKind) => void;
}

export const CanvasActionsContext = createContext<CanvasActions | undefined>(undefined);

export function useCanvasActions(): CanvasActions | undefined {
  return useContext(CanvasActionsContext);
}
